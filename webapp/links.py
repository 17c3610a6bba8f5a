"""Which stored addresses may become links: http(s) URLs and paths on this portal.

Activity launch and thumbnail URLs come from imports and backups; a
`javascript:` or `data:` one must never reach an `href` or `src`.  Stored
values are kept as they are (nothing is lost) and checked where they leave the
database, so every way in (seeds, imports, restores) is covered by one rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def safe_link(value: str | None) -> str | None:
    """`value` when it is an http(s) URL with a host or a same-origin path, else None."""
    if not value:
        return None
    text = value.strip()
    if any(ord(ch) < 0x21 or ch == "\\" for ch in text):
        return None  # browsers drop or reinterpret these, so what is checked is not what runs
    if text.startswith("/"):
        return text if not text.startswith("//") else None
    parts = urlsplit(text)
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        return text
    return None
