"""Message templates of post drafts: ``{title} {link}`` placeholders, validated with positions.

The syntax is deliberately tiny: ``{name}`` inserts a value, ``{{`` and ``}}`` write literal
braces. Anything else (an unknown name, an unclosed brace, a format spec) is an error reported
with its line and column, so that an editor saving a channel's template sees where it is wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

#: Placeholders a template may use, with the help text shown next to the template field.
PLACEHOLDERS: dict[str, str] = {
    "title": "the page's social title",
    "description": "the page's social description (shortened first when the post is too long)",
    "link": "the page's URL, with UTM parameters when the channel enables them",
    "hashtags": "hashtags from the page's tags (dropped first when the post is too long)",
    "site_name": "the site's name",
    "author": "the page's author",
    "section": "the title of the page's section (its parent)",
}

#: Default templates, one per network: short on X, fuller and more formal on LinkedIn.
DEFAULT_TEMPLATES: dict[str, str] = {
    "x": "{title} {link} {hashtags}",
    "mastodon": "{title}\n\n{description}\n\n{link}\n\n{hashtags}",
    "bluesky": "{title}\n\n{description}\n\n{link}",
    "threads": "{title}\n\n{description}\n\n{link}",
    "linkedin": "{title}\n\n{description}\n\nRead the full article: {link}\n\n{hashtags}",
    "telegram": "{title}\n\n{description}\n\n{link}",
    "facebook": "{description}\n\n{link}",
    "vk": "{title}\n\n{description}\n\n{link}\n\n{hashtags}",
}
FALLBACK_TEMPLATE = "{title}\n\n{description}\n\n{link}"


def default_template(network: str) -> str:
    """The default message template of ``network``."""
    return DEFAULT_TEMPLATES.get(network, FALLBACK_TEMPLATE)


@dataclass(frozen=True)
class TemplateProblem:
    """One error in a template, at a 0-based ``offset`` (``line``/``column`` are 1-based)."""

    offset: int
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column}: {self.message}"


def _problem(template: str, offset: int, message: str) -> TemplateProblem:
    line = template.count("\n", 0, offset) + 1
    column = offset - (template.rfind("\n", 0, offset) + 1) + 1
    return TemplateProblem(offset, line, column, message)


def parse(template: str) -> tuple[list[tuple[str, str]], list[TemplateProblem]]:
    """Split ``template`` into ("text", s) / ("field", name) parts and list every problem."""
    parts: list[tuple[str, str]] = []
    problems: list[TemplateProblem] = []
    text: list[str] = []
    i, n = 0, len(template)
    while i < n:
        char = template[i]
        if char in "{}" and template.startswith(char * 2, i):
            text.append(char)
            i += 2
        elif char == "}":
            problems.append(_problem(template, i, "single '}' (write '}}' for a literal brace)"))
            i += 1
        elif char == "{":
            end = template.find("}", i + 1)
            stray = template.find("{", i + 1)
            if end == -1 or (stray != -1 and stray < end):
                problems.append(_problem(template, i, "'{' is never closed"))
                i += 1
                continue
            name = template[i + 1 : end]
            if name not in PLACEHOLDERS:
                known = ", ".join(f"{{{key}}}" for key in PLACEHOLDERS)
                problems.append(
                    _problem(template, i, f"unknown placeholder {{{name}}} (known: {known})")
                )
            else:
                if text:
                    parts.append(("text", "".join(text)))
                    text = []
                parts.append(("field", name))
            i = end + 1
        else:
            text.append(char)
            i += 1
    if text:
        parts.append(("text", "".join(text)))
    return parts, problems


def validate_template(template: str) -> None:
    """Raise ``ValidationError`` listing every problem of ``template`` with its position."""
    _parts, problems = parse(template)
    if problems:
        raise ValidationError(
            [
                ValidationError(
                    _("Template error at %(position)s"), code="template", params={
                        "position": str(problem),
                    }
                )
                for problem in problems
            ]
        )


def render(template: str, values: Mapping[str, str]) -> str:
    """Fill ``template`` with ``values`` (an invalid template raises ``ValidationError``).

    Lines left empty by missing values are folded so that a post never ends with blank lines.
    """
    parts, problems = parse(template)
    if problems:
        raise ValidationError(str(problems[0]))
    out = "".join(value if kind == "text" else values.get(value, "") for kind, value in parts)
    lines = [" ".join(line.split()) for line in out.split("\n")]
    text = "\n".join(lines)
    while "\n\n\n" in text:
        text = text.replace("\n\n\n", "\n\n")
    return text.strip()
