"""Text widgets with a live character counter against each network's limits (editor.js)."""

from __future__ import annotations

import json

from django import forms

from .networks import counter_limits

EDITOR_MEDIA = forms.Media(
    js=["wagtail_smo/editor.js"], css={"all": ["wagtail_smo/editor.css"]}
)


class _Counted(forms.Widget):
    """Writes the limits of ``kind`` ("title", "description", "alt") into ``data-smo-limits``.

    Read from the registry when the widget renders (not when the panel is defined), so that the
    networks configured then are the ones counted.
    """

    def __init__(self, kind: str, attrs: dict | None = None) -> None:
        self.kind = kind
        super().__init__(attrs)

    def get_context(self, name: str, value: object, attrs: dict | None) -> dict:
        """The widget's context with the counter's limits as ``data-smo-limits``."""
        attrs = {**(attrs or {}), "data-smo-limits": json.dumps(counter_limits(self.kind))}
        return super().get_context(name, value, attrs)

    def __deepcopy__(self, memo: dict) -> _Counted:
        # Django deep-copies widgets per form; keep ``kind`` along with the attrs.
        copy = super().__deepcopy__(memo)
        copy.kind = self.kind
        return copy

    @property
    def media(self) -> forms.Media:
        """The counter's script and styles."""
        return EDITOR_MEDIA


class CountedTextInput(_Counted, forms.TextInput):
    """A one-line text input with a live counter."""


class CountedTextarea(_Counted, forms.Textarea):
    """A textarea with a live counter."""

    def __init__(self, kind: str, attrs: dict | None = None) -> None:
        super().__init__(kind, {"rows": 3, **(attrs or {})})
