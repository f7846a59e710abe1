"""Run the checks on one page: resolve it once, then apply every check to the result."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from ..meta import ResolveContext, SocialMeta, resolve
from .checks import CHECKS, Check
from .context import AuditContext
from .findings import Finding, Level

logger = logging.getLogger("wagtail_smo")


@dataclass
class PageAudit:
    """The resolved values of one page (None when the resolver failed) and what is wrong."""

    page: object
    meta: SocialMeta | None
    findings: list[Finding] = field(default_factory=list)

    @property
    def worst(self) -> Level | None:
        """The most serious level found, or None when the page is fine."""
        return max((f.level for f in self.findings), default=None)


def audit_page(
    page: Any,
    *,
    context: AuditContext | None = None,
    resolve_context: ResolveContext | None = None,
    checks: Iterable[Check] = CHECKS,
) -> PageAudit:
    """Resolve ``page`` and run every check; a failing resolver or check becomes an error.

    ``resolve_context`` shares the resolver's look-ups across the pages of one audit; the meta
    cache is never used, so the audit sees the page as it is (an editor's unsaved preview too).
    """
    context = context or AuditContext()
    try:
        meta = resolve(page, context=resolve_context, use_cache=False)
    except Exception as exc:  # one broken page must not stop an audit or break the editor
        logger.warning("wagtail-smo: resolving page %s failed: %s", page.pk, exc, exc_info=True)
        return PageAudit(page, None, [_resolver_failed(exc)])
    findings: list[Finding] = []
    for check in checks:
        try:
            findings.extend(check(page, meta, context))
        except Exception as exc:
            logger.warning("wagtail-smo: check %s failed on page %s", check.__name__, page.pk,
                           exc_info=True)
            findings.append(Finding(
                Level.ERROR, "check-failed",
                _("The check %(name)s could not run: %(error)s")
                % {"name": check.__name__, "error": _one_line(exc)},
                _("Report this to your site's developers with the page's id."),
            ))
    findings.sort(key=lambda f: -f.level)
    return PageAudit(page, meta, findings)


def _resolver_failed(exc: Exception) -> Finding:
    return Finding(
        Level.ERROR, "resolver-failed",
        _("The social values of this page could not be worked out: %(error)s")
        % {"error": _one_line(exc)},
        _("Open the page in the editor and save it again; if that fails, tell your developers."),
    )


def _one_line(exc: Exception) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:300]
