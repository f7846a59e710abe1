"""Card layouts: where the logo, the texts and the image go. Two are built in; a site adds its own.

A layout is a ``Layout`` subclass. To add one, subclass ``Layout`` (or ``ClassicLayout``),
override ``draw()`` or only the geometry, and name it in the settings::

    WAGTAIL_SMO = {"CARDS": {"LAYOUTS": {"banner": "myapp.cards.BannerLayout"}}}

It is then offered in Settings › Social media beside the built-in ones. Every layout keeps its
text inside ``safe_area()`` (the tests check the built-in ones pixel by pixel).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar

from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageColor, ImageDraw, ImageOps

from ..conf import smo_settings
from . import fonts, text
from .spec import CardError, CardSpec, ImageInput

Box = tuple[int, int, int, int]


class Layout:
    """The classic geometry and drawing; subclasses change what they need."""

    name: ClassVar[str] = ""
    label: ClassVar[Any] = ""
    #: File format of the cards ("png" for flat colours, "jpeg" for photographs).
    format: ClassVar[str] = "png"
    #: Whether the page's own image is drawn (as a background).
    uses_page_image: ClassVar[bool] = False
    #: Margin around the safe area, as a share of the card's width.
    margin: ClassVar[float] = 0.07
    #: Title font sizes tried, largest first, in pixels of a 1200-pixel-wide card.
    title_sizes: ClassVar[tuple[int, ...]] = (76, 68, 60, 54, 48, 44)

    def scale(self, spec: CardSpec) -> float:
        """Sizes are given for a 1200-pixel-wide card; other widths scale them."""
        return spec.width / 1200

    def safe_area(self, spec: CardSpec) -> Box:
        """The box every text and logo stays inside (networks crop or overlay the edges)."""
        m = round(spec.width * self.margin)
        return m, m, spec.width - m, spec.height - m

    def logo_box(self, spec: CardSpec) -> Box:
        """Where the logo goes (it is scaled down to fit, never up)."""
        x0, y0, x1, _y1 = self.safe_area(spec)
        return x0, y0, x0 + round((x1 - x0) * 0.4), y0 + round(spec.height * 0.1)

    def small_size(self, spec: CardSpec) -> int:
        """Font size of the subtitle and the site name."""
        return round(34 * self.scale(spec))

    def title_box(self, spec: CardSpec) -> Box:
        """The box the title is fitted to: between the logo and subtitle and the site name."""
        x0, y0, x1, y1 = self.safe_area(spec)
        small = self.small_size(spec)
        top = y0
        if spec.logo is not None:
            top = self.logo_box(spec)[3] + small
        if spec.subtitle:
            top += round(small * text.LEADING + small * 0.8)
        bottom = y1 - (round(small * text.LEADING + small) if spec.site_name else 0)
        return x0, top, x1, bottom

    def fit_title(self, spec: CardSpec) -> text.FittedText:
        """The title's lines and size in this layout (``cut`` when it does not fit whole)."""
        x0, y0, x1, y1 = self.title_box(spec)
        sizes = [max(8, round(size * self.scale(spec))) for size in self.title_sizes]
        return text.fit(spec.title, (x1 - x0, max(1, y1 - y0)), sizes, bold=True)

    def draw(self, canvas: Image.Image, spec: CardSpec) -> None:
        """Draw the card on ``canvas`` (already filled with the background)."""
        draw = ImageDraw.Draw(canvas)
        x0, y0, x1, y1 = self.safe_area(spec)
        fg = colour(spec.foreground, "card text colour")
        accent = colour(spec.accent, "card accent colour")
        small = self.small_size(spec)
        if spec.logo is not None:
            paste_logo(canvas, spec.logo, self.logo_box(spec))
        title_x0, title_y0, _tx1, _ty1 = self.title_box(spec)
        if spec.subtitle:
            subtitle = text.fit(spec.subtitle, (x1 - x0, round(small * text.LEADING)), [small],
                                bold=False, max_lines=1)
            sub_y = title_y0 - round(small * text.LEADING + small * 0.8)
            text.draw_lines(draw, subtitle, (x0, sub_y), x1 - x0, accent, bold=False)
            bar_y = sub_y + round(small * text.LEADING + small * 0.2)
            draw.rectangle((x0, bar_y, x0 + round(80 * self.scale(spec)),
                            bar_y + max(2, round(6 * self.scale(spec)))), fill=accent)
        title = self.fit_title(spec)
        text.draw_lines(draw, title, (title_x0, title_y0), x1 - x0, fg, bold=True)
        if spec.site_name:
            site = text.fit(spec.site_name, (x1 - x0, round(small * text.LEADING)), [small],
                            bold=True, max_lines=1)
            text.draw_lines(draw, site, (x0, y1 - round(small * text.LEADING)), x1 - x0, accent)

    def background(self, spec: CardSpec) -> Image.Image:
        """The canvas before any text: the background colour."""
        return Image.new("RGB", spec.size, colour(spec.background, "card background colour"))


