"""Call each channel's "who am I" endpoint and print a table of working and failing channels."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ...exceptions import ImproperlyConfiguredChannel, ProviderError
from ...providers import channel_aliases, channel_network, get_provider
from ...providers.base import redact


class Command(BaseCommand):
    help = (
        "Check the credentials of every channel in WAGTAIL_SMO['PROVIDERS'] (or of the channels "
        "named) by calling the network's \"who am I\" endpoint. Prints one row per channel; exits "
        "with status 1 when any channel fails. Tokens are never printed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("channels", nargs="*", metavar="CHANNEL",
                            help="Channel aliases to check (default: all).")

    def handle(self, *args: Any, **options: Any) -> None:
        aliases = options["channels"] or channel_aliases()
        unknown = sorted(set(aliases) - set(channel_aliases()))
        if unknown:
            raise CommandError(f"Unknown channel(s): {', '.join(unknown)}. Configured: "
                               f"{', '.join(channel_aliases()) or 'none'}.", returncode=2)
        if not aliases:
            self.stdout.write("No channels configured in WAGTAIL_SMO['PROVIDERS'].")
            return
        rows = [self.check_channel(alias) for alias in aliases]
        table = [("CHANNEL", "NETWORK", "STATUS", "DETAIL"), *rows]
        widths = [max(len(str(row[i])) for row in table) for i in range(3)]
        for row in table:
            cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
            line = "  ".join([*cells, row[3]])
            style = self.style.SUCCESS if row[2] == "OK" else (
                self.style.ERROR if row[2] == "FAILING" else self.style.MIGRATE_HEADING)
            self.stdout.write(style(line.rstrip()))
        failing = sum(1 for row in rows if row[2] != "OK")
        if failing:
            raise CommandError(f"{failing} of {len(rows)} channel(s) failing.", returncode=1)

    def check_channel(self, alias: str) -> tuple[str, str, str, str]:
        """(channel, network, "OK" or "FAILING", account or the network's message)."""
        network = "?"
        try:
            network = channel_network(alias)
            account = get_provider(alias).who_am_i()
        except (ProviderError, ImproperlyConfiguredChannel) as exc:
            return alias, network, "FAILING", redact(str(exc))
        except Exception as exc:  # noqa: BLE001 -- one broken channel must not hide the others
            return alias, network, "FAILING", redact(f"{type(exc).__name__}: {exc}")
        return alias, network, "OK", redact(account)
