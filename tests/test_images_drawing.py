"""Generated cards read back with Pillow: size, format, text in the safe area, every script."""

from __future__ import annotations

import io

import pytest
from django.core import checks
from PIL import Image, ImageChops

from wagtail_smo.core.networks import get_network
from wagtail_smo.images import fonts, store
from wagtail_smo.images.layouts import get_layout
from wagtail_smo.images.spec import CardError, CardSpec, network_size

BACKGROUND = "#1d3557"


def spec(title: str, **kwargs) -> CardSpec:
    values = {"layout": "classic", "width": 1200, "height": 630, "title": title,
              "site_name": "SMO Demo", "subtitle": "Blog", "background": BACKGROUND,
              "fonts": fonts.identity(), **kwargs}
    return CardSpec(**values)


def drawn(card: CardSpec) -> Image.Image:
    image = Image.open(io.BytesIO(store.render(card)))
    image.load()
    return image


def ink_box(image: Image.Image, colour: str = BACKGROUND) -> tuple[int, int, int, int] | None:
    """Bounding box of every pixel that differs from the background colour."""
    plain = Image.new("RGB", image.size, colour)
    return ImageChops.difference(image.convert("RGB"), plain).getbbox()


def inside(box, area) -> bool:
    return area[0] <= box[0] and area[1] <= box[1] and box[2] <= area[2] and box[3] <= area[3]


def title_only(card: CardSpec) -> Image.Image:
    """The card's title area, with no subtitle or site name drawn."""
    layout = get_layout(card.layout)
    return drawn(card).crop(layout.title_box(card))


@pytest.mark.parametrize("title", [
    "Social cards explained in five minutes",
    "A title that goes on and on " * 10,
    "Supercalifragilisticexpialidocious" * 4,
])
def test_card_is_a_1200x630_png_with_all_text_in_the_safe_area(title):
    card = spec(title)
    image = drawn(card)
    assert image.format == "PNG" and image.size == (1200, 630)
    box = ink_box(image)
    assert box is not None
    assert inside(box, get_layout("classic").safe_area(card))


def test_a_title_too_long_is_cut_with_an_ellipsis():
    card = spec("Word " * 200)
    fitted = get_layout("classic").fit_title(card)
    assert fitted.cut and fitted.lines[-1].endswith("…")
    short = get_layout("classic").fit_title(spec("Short title"))
    assert not short.cut and short.lines == ("Short title",)


def test_cyrillic_title_renders_real_glyphs():
    title = "Как сделать карточки для соцсетей"
    for path in (fonts.REGULAR, fonts.BOLD):
        assert all(fonts.has_glyph(path, char) for char in title)
    # The missing-glyph box: a card of unknown characters looks nothing like the real one.
    boxes = "\U0010fffd" * len(title)
    assert not fonts.has_glyph(fonts.BOLD, boxes[0])
    real, notdef = title_only(spec(title)), title_only(spec(boxes))
    assert ImageChops.difference(real, notdef).getbbox() is not None
    assert ink_box(real) is not None


def test_characters_the_font_lacks_are_left_out_not_drawn_as_boxes():
    with_emoji = title_only(spec("Как сделать карточки 🚀"))
    without = title_only(spec("Как сделать карточки"))
    assert ImageChops.difference(with_emoji, without).getbbox() is None


def test_an_emoji_only_title_does_not_crash():
    image = drawn(spec("🚀🙂🎉"))
    assert image.size == (1200, 630)
    assert ink_box(title_only(spec("🚀🙂🎉"))) is None  # nothing drawn where the title goes


def test_right_to_left_title_is_shaped_with_raqm_or_refused(monkeypatch):
    title = "שלום עולם"
    if fonts.has_raqm():
        card = spec(title, subtitle="", site_name="")
        box = ink_box(drawn(card))
        area = get_layout("classic").safe_area(card)
        assert box is not None and inside(box, area)
        assert area[2] - box[2] < 10  # right-aligned, as right-to-left text is
    monkeypatch.setattr(fonts, "has_raqm", lambda: False)
    with pytest.raises(CardError, match="right to left"):
        store.render(spec(title))


@pytest.mark.parametrize(("network", "size"), [
    ("instagram", (1080, 1350)), ("pinterest", (1000, 1500)),
])
def test_network_sizes_come_from_the_registry(network, size):
    assert network_size(get_network(network).images) == size
    image = drawn(spec("A portrait card", width=size[0], height=size[1]))
    assert image.size == size
    assert inside(ink_box(image), get_layout("classic").safe_area(spec("x", width=size[0],
                                                                        height=size[1])))


def test_the_name_is_a_hash_of_every_input():
    base = spec("Title")
    assert base.name == spec("Title").name
    assert base.name.endswith("/classic-1200x630.png")
    for changed in (spec("Other"), spec("Title", background="#000000"), spec("Title", width=1080),
                    spec("Title", subtitle="News"), spec("Title", fonts=(("x.ttf", 1),))):
        assert changed.key != base.key


def test_photo_layout_is_a_jpeg():
    card = spec("Photo", layout="photo", format="jpeg")
    assert card.name.endswith(".jpg")
    assert drawn(card).format == "JPEG"


def test_bad_colour_unknown_layout_and_bad_font_name_the_setting(settings, tmp_path):
    with pytest.raises(CardError, match="card background colour"):
        store.render(spec("x", background="not a colour"))
    with pytest.raises(CardError, match="Settings › Social media"):
        store.render(spec("x", layout="nope"))
    settings.WAGTAIL_SMO = {"CARDS": {"FONT": str(tmp_path / "missing.ttf"),
                                      "LAYOUTS": {"mine": "no.such.Layout"}}}
    with pytest.raises(CardError, match="FONT"):
        store.render(spec("x", fonts=fonts.identity()))
    ids = {error.id for error in checks.run_checks()}
    assert {"wagtail_smo.E040", "wagtail_smo.E041"} <= ids


MATH_FONT = "/usr/share/fonts/truetype/dejavu/DejaVuMathTeXGyre.ttf"  # Debian fonts-dejavu-core


@pytest.mark.skipif(not __import__("os").path.exists(MATH_FONT), reason="fonts-dejavu-core")
def test_a_fallback_font_draws_what_the_main_font_lacks(settings):
    assert not fonts.has_glyph(fonts.BOLD, "𝒜")
    plain, without_fallback = spec("Card"), spec("Card 𝒜")
    assert ImageChops.difference(title_only(plain), title_only(without_fallback)).getbbox() is None
    settings.WAGTAIL_SMO = {"CARDS": {"FALLBACK_FONTS": [MATH_FONT]}}
    with_char = spec("Card 𝒜")
    assert with_char.key != without_fallback.key  # the fonts are inputs of the card
    assert ImageChops.difference(title_only(plain), title_only(with_char)).getbbox() is not None
    assert inside(ink_box(drawn(with_char)), get_layout("classic").safe_area(with_char))
