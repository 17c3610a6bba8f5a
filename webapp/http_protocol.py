"""The HTTP parser the Procfile's uvicorn runs: httptools, with a bound on a request's head.

uvicorn offers two HTTP/1.1 parsers.  h11 bounds what it buffers of an unfinished
head (`--h11-max-incomplete-event-size`) but parses in Python; httptools parses in
C, about 0.1 ms less CPU per request (a tenth of recording an answer, measured with
`bench/run.py --postgres --only reviews`), but keeps any head however long: twenty
clients sending 20 MB headers grew one worker by 464 MB (docs/hosting-limits.md).

This subclass counts the bytes that arrive while a request's head (request line and
headers) is still incomplete, and past MAX_HEAD_BYTES answers 431 and closes the
connection, before the parser has buffered more.  It also answers 411 (Length
Required, which HTTP allows a server to ask for) to a request body sent with
Transfer-Encoding: a chunked body may end in trailer fields, which httptools buffers
as it does headers, with no bound, and the portal's clients (browsers, fetch, curl)
send a Content-Length.  A body with a length is bounded by uvicorn's flow control
and the app's own limits.  Everything else is uvicorn's.

Served by `uvicorn --http webapp.http_protocol:BoundedHttpToolsProtocol` (the Procfile).
"""

from __future__ import annotations

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

# What h11 was given (--h11-max-incomplete-event-size 16384): a browser's head with
# every cookie of this portal is under 4 KB.
MAX_HEAD_BYTES = 16 * 1024


def _closing_response(status: bytes, message: bytes) -> bytes:
    return b"".join(
        [
            b"HTTP/1.1 " + status + b"\r\n",
            b"content-type: text/plain; charset=utf-8\r\n",
            b"content-length: " + str(len(message)).encode("ascii") + b"\r\n",
            b"connection: close\r\n\r\n",
            message,
        ]
    )


_HEAD_TOO_LARGE = _closing_response(
    b"431 Request Header Fields Too Large", b"Request header fields too large (at most 16 KB)\n"
)
_LENGTH_REQUIRED = _closing_response(
    b"411 Length Required",
    b"Send the request body with a Content-Length (Transfer-Encoding is not accepted)\n",
)


class _Refused(Exception):
    """Raised from a parser callback to stop parsing a refused request."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol, refusing a head over MAX_HEAD_BYTES and a body
    sent with Transfer-Encoding."""

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
        if self._head_bytes > MAX_HEAD_BYTES:
            self.logger.warning("Request head over %d bytes: refused (431).", MAX_HEAD_BYTES)
            self._refuse(_HEAD_TOO_LARGE)

    def on_headers_complete(self) -> None:
        self._reading_head = False
        self._boundaries += 1
        if any(name == b"transfer-encoding" for name, _ in self.headers):
            self._refuse(_LENGTH_REQUIRED)
            raise _Refused  # the parser stops here; uvicorn's 400 is not sent (below)
        super().on_headers_complete()

    def send_400_response(self, msg: str) -> None:
        if not self._refused:  # a refused request has had its answer
            super().send_400_response(msg)

    def _refuse(self, response: bytes) -> None:
        self._refused = True
        if self.transport is not None:
            self.transport.write(response)
            self.transport.close()

    def on_message_complete(self) -> None:
        self._reading_head = True
        self._boundaries += 1
        super().on_message_complete()
