"""One request as it is read, apart from the connection that reads it (uvicorn's
RequestResponseCycle), and why the listener may refuse it."""

from __future__ import annotations

import enum
from typing import NamedTuple


class Refusal(enum.Enum):
    """Why the listener answers a request itself instead of with the configured answer."""

    BODY_TOO_LARGE = "body too large"
    TRAILERS_TOO_LARGE = "trailer fields too large"
    BUSY = "too many bodies arriving at once (--max-inflight): try again shortly"
    INCOMPLETE = "body incomplete"
    TARGET_NOT_ACCEPTED = "request target not accepted"


class Refused(NamedTuple):
    """A refusal and what the request's record says of it."""

    why: Refusal
    error: str

    @classmethod
    def of(cls, why: Refusal) -> Refused:
        return cls(why, why.value)


PARTS_PER_LINE = 4


class RequestInProgress:
    """What is known of the request being read, from its first byte to its last."""

    __slots__ = ("body_size", "chunks", "declared", "expect_continue", "head_bytes", "header_block",
                 "in_body", "keep_alive", "lines", "method", "received_at", "reserved",
                 "trailers", "upgrade_body_left", "url", "version")

    def __init__(self, received_at: float) -> None:
        self.received_at = received_at
        self.url = b""
        # The header lines as received: name, ": ", value, CRLF (PARTS_PER_LINE items a line).
        self.lines: list[bytes] = []
        self.header_block = b""  # the lines joined, once they are all in
        self.trailers: list[bytes] = []
        self.head_bytes = 0  # request line, headers and trailers
        self.declared: int | None = None  # Content-Length
        self.expect_continue = False
        self.chunks: list[bytes] = []
        self.body_size = 0
        self.reserved = 0  # in-flight bytes reserved for the body (--max-inflight)
        self.upgrade_body_left = 0  # body bytes of an upgrade request still to read raw
        self.in_body = False
        self.keep_alive = False
        self.version = "HTTP/1.1"
        self.method = "GET"

    def take_body(self) -> bytes:
        """The body read so far, handed on: the connection lives in a reference cycle with its
        parser, freed only by the collector, and must not keep the body's pieces until then
        (bench/README.md)."""
        chunks, self.chunks = self.chunks, []
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)

    def incomplete(self, reason: str) -> Refused:
        declared = f" of {self.declared} declared" if self.declared is not None else ""
        return Refused(Refusal.INCOMPLETE,
                       f"body incomplete after {self.body_size} bytes{declared}: {reason}")
