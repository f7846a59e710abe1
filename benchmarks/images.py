"""Generated card costs, side by side in one run on a fresh SQLite database of the example site.

- **one card**: milliseconds to draw and store a 1200x630 card (cold: a new title each time) and
  to ask for one whose file exists (warm: the ``exists()`` check only), on the same titles;
- **page render**: a page request whose og:image is a cached generated card against one whose
  og:image is an uploaded image's rendition, each a fresh request (meta cache warm).

Material for MkDocs' social plugin is not compared: it runs inside an MkDocs build (it needs
mkdocs-material with its imaging extras, CairoSVG and the Cairo C library, and a site to build),
so it cannot time one card on the same titles in this process.

``SMO_BENCH_ROUNDS`` (default 30) sets the renders per measurement.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROUNDS = int(os.environ.get("SMO_BENCH_ROUNDS", "30"))
TITLES = ["Social cards explained in five minutes", "Как сделать карточки для соцсетей",
          "A news item with a rather long title that needs two or three lines on the card"]


def timed(call) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def main() -> None:
    os.environ.update({
        "SMO_VAR_DIR": tempfile.mkdtemp(prefix="smo-bench-images-"),
        "DJANGO_SETTINGS_MODULE": "example_site.settings", "DJANGO_DEBUG": "0",
    })
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from wagtail_smo.images import fonts, store
    from wagtail_smo.images.spec import CardSpec

    call_command("migrate", verbosity=0)
    call_command("load_demo_content", verbosity=0)

    def spec(title: str, n: int) -> CardSpec:
        return CardSpec("classic", 1200, 630, f"{title} {n}", "SMO Demo", "Blog",
                        fonts=fonts.identity())

    store.render(spec("warm-up", 0))
    cold, warm = [], []
    for n in range(ROUNDS):
        for title in TITLES:
            card = spec(title, n)
            cold.append(timed(lambda card=card: store.ensure(card)))
            warm.append(timed(lambda card=card: store.ensure(card)))
    print("| one 1200x630 card | median ms |\n|---|---|")
    print(f"| cold: drawn and stored | {statistics.median(cold):.2f} |")
    print(f"| warm: file exists | {statistics.median(warm):.3f} |")

    client = Client()
    pages = {"generated card (cached)": "/blog/shared-without-an-image/",
             "uploaded image": "/blog/social-cards-explained/"}
    for path in pages.values():
        client.get(path)  # draws the card, makes the rendition, fills the meta cache
    times = {name: [] for name in pages}
    for _ in range(ROUNDS):
        for name, path in pages.items():
            times[name].append(timed(lambda path=path: client.get(path)))
    base = statistics.median(times["uploaded image"])
    print("\n| page request | median ms | ratio |\n|---|---|---|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} | "
              f"{statistics.median(values) / base:.2f} |")


if __name__ == "__main__":
    main()
