"""``read_next``: pages related by shared tags, then the latest of the same section.

Always the same handful of queries, however many candidate pages there are: one query ranks
tag-related pages by the number of tags they share, one fetches the section's latest pages,
and one reads the view restrictions for the public-pages filter. The section is the one of
``wagtail_smo.pages.section_of`` (the page itself when it has child pages, else its parent).
"""

from __future__ import annotations

from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from wagtail.models import Page

from ..pages import PAGE_DATE, section_pages, visible_pages, with_page_date


def _tag_through(page: Page):
    """The tag ``through`` model of ``page``'s ``smo_tags_field`` and its page foreign key name."""
    name = getattr(page, "smo_tags_field", None)
    manager = getattr(page, name, None) if name else None
    through = getattr(manager, "through", None)
    if through is None:
        return None, None
    for field in through._meta.get_fields():
        related = getattr(field, "related_model", None)
        if field.name != "tag" and isinstance(related, type) and issubclass(related, Page):
            return through, field.name
    return None, None


def read_next_pages(page: Page, count: int = 3) -> list[Page]:
    """Up to ``count`` visible pages to read after ``page`` (base ``Page`` instances)."""
    if count <= 0 or page.pk is None:
        return []
    page = page.specific_deferred if hasattr(page, "specific_deferred") else page
    # Built once: the view-restriction lookup behind it is one query, shared by both lists.
    visible = visible_pages(listed=True)
    related: list[Page] = []
    through, fk = _tag_through(page)
    if through is not None:
        own_tags = through.objects.filter(**{fk: page.pk}).values("tag_id")
        shared = (
            through.objects.filter(**{fk: OuterRef("pk"), "tag_id__in": own_tags})
            .values(fk)
            .annotate(n=Count("pk"))
            .values("n")
        )
        candidates = through.objects.filter(tag_id__in=own_tags).values(fk)
        related = list(
            with_page_date(visible.filter(pk__in=candidates))
            .exclude(pk=page.pk)
            .annotate(shared_tags=Coalesce(Subquery(shared), 0))
            .order_by("-shared_tags", F(PAGE_DATE).desc(nulls_last=True), "-pk")[:count]
        )
    # Always run the section query (even when tags filled the list) so that the number of
    # queries never depends on the data (only a page without a section makes one fewer).
    seen = [page.pk, *(p.pk for p in related)]
    latest = (
        with_page_date(section_pages(page, visible))
        .exclude(pk__in=seen)
        .order_by(F(PAGE_DATE).desc(nulls_last=True), "-pk")[:count]
    )
    return (related + list(latest))[:count]
