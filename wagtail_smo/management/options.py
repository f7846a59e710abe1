"""Command-line options the ``smo_`` commands share: ``--site``, ``--section`` and bad input.

One definition of what a ``--site`` value means (an id, a hostname or ``hostname:port``), so that
``smo_audit`` and ``smo_export`` accept the same values; each command keeps its own wording of
the error, which its documentation and tests quote.
"""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import CommandError
from wagtail.models import Site

from ..pages import sites_with_hostname

#: Exit status of a command given bad input (an unknown option value, a bad date...).
EXIT_USAGE = 2


def usage_error(message: str) -> CommandError:
    """A one-line error that ends the command with exit status 2 (bad input)."""
    return CommandError(message, returncode=EXIT_USAGE)


def add_site_section_arguments(
    parser: ArgumentParser, *, site_default: str, section_help: str, section_metavar: str = "PAGE"
) -> None:
    """Add ``--site`` (read by :func:`find_site`) and ``--section`` to a command's parser."""
    parser.add_argument(
        "--site", metavar="SITE",
        help=f"Site: its id, hostname or hostname:port (default: {site_default}).",
    )
    # The commands mean different things by a section (any page for an audit, a page with a
    # feed for an export), so each one says what it takes.
    parser.add_argument("--section", metavar=section_metavar, help=section_help)


class UnknownSite(LookupError):
    """No site, or more than one, answers to a ``--site`` value; ``str()`` lists known sites."""

    def __init__(self, value: str, *, ambiguous: bool) -> None:
        self.value = value
        self.ambiguous = ambiguous
        known = ", ".join(f"{s.hostname}:{s.port}" for s in Site.objects.order_by("pk")[:10])
        super().__init__(f"known sites are {known or 'none'}")


def find_site(value: str) -> Site:
    """The one site given by its id, its hostname or ``hostname:port``; raises UnknownSite."""
    queryset = Site.objects.select_related("root_page")
    if value.isdigit():
        sites = list(queryset.filter(pk=int(value)))
    else:
        hostname, _, port = value.partition(":")
        if port and not port.isdigit():
            raise UnknownSite(value, ambiguous=False)
        # Matched as every URL of the site is (letter case, IDN forms): wagtail_smo.pages.
        matching = sites_with_hostname(hostname)
        if port:
            matching = matching.filter(port=int(port))
        sites = list(matching[:2])
    if len(sites) != 1:
        # Several sites on one host name (different ports): guessing one would audit or export
        # the wrong site without a word, so ask for the port.
        raise UnknownSite(value, ambiguous=bool(sites))
    return sites[0]


def site_option(value: str, *, message: str = "{Problem} --site {value!r}: {known}.") -> Site:
    """The site of a ``--site`` value, or a usage error worded by ``message``."""
    # Each command keeps the wording its docs and tests quote: ``message`` may use {value},
    # {problem} ("unknown"/"ambiguous"), {Problem} (capitalised) and {known} ("known sites are…").
    try:
        return find_site(value)
    except UnknownSite as exc:
        problem = "ambiguous" if exc.ambiguous else "unknown"
        raise usage_error(message.format(
            value=value, problem=problem, Problem=problem.capitalize(), known=exc,
        )) from exc


def default_site() -> Site | None:
    """The default site (the one serving unknown host names), or None when there is none."""
    return Site.objects.filter(is_default_site=True).select_related("root_page").first()
