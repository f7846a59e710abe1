"""``manage.py smo_generate_images``: draw the generated cards of a site or section in advance."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import CommandParser
from tqdm import tqdm

from ...images import store
from ...meta import ResolveContext, resolve
from ...meta.sources import GENERATED
from ..options import SmoCommand, add_site_section_arguments, site_option, usage_error
from .smo_audit import CHUNK_SIZE, _in_chunks
from .smo_audit import Command as AuditCommand


class Command(SmoCommand):
    help = (
        "Draw the generated social card of every live page that uses one (the resolver's last "
        "image fallback), so that no visitor waits for one; --clean deletes card files no page "
        "uses any more."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        add_site_section_arguments(
            parser, site_default="every site",
            section_help="Only this page and its descendants: a page id or a URL path such as "
                         "/blog/ (on --site, else the default site).",
        )
        parser.add_argument("--force", action="store_true",
                            help="Draw every card again, even when its file exists.")
        parser.add_argument("--clean", action="store_true",
                            help="Then delete the card files no live page uses (all sites only).")
        parser.add_argument("--no-progress", action="store_true", help="No progress bar.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["clean"] and (options["site"] or options["section"]):
            raise usage_error("--clean needs every site: leave out --site and --section.")
        site = site_option(options["site"]) if options["site"] else None
        pages = AuditCommand()._pages(site, options["section"])
        bar = None
        stream = getattr(self.stderr, "_out", sys.stderr)
        if not options["no_progress"] and stream.isatty():
            bar = tqdm(total=pages.count(), unit="page", desc="smo_generate_images", file=stream)
        used: set[str] = set()
        with_card = seen = 0
        context = ResolveContext(redraw_cards=options["force"])
        for page in _in_chunks(pages):
            if seen and seen % CHUNK_SIZE == 0:
                used |= context.cards
                context = ResolveContext(redraw_cards=options["force"])
            seen += 1
            meta = resolve(page, context=context, use_cache=False)
            if meta.image is not None and meta.sources["image"].kind == GENERATED:
                with_card += 1
            if bar is not None:
                bar.update(1)
        if bar is not None:
            bar.close()
        used |= context.cards
        verb = "drawn again" if options["force"] else "ready"
        self.stdout.write(f"{len(used)} card(s) {verb} for {with_card} of {seen} page(s).")
        if options["clean"]:
            deleted = store.delete_unused(used)
            self.stdout.write(f"{len(deleted)} unused card file(s) deleted.")
