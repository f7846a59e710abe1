"""Admin upload of a schedule file (same rules as ``smo_import_schedule``)."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..providers import channel_aliases
from . import workflow
from .importing import import_schedule

MAX_UPLOAD_BYTES = 2_000_000


class ImportForm(forms.Form):
    """The upload form: file, layout, Postcron channel, dry run."""

    file = forms.FileField(label=gettext_lazy("Schedule file (CSV, UTF-8)"))
    file_format = forms.ChoiceField(
        label=gettext_lazy("Layout"),
        choices=[("auto", gettext_lazy("Detect")), ("csv", gettext_lazy("Plain CSV")),
                 ("postcron", gettext_lazy("Postcron"))],
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("Channel (Postcron files only)"), required=False,
    )
    dry_run = forms.BooleanField(label=gettext_lazy("Only check the file"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        channel = cast(forms.ChoiceField, self.fields["channel"])  # declared as one above
        channel.choices = [("", "---------")] + [(a, a) for a in channel_aliases()]

    def clean_file(self) -> UploadedFile:
        """The uploaded file, refused above ``MAX_UPLOAD_BYTES``."""
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(_("The file is larger than 2 MB."))
        return upload


def import_view(request: HttpRequest) -> HttpResponse:
    """Upload a schedule: every row is checked, every problem listed, nothing half-imported."""
    if not workflow.can(request.user, "add"):
        return HttpResponseForbidden()
    result = None
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        approve = workflow.can(request.user, "approve")
        result = import_schedule(
            data["file"].read(), file_format=data["file_format"],
            channel=data["channel"] or None, user=request.user, approve=approve,
            dry_run=data["dry_run"],
        )
        if result.ok and not data["dry_run"]:
            state = _("scheduled") if approve else _("created as drafts")
            messages.success(request, _("%(count)d posts %(state)s.") % {
                "count": len(result.created), "state": state})
            return redirect("wagtail_smo_posts:list")
    status = 400 if result is not None and not result.ok else 200
    return TemplateResponse(request, "wagtail_smo/posts/import.html", {
        "form": form, "result": result, "page_title": _("Import a schedule"),
        "header_icon": "upload",
    }, status=status)
