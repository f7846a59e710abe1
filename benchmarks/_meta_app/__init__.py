"""A page model carrying wagtail-smo's, wagtail-metadata's and django-meta's mixins at once."""
