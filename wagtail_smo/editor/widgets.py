"""Text widgets with a live character counter against each network's limits (editor.js)."""

from __future__ import annotations

import json

from django import forms

from .networks import COUNTER_LIMITS

EDITOR_MEDIA = forms.Media(
    js=["wagtail_smo/editor.js"], css={"all": ["wagtail_smo/editor.css"]}
)


class _Counted(forms.Widget):
    """Writes the limits of ``kind`` (a key of ``COUNTER_LIMITS``) into ``data-smo-limits``."""

    def __init__(self, kind: str, attrs: dict | None = None) -> None:
        self.kind = kind
        attrs = {**(attrs or {}), "data-smo-limits": json.dumps(COUNTER_LIMITS[kind])}
        super().__init__(attrs)

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
