"""Compressed responses and cache-busted static files.

No ASGI server compresses, so the app does: Brotli when the client accepts it,
else gzip, for text bodies over a small threshold, with `Vary: Accept-Encoding`
merged into whatever Vary the response already has.  Static files are the same
bytes on every request, so their compressed form is kept in memory.  Static URLs
carry a content hash (`?v=…`), which lets them be cached for a year and still
change the moment a file does.
"""

from __future__ import annotations

import gzip
import hashlib
from functools import cache
from pathlib import Path
from typing import Any

import brotli
from quart import Quart, Response, request

from .response_cache import compressed_body, remember_compressed
from .web import add_vary

MIN_SIZE = 512
COMPRESSIBLE = ("text/", "application/json", "application/javascript", "image/svg+xml")
BROTLI_QUALITY = 5  # a good ratio at a few ms per page; static files get 11 once
_static_cache: dict[tuple[str, str], bytes] = {}


def choose_encoding(accept_encoding: str) -> str | None:
    accepted = {part.split(";")[0].strip().lower() for part in accept_encoding.split(",")}
    if "br" in accepted:
        return "br"
    if "gzip" in accepted:
        return "gzip"
    return None


def compress(data: bytes, encoding: str, quality: int = BROTLI_QUALITY) -> bytes:
    if encoding == "br":
        packed: bytes = brotli.compress(data, quality=quality)
        return packed
    return gzip.compress(data, compresslevel=6 if quality < 11 else 9)


async def compress_response(response: Response) -> Response:
    content_type = response.mimetype or ""
    if not content_type.startswith(COMPRESSIBLE) or "Content-Encoding" in response.headers:
        return response
    add_vary(response, "Accept-Encoding")
    encoding = choose_encoding(request.headers.get("Accept-Encoding", ""))
    if encoding is None or response.status_code in (204, 304) or request.method == "HEAD":
        return response
    data = await response.get_data(as_text=False)
    if len(data) < MIN_SIZE:
        return response
    if request.endpoint == "static":
        key = (request.path, encoding)
        if key not in _static_cache:
            _static_cache[key] = compress(data, encoding, quality=11)
        body = _static_cache[key]
    else:
        kept = compressed_body(encoding)  # a response cache hit's, compressed before
        if kept is None:
            kept = compress(data, encoding)
            remember_compressed(encoding, kept)
        body = kept
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    response.headers["Content-Length"] = str(len(body))
    if response.headers.get("ETag"):
        # the same resource in another encoding is another representation
        response.headers["ETag"] = response.headers["ETag"].rstrip('"') + f'-{encoding}"'
    return response


@cache
def static_version(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def install_compression(app: Quart) -> None:
    static_folder = Path(app.static_folder or "")

    @app.url_defaults
    def version_static_urls(endpoint: str, values: dict[str, Any]) -> None:
        if endpoint == "static" and "filename" in values and "v" not in values:
            file = static_folder / values["filename"]
            if file.is_file():
                values["v"] = static_version(file)

    app.after_request(compress_response)
