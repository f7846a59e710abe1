"""Social Media Optimization for Wagtail."""

__version__ = "0.1.0"
