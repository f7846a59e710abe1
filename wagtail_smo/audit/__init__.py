"""SMO audit: checks shared by the page editor and ``manage.py smo_audit``."""

from .checks import CHECKS, is_public_host
from .context import AuditContext
from .findings import Finding, Level
from .runner import PageAudit, audit_page
from .sources import describe_source

__all__ = [
    "CHECKS",
    "AuditContext",
    "Finding",
    "Level",
    "PageAudit",
    "audit_page",
    "describe_source",
    "is_public_host",
]
