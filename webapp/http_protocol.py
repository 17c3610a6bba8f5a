"""The HTTP parser the Procfile's uvicorn runs: httptools, with a bound on a request's head.

uvicorn offers two HTTP/1.1 parsers.  h11 bounds what it buffers of an unfinished
head (`--h11-max-incomplete-event-size`) but parses in Python; httptools parses in
C, about 0.1 ms less CPU per request (a tenth of recording an answer, measured with
`bench/run.py --postgres --only reviews`), but keeps any head however long: twenty
clients sending 20 MB headers grew one worker by 464 MB (docs/hosting-limits.md).

This subclass counts the bytes that arrive while a request's head (request line and
headers) is still incomplete, and past MAX_HEAD_BYTES answers 431 and closes the
connection, before the parser has buffered more.  Everything else is uvicorn's.

Served by `uvicorn --http webapp.http_protocol:BoundedHttpToolsProtocol` (the Procfile).
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# What h11 was given (--h11-max-incomplete-event-size 16384): a browser's head with
# every cookie of this portal is under 4 KB.
MAX_HEAD_BYTES = 16 * 1024

_REFUSAL = b"Request header fields too large (at most 16 KB)\n"
_RESPONSE = b"".join(
    [
        b"HTTP/1.1 431 Request Header Fields Too Large\r\n",
        b"content-type: text/plain; charset=utf-8\r\n",
        b"content-length: " + str(len(_REFUSAL)).encode("ascii") + b"\r\n",
        b"connection: close\r\n\r\n",
        _REFUSAL,
    ]
)


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a request head over MAX_HEAD_BYTES."""

    # per connection (set on the instance as they change)
    _head_bytes = 0  # bytes received since the current head began
    _reading_head = True  # between one message's end and the next head's end
    _boundaries = 0  # heads and messages completed on this connection
    _refused = False

    def data_received(self, data: bytes) -> None:
        if self._refused:
            return
        boundaries_before = self._boundaries
        super().data_received(data)
        if not self._reading_head:
            return
        if self._boundaries != boundaries_before:
            # A message (or head) ended inside this chunk and the next head began:
            # where, the parser does not say, so count from the next chunk on (one
            # chunk of leeway at most, as h11's limit has for a head read whole).
            self._head_bytes = 0
            return
        self._head_bytes += len(data)
        if self._head_bytes > MAX_HEAD_BYTES and self.transport is not None:
            self._refused = True
            self.logger.warning("Request head over %d bytes: refused (431).", MAX_HEAD_BYTES)
            self.transport.write(_RESPONSE)
            self.transport.close()

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._head_bytes = 0
        self._boundaries += 1
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        self._reading_head = True
        self._boundaries += 1
        super().on_message_complete()
