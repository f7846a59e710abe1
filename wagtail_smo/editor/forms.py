"""The page form of the Social tab: an alt text stays with the image it was written for."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class SocialMetaPageForm(WagtailAdminPageForm):
    """Wagtail's page form that asks for a new alt text when the social image changes.

    ``social_edit_handler()`` uses it; a page with its own ``TabbedInterface`` passes
    ``base_form_class=SocialMetaPageForm``. It records on the page which image the alt text was
    written for (``social_image_alt_for``), which the audit compares with the image.
    """

    def clean(self) -> dict[str, Any]:
        """Refuse an alt text kept from the previous image; note the image a new one describes."""
        cleaned = super().clean()
        if "social_image" not in self.fields or "social_image_alt" not in self.fields:
            return cleaned
        image = cleaned.get("social_image")
        alt = (cleaned.get("social_image_alt") or "").strip()
        if image is None or not alt:
            return cleaned
        written_for = getattr(self.instance, "social_image_alt_for", None)
        if "social_image_alt" not in self.changed_data and (
            written_for not in (None, image.pk)
            or (written_for is None and "social_image" in self.changed_data)
        ):
            # The editor changed the image and kept the words that describe another one.
            self.add_error("social_image_alt", _(
                "The social image changed: this alt text was written for the previous image. "
                "Describe the new image, or clear the field to use the image's title."))
            return cleaned
        # Not a form field: set on the page the form saves (and on its revision).
        self.instance.social_image_alt_for = image.pk
        return cleaned