class ClassicLayout(Layout):
    """The title in bold on a solid colour, the section above it, the site name below."""

    name = "classic"
    label = _("Classic: the title on a solid colour")


class PhotoLayout(Layout):
    """The page's image under a dark overlay, with the classic texts in the text colour."""

    name = "photo"
    label = _("Photo: the page's image under a dark overlay")
    format = "jpeg"
    uses_page_image = True
    #: How dark the overlay is (0: none, 1: black).
    overlay: ClassVar[float] = 0.62

    def background(self, spec: CardSpec) -> Image.Image:
        """The page's image, cropped to the card, under a dark overlay (else the colour)."""
        if spec.image is None:
            return super().background(spec)
        photo = open_image(spec.image).convert("RGB")
        photo = ImageOps.fit(photo, spec.size, Image.Resampling.LANCZOS)
        return Image.blend(photo, Image.new("RGB", spec.size, (0, 0, 0)), self.overlay)


BUILTIN: dict[str, type[Layout]] = {"classic": ClassicLayout, "photo": PhotoLayout}


@lru_cache(maxsize=32)
def _import_layout(path: str) -> type[Layout]:
    layout = import_string(path)
    if not (isinstance(layout, type) and issubclass(layout, Layout)):
        raise TypeError(f"{path} is not a subclass of wagtail_smo.images.layouts.Layout")
    return layout


def available() -> dict[str, str]:
    """Layout name -> dotted path or built-in name, built-in first, then the site's own."""
    return {**{name: name for name in BUILTIN}, **smo_settings.CARDS["LAYOUTS"]}


def get_layout(name: str) -> Layout:
    """The layout ``name``; ``CardError`` naming the setting when it is unknown or broken."""
    if name in BUILTIN:
        return BUILTIN[name]()
    path = smo_settings.CARDS["LAYOUTS"].get(name)
    if path is None:
        raise CardError(
            f"The card layout {name!r} chosen in Settings › Social media does not exist; "
            f"layouts: {', '.join(available())}."
        )
    try:
        return _import_layout(path)()
    except (ImportError, TypeError) as exc:
        raise CardError(f"WAGTAIL_SMO['CARDS']['LAYOUTS'][{name!r}]: {exc}") from exc


def layout_choices() -> list[tuple[str, Any]]:
    """(name, label) of every layout, for the site setting's choices."""
    choices: list[tuple[str, Any]] = [(name, cls.label) for name, cls in BUILTIN.items()]
    for name, path in smo_settings.CARDS["LAYOUTS"].items():
        try:
            label = _import_layout(path).label or name
        except (ImportError, TypeError):
            label = name  # reported by the system check wagtail_smo.E041
        choices.append((name, label))
    return choices


def colour(value: str, setting: str) -> tuple[int, ...]:
    """An RGB colour from a CSS colour string; ``CardError`` naming ``setting`` if invalid."""
    try:
        return ImageColor.getrgb(value)
    except ValueError as exc:
        raise CardError(f"The {setting} (Settings › Social media) is not a colour: "
                        f"{value!r}.") from exc


def open_image(source: ImageInput) -> Image.Image:
    """The image of ``source`` read from its storage; ``CardError`` naming its setting."""
    try:
        with source.storage.open(source.name, "rb") as handle:
            image = Image.open(handle)
            image.load()
    except Exception as exc:  # missing file, corrupt file: PIL raises several kinds
        raise CardError(f"The {source.setting} cannot be read ({source.name}: {exc}).") from exc
    return image


def paste_logo(canvas: Image.Image, logo: ImageInput, box: Box) -> None:
    """Scale the logo down into ``box`` and paste it with its transparency."""
    image = open_image(logo).convert("RGBA")
    image.thumbnail((box[2] - box[0], box[3] - box[1]), Image.Resampling.LANCZOS)
    canvas.paste(image, (box[0], box[1]), image)


def check_text(spec: CardSpec) -> None:
    """Refuse text that cannot be drawn the right way round (see ``fonts.check_rtl``)."""
    fonts.check_rtl(spec.title, "page title")
    fonts.check_rtl(spec.subtitle, "section or date")
    fonts.check_rtl(spec.site_name, "site name")
