"""The hooks listener's answer bytes: the head made for the last status and headers object is
reused without head_of's cache key (wire._last_head), as is the last second's Date line;
whatever answers come, in any order, each answer's bytes are those made afresh for it."""

from __future__ import annotations

from email.utils import formatdate

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.hooks import wire

JSON = (("Content-Type", "application/json"),)
DATED = (("Date", "Tue, 01 Dec 2026 00:00:00 GMT"), ("X-Id", "1"))
FRAMED = (("Content-Length", "99"), ("X-Split", "a\r\nb"), ("Connection", "close"))
# equal to JSON but another object: found by value, never taken for another's head
JSON_AGAIN = tuple((name, value) for name, value in JSON)
ANSWERS = st.tuples(st.sampled_from([200, 201, 204, 404, 503, 0]),
                    st.sampled_from([JSON, JSON_AGAIN, DATED, FRAMED, ()]),
                    st.binary(max_size=20), st.booleans(), st.booleans(), st.booleans())


def afresh(status: int, headers: wire.HeaderPairs, body: bytes, keep_alive: bool,
           http10: bool, head: bool) -> bytes:
    wire._last_head[0] = (-1, (), wire.head_of(-1, ()))  # nothing remembered to reuse
    return wire.response_bytes(status, headers, body, now=1_800_000_000.0,
                               keep_alive=keep_alive, http10=http10, head=head)


@settings(max_examples=300)
@given(st.lists(ANSWERS, max_size=12), st.lists(ANSWERS, max_size=12))
def test_each_answer_is_made_as_afresh(first: list[tuple], then: list[tuple]) -> None:
    expected = [afresh(*answer) for answer in then]
    for answer in first:  # whatever was answered before
        afresh(*answer)
        wire._last_head[0] = (answer[0], answer[1], wire.head_of(answer[0], answer[1]))
    made = [wire.response_bytes(status, headers, body, now=1_800_000_000.0,
                                keep_alive=keep_alive, http10=http10, head=head)
            for status, headers, body, keep_alive, http10, head in then]
    assert made == expected


def test_the_last_head_is_reused_by_identity() -> None:
    answer = wire.response_bytes(200, JSON, b"{}", now=0.0, keep_alive=True, http10=False,
                                 head=False)
    assert wire._last_head[0][1] is JSON
    assert answer.startswith(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nDate: ")
    other = wire.response_bytes(404, JSON, b"", now=0.0, keep_alive=False, http10=False,
                                head=False)
    assert other.startswith(b"HTTP/1.1 404 Not Found\r\n") and b"Connection: close" in other



def test_each_answer_is_dated_by_its_own_second() -> None:
    """The last second's Date line is reused (wire._last_date) only for that second."""
    for now in [0.0, 0.5, 1.0, 86_400.2, 1.9, 1_800_000_000.7, 1_800_000_000.1, 0.0, 59.99]:
        answer = wire.response_bytes(200, JSON, b"", now=now, keep_alive=True, http10=False,
                                     head=False)
        assert b"\r\nDate: %s\r\n" % formatdate(int(now), usegmt=True).encode() in answer
        assert answer.count(b"Date: ") == 1
