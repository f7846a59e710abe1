"""``manage.py smo_render_meta``: a page's social tags without a request, for static builds."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandParser
from wagtail.models import Page

from ...meta import resolve
from ...meta.render import render_meta
from ...meta.serialize import meta_as_dict
from ...pages import AddressError, is_public, page_at_url
from ..options import SmoCommand, default_site, usage_error


class Command(SmoCommand):
    help = (
        "Print the social meta tags of public pages exactly as {% social_meta %} renders them on "
        "the site, with absolute URLs from each page's own Site (no request needed), for static "
        "builds and baking tools. Pages are given by URL, by path on the default site, or by id."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "pages",
            nargs="+",
            metavar="PAGE",
            help="An absolute URL (https://example.com/blog/post/), a path on the default site "
            "(/blog/post/) or a page id.",
        )
        parser.add_argument(
            "--format",
            choices=["html", "json"],
            default="html",
            help="html: the tags (default); json: the same data as the headless endpoint.",
        )
        parser.add_argument(
            "--no-json-ld", action="store_true", help="Leave out the JSON-LD scripts (html only)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # Find every page first, so that a bad argument prints nothing half-way.
        pages = [self._page(address) for address in options["pages"]]
        documents = []
        for page in pages:
            meta = resolve(page)
            if options["format"] == "json":
                documents.append(meta_as_dict(meta))
            else:
                self.stdout.write(render_meta(meta, json_ld_enabled=not options["no_json_ld"]),
                                  ending="")
        if documents:
            output = documents[0] if len(documents) == 1 else documents
            self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2, default=str))

    def _page(self, address: str) -> Page:
        try:
            if address.isdigit():
                page = Page.objects.filter(pk=int(address)).first()
                page = page.specific if page is not None and is_public(page) else None
            elif address.startswith("/"):
                page = page_at_url(address, default_site())
            else:
                page = page_at_url(address)
        except AddressError as exc:
            raise usage_error(f"{exc} (give a URL, a path or a page id)") from exc
        if page is None:
            raise usage_error(f"No public page at {address!r}.")
        return page
