"""Why a request got no answer: each a value the caller turns into its message."""

from __future__ import annotations


class Failure(Exception):
    """No answer: the plain reason (`Connection refused`, `malformed answer: ...`)."""

    def __init__(self, reason: str, timed_out: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.timed_out = timed_out


class Refused(Failure):
    """Not sent: the request could be read as more than one (a user's edit, say)."""
