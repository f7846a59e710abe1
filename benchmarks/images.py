"""Generated card costs, side by side in one run on a fresh SQLite database of the example site.

- **one card**: milliseconds to draw and store a 1200x630 card (cold: a new title each time) and
  to ask for one whose file exists (warm: the ``exists()`` check only), on the same titles;
- **page render**: a page request whose og:image is a cached generated card against one whose
  og:image is an uploaded image's rendition, each a fresh request (meta cache warm).

- **Material for MkDocs' social plugin** on the same titles (when ``mkdocs-material[imaging]`` is
  installed: the ``bench`` extra): a throw-away MkDocs site whose pages carry the same titles is
  built three times in its own processes, without the plugin, with it and an empty card cache
  (cold), and again with the cache filled (warm); milliseconds per card = (build with the plugin
  minus build without) / cards, CPU time of the build processes. The plugin downloads its font
  from fonts.google.com on first use, which this machine cannot reach: the script puts our
  bundled DejaVu Sans into the plugin's font cache first, so both draw with the same font.

``SMO_BENCH_ROUNDS`` (default 30) sets the renders per measurement.
"""

from __future__ import annotations

import importlib.util
import os
import resource
import shutil
import statistics
import subprocess
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
    mkdocs_comparison(statistics.median(cold), statistics.median(warm))


MKDOCS_CONFIG = """site_name: SMO Demo
site_url: http://localhost/
theme:
  name: material
plugins:
  - social:
      enabled: {enabled}
      cards_layout_options:
        font_family: DejaVu Sans
"""


def mkdocs_cpu_ms(site: Path, enabled: bool) -> float:
    """CPU milliseconds of one ``mkdocs build`` of ``site`` in its own process."""
    (site / "mkdocs.yml").write_text(MKDOCS_CONFIG.format(enabled=str(enabled).lower()))
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=site, check=True,
                   env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ((after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)) * 1000


def mkdocs_comparison(smo_cold: float, smo_warm: float) -> None:
    """Material for MkDocs' social plugin on the same titles, side by side with ours."""
    if not (importlib.util.find_spec("mkdocs") and importlib.util.find_spec("material")):
        print("\nMaterial for MkDocs not installed (pip install 'mkdocs-material[imaging]'): "
              "its social plugin is not compared.")
        return
    site = Path(tempfile.mkdtemp(prefix="smo-bench-mkdocs-"))
    docs = site / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("# SMO Demo\n")
    cards = 1  # the index page gets a card too
    for n in range(ROUNDS):
        for i, title in enumerate(TITLES):
            (docs / f"p{n}-{i}.md").write_text(f"# {title} {n}\n\nSocial cards.\n")
            cards += 1
    fonts_dir = site / ".cache" / "plugin" / "social" / "fonts" / "DejaVu Sans"
    fonts_dir.mkdir(parents=True)
    bundled = ROOT / "wagtail_smo" / "fonts"
    shutil.copy(bundled / "DejaVuSans.ttf", fonts_dir / "Regular.ttf")
    shutil.copy(bundled / "DejaVuSans-Bold.ttf", fonts_dir / "Bold.ttf")
    plain = mkdocs_cpu_ms(site, enabled=False)
    cold = (mkdocs_cpu_ms(site, enabled=True) - plain) / cards
    warm = (mkdocs_cpu_ms(site, enabled=True) - plain) / cards
    print(f"\n| one card, {cards} cards, same titles | cold ms | warm ms |\n|---|---|---|")
    print(f"| wagtail-smo (in process) | {smo_cold:.2f} | {smo_warm:.3f} |")
    print(f"| Material for MkDocs social plugin (build CPU per card) | {cold:.2f} | "
          f"{max(warm, 0.0):.3f} |")
    print(f"| ratio Material / wagtail-smo | {cold / smo_cold:.2f} | "
          f"{max(warm, 0.0) / smo_warm:.1f} |")
    shutil.rmtree(site, ignore_errors=True)


if __name__ == "__main__":
    main()
