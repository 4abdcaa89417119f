"""URL canonical form for URL dedup: two fetches of the same page map to the same string.

Rules (each chosen because crawls commonly hold both variants of the same page):
scheme dropped (http and https copies), host lower-cased without a leading ``www.`` and without
the default port, fragment dropped (never sent to the server), ``index.html``-style default files
and a trailing slash removed from the path, percent-escapes of unreserved characters decoded, query
parameters that only track the visit (``utm_*``, ``fbclid``, ``gclid``, ...) dropped and the rest
sorted. Path case is kept: servers may treat it as significant.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urlsplit

_TRACKING_PREFIXES = ("utm_",)
_TRACKING_KEYS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "_ga", "ref_src"})
_DEFAULT_FILES = re.compile(r"/(index|default)\.(html?|php|aspx?)$", re.IGNORECASE)
_UNRESERVED_ESCAPE = re.compile(r"%(2[dD]|2[eE]|5[fF]|7[eE]|3[0-9]|[46][1-9a-fA-F]|[57][0-9aA])")


def _decode_unreserved(match: re.Match) -> str:
    return chr(int(match.group(1), 16))


def _clean_query(query: str) -> str:
    pairs = [
        (k, v)
        for k, v in parse_qsl(query, keep_blank_values=True)
        if not k.lower().startswith(_TRACKING_PREFIXES) and k.lower() not in _TRACKING_KEYS
    ]
    return urlencode(sorted(pairs))


def normalize_url(url: str | None) -> str | None:
    """The canonical form of ``url``, or None when it has no host (nothing to compare)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
        port = parts.port
    except ValueError:
        return None
    if not host:
        return None
    if host.startswith("www."):
        host = host[4:]
    if port is not None and (parts.scheme, port) not in (("http", 80), ("https", 443)):
        host = f"{host}:{port}"
    path = _UNRESERVED_ESCAPE.sub(_decode_unreserved, parts.path or "/")
    path = _DEFAULT_FILES.sub("/", path)
    if len(path) > 1:
        path = path.rstrip("/")
    query = _clean_query(parts.query)
    return f"{host}{path}" + (f"?{query}" if query else "")
