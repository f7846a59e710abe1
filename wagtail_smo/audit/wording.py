"""How findings name networks and their limits in words, shared by the checks."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..core.networks import Network


def phrase(items: Sequence[str]) -> str:
    """Words as a phrase: "a", "a and b", "a, b and c"."""
    if len(items) == 1:
        return items[0]
    return _("%(names)s and %(last)s") % {"names": ", ".join(items[:-1]), "last": items[-1]}


def names(networks: Iterable[Network]) -> str:
    """Network labels as a phrase: "X", "Facebook and LinkedIn", "A, B and C"."""
    return phrase([str(network.label) for network in networks])


def cut_by(cut: Sequence[tuple[int, list[Network]]],
           shown: Sequence[tuple[int, list[Network]]]) -> str:
    """ "X cuts it after 70, Facebook and LinkedIn after 60 (Telegram shows up to 100)": the
    networks that cut a value, longest limit first, then those that show it whole."""
    (first_limit, first), rest = cut[0], cut[1:]
    verb = ngettext("%(names)s cuts it after %(max)s", "%(names)s cut it after %(max)s",
                    len(first))
    parts = [verb % {"names": names(first), "max": first_limit}]
    parts += [_("%(names)s after %(max)s") % {"names": names(networks), "max": limit}
              for limit, networks in rest]
    text = ", ".join(parts)
    if shown:
        shows = ", ".join(
            ngettext("%(names)s shows up to %(max)s", "%(names)s show up to %(max)s",
                     len(networks)) % {"names": names(networks), "max": limit}
            for limit, networks in shown)
        text += f" ({shows})"
    return text
