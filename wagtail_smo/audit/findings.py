"""What an audit check reports: a level, a stable code, a message and a one-line fix."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class Level(IntEnum):
    """How serious a finding is; ``--fail-on`` compares against these."""

    INFO = 10
    WARNING = 20
    ERROR = 30

    @property
    def label(self) -> str:
        """Lower-case name used in command output ("error", "warning", "info")."""
        return self.name.lower()

    @classmethod
    def from_label(cls, label: str) -> Level:
        """The level named ``label`` (case-insensitive); ``ValueError`` when unknown."""
        try:
            return cls[label.upper()]
        except KeyError:
            names = ", ".join(level.label for level in cls)
            raise ValueError(f"unknown level {label!r} (choose from {names})") from None


@dataclass(frozen=True)
class Finding:
    """One problem found on a page, in words an editor understands."""

    level: Level
    code: str
    message: str
    fix: str
    #: "page" for problems of the page itself, "site" for problems shared by all pages of a site
    #: (the command reports those once per site rather than on every page).
    scope: str = "page"
