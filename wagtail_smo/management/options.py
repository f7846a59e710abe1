"""What the ``smo_`` commands share: their base class, ``--site``, ``--section`` and bad input.

One definition of what a ``--site`` value means (an id, a hostname or ``hostname:port``), so that
``smo_audit`` and ``smo_export`` accept the same values; each command keeps its own wording of
the error, which its documentation and tests quote.
"""

from __future__ import annotations

import os
import signal
import sys
from argparse import ArgumentParser
from typing import Any, NoReturn

from django.core.management.base import BaseCommand, CommandError, CommandParser
from wagtail.models import Site

from ..pages import sites_with_hostname

#: Exit status of a command given bad input (an unknown option value, a bad date...).
EXIT_USAGE = 2


class OneLineErrorParser(CommandParser):
    """A command's parser whose errors on the command line are one line, without the usage."""

    def error(self, message: str) -> NoReturn:
        """Exit with status 2 and ``prog: error: message`` on stderr (``--help`` has the rest)."""
        if self.called_from_command_line:
            self.exit(EXIT_USAGE, f"{self.prog}: error: {message} (see --help)\n")
        super().error(message)  # raises CommandError under call_command
        raise AssertionError("unreachable")  # for the type checker: CommandParser.error returns


class SmoCommand(BaseCommand):
    """The base of the ``smo_`` commands: one-line usage errors; a closed pipe ends quietly.

    A reader that stops early (``smo_export | head``) closes the pipe; the next write raises
    BrokenPipeError. A Unix tool stops there without a traceback, with the status of a process
    ended by SIGPIPE (141 in a shell), so that ``set -o pipefail`` still sees it did not finish.
    """

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        """Django's parser, with errors printed on one line."""
        self.help = str(self.help)  # a lazy translation, in the language active now (argparse)
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        # Django instantiates CommandParser itself (no hook for the class); the subclass only
        # changes how an error is printed.
        parser.__class__ = OneLineErrorParser
        return parser

    def run_from_argv(self, argv: list[str]) -> None:
        """Run as ``manage.py`` does; a closed standard output ends the process quietly."""
        try:
            super().run_from_argv(argv)
            sys.stdout.flush()  # a pipe closed after the last write shows up here
        except BrokenPipeError:
            # Python flushes stdout again at exit: point it at /dev/null so that flush has
            # nowhere to fail (the recipe of Python's signal module documentation).
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            sys.exit(128 + signal.SIGPIPE)


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
