"""Which URLs may leave the site: only those on public addresses (pure, no ORM, no DNS).

An image URL given to a network or a webhook is fetched by *them*; a receiver inside the site's
own network (a webhook, an automation tool) would fetch ``http://169.254.169.254/`` (cloud
metadata) or ``http://10.0.0.5/admin`` on the sender's behalf. So a URL is public only when its
host is an IP literal that is globally reachable, or a host name that is not local by definition.

Host names are *not* resolved through DNS: the answer may change between the check and the fetch
(DNS rebinding), and the networks resolve and fetch the URL themselves, from their own networks.
IP literals are recognised in every notation a URL fetcher accepts (WHATWG URL standard and
``inet_aton``): dotted decimal, a single decimal or hex number (``http://2130706433/``), octal
and hex parts, shortened forms (``127.1``), bracketed IPv6 (including IPv4-mapped, 6to4 and
NAT64 forms), full-width digits and percent-encoding.
"""

from __future__ import annotations

import ipaddress
import unicodedata
from urllib.parse import unquote, urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

#: Names that never denote a public host, whatever DNS says: RFC 6761 (localhost), RFC 6762
#: (.local, multicast DNS), RFC 8375 (home.arpa) and ICANN's 2024 private-use ".internal"
#: (e.g. GCP's metadata.google.internal).
LOCAL_SUFFIXES = ("localhost", "local", "internal", "home.arpa")

#: Characters that make URL parsers disagree about where the host ends (``\`` is a path separator
#: for browsers but not for ``urlsplit``), or that have no place in a host.
_AMBIGUOUS = set("\\ \t\r\n%@/?#[]")

_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")


def _number(part: str) -> int | None:
    """One IPv4 part as URL parsers read it: 0x.. hex, 0.. octal, else decimal."""
    if part[:2].lower() == "0x":
        digits, base = part[2:] or "0", 16
    elif len(part) > 1 and part.startswith("0"):
        digits, base = part[1:], 8
    else:
        digits, base = part, 10
    try:
        return int(digits, base) if digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


def _ends_in_number(host: str) -> bool:
    """WHATWG "ends in a number": then the host can only be an IPv4 address (or invalid)."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    last = parts[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2].lower() == "0x" and all(c in "0123456789abcdefABCDEF" for c in last[2:])


def _ipv4(host: str) -> ipaddress.IPv4Address | None:
    """The IPv4 address ``host`` denotes in any inet_aton/WHATWG notation, or None if invalid."""
    parts = host.split(".")
    if parts[-1] == "" and len(parts) > 1:
        parts.pop()
    if len(parts) > 4 or "" in parts:
        return None
    numbers = [_number(part) for part in parts]
    if any(n is None for n in numbers):
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):  # type: ignore[operator]
        return None
    value = last
    for index, n in enumerate(head):
        value += n * 256 ** (3 - index)  # type: ignore[operator]
    return ipaddress.IPv4Address(value)


def _normalise(host: str) -> str:
    """The host as a URL fetcher sees it: percent-decoded, NFKC (full-width digits), lower case,
    ideographic full stops as dots (UTS 46 mapping, as browsers apply it)."""
    host = unicodedata.normalize("NFKC", unquote(host)).lower()
    return host.replace("\u3002", ".")


def _address_problem(address: IPAddress) -> str | None:
    """Why ``address`` is not globally reachable, or None when it is."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return _address_problem(embedded)
    for flag, kind in (("is_unspecified", "an unspecified"), ("is_loopback", "a loopback"),
                       ("is_link_local", "a link-local"), ("is_multicast", "a multicast"),
                       ("is_reserved", "a reserved"), ("is_private", "a private")):
        if getattr(address, flag):
            return f"{kind} address ({address})"
    if not address.is_global:  # 100.64.0.0/10 (carrier-grade NAT) and other shared ranges
        return f"a non-public address ({address})"
    return None


def host_problem(url: str) -> str | None:
    """Why the host of ``url`` is not public ("a loopback address (127.0.0.1)"), or None.

    None also when ``url`` has no host at all: whether it is a URL is the caller's question.
    """
    try:
        parts = urlsplit(url or "")
        raw = parts.hostname
    except ValueError:  # an unbalanced "[" in the host
        return "an unreadable host"
    if not raw:
        return None
    if "[" in parts.netloc:  # a bracketed IPv6 literal (the zone, e.g. %25eth0, is dropped)
        try:
            return _address_problem(ipaddress.IPv6Address(unquote(raw).split("%")[0]))
        except ValueError:
            return "an unreadable IPv6 address"
    host = _normalise(raw)
    if any(c in _AMBIGUOUS or unicodedata.category(c)[0] in "CZ" for c in host):
        return "an unreadable host"
    if _ends_in_number(host):
        address = _ipv4(host)
        return "an unreadable IPv4 address" if address is None else _address_problem(address)
    name = host.rstrip(".")
    if "." not in name:  # a single label resolves through the local search domains
        return f"a local host name ({name})"
    if any(name == suffix or name.endswith("." + suffix) for suffix in LOCAL_SUFFIXES):
        return f"a local host name ({name})"
    return None


def is_public_url(url: str) -> bool:
    """True for an absolute http(s) URL whose host is public (see ``host_problem``)."""
    try:
        parts = urlsplit(url or "")
        has_host = bool(parts.hostname)
    except ValueError:
        return False
    if any(c in url for c in "\\\r\n\t "):  # parsers disagree on these; never send them on
        return False
    return parts.scheme in ("http", "https") and has_host and host_problem(url) is None
