"""Admin of per-site channel settings (Settings → Social channels)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import BooleanColumn, Column, TitleColumn
from wagtail.admin.viewsets.model import ModelViewSet

from ..core.networks import network_for_channel
from ..core.text import PLACEHOLDERS
from ..models import SocialChannel
from ..providers import channel_aliases
from . import workflow
from .feed import feed_path


class SocialChannelForm(WagtailAdminModelForm):
    """Channel choices come from settings; the template field shows the network's default;
    ``auto_approve`` is read-only for users without the approve permission."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        networks = {alias: network_for_channel(alias) for alias in channel_aliases()}
        choices = [(alias, f"{alias} ({network.key})") for alias, network in networks.items()]
        self.fields["channel"].widget = forms.Select(choices=[("", "---------"), *choices])
        alias = self.instance.channel if self.instance.pk else None
        if alias in networks:
            # The network's own declared template, and its name, as the registry has them.
            network = networks[alias]
            field = self.fields["message_template"]
            field.widget.attrs["placeholder"] = network.template
            field.help_text = _(
                "Empty: the default template of %(network)s, shown greyed. Placeholders: %(names)s"
            ) % {"network": network.label, "names": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS)}
        if not (self.for_user is not None and workflow.can(self.for_user, "approve")):
            # Turning auto_approve on approves every future draft of the channel: only those who
            # may approve posts may switch it (either way). A disabled field keeps its saved
            # value whatever is POSTed (False on a new channel).
            field = self.fields["auto_approve"]
            field.disabled = True
            field.help_text = gettext_lazy(
                "Only users who may approve social posts can change this."
            )

    class Meta:
        model = SocialChannel
        fields = [
            "site", "channel", "enabled", "message_template", "max_hashtags", "fixed_hashtags",
            "utm_enabled", "utm_campaign", "auto_approve",
        ]


class SocialChannelViewSet(ModelViewSet):
    """Which channels each site posts to, with their template, hashtag and UTM rules."""

    model = SocialChannel
    icon = "comment"
    menu_label = gettext_lazy("Social channels")
    add_to_settings_menu = True
    url_prefix = "social-channels"
    name = "wagtail_smo_channels"
    list_filter = ["site", "enabled", "auto_approve"]
    list_display = [
        TitleColumn("channel", label=gettext_lazy("Channel"),
                    url_name="wagtail_smo_channels:edit"),
        Column("site", label=gettext_lazy("Site")),
        BooleanColumn("enabled", label=gettext_lazy("Enabled")),
        BooleanColumn("auto_approve", label=gettext_lazy("Approves automatically")),
        Column("post_feed", label=gettext_lazy("Feed of approved posts (keep private)"),
               accessor=lambda channel: channel.site.root_url + feed_path(channel.channel)),
    ]

    def get_form_class(self, for_update: bool = False) -> type[forms.ModelForm]:
        """The channel form (choices from settings, default template as placeholder)."""
        return SocialChannelForm
