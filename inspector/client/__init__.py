"""The inspector's own HTTP/1.1 client for every request it sends (forward, mirrors, holds,
replay, send, SNS): `request_head` (the bytes of a request's head), `connection` (one answer
read with httptools), `pool` (keep-alive connections per origin, bounded), `client` (the
timeout and the one retry)."""

from .client import Client
from .connection import Answer
from .errors import Failure, Refused

__all__ = ["Answer", "Client", "Failure", "Refused"]
