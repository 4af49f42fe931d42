"""The fast paths of the summary agree with the obvious ways of computing the same values."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import given
from hypothesis import strategies as st

from inspector.models import header_value
from inspector.serialize import rfc3339

from .conftest import header_block, make_capture


@given(st.floats(min_value=0, max_value=4e9, allow_nan=False) |
       st.integers(0, 2**32).map(lambda n: n + 0.9999995))
def test_rfc3339_is_datetimes_isoformat(timestamp: float) -> None:
    expected = datetime.fromtimestamp(timestamp, UTC).isoformat(timespec="milliseconds")
    assert rfc3339(timestamp) == expected.replace("+00:00", "Z")


names = st.sampled_from(["Content-Type", "content-type", "CONTENT-TYPE", "X-Content-Type",
                         "Content-Types", "Host", "X-A"])
values = st.text(st.characters(min_codepoint=32, max_codepoint=0x2FF, blacklist_characters="\x7f"),
                 max_size=20)


@given(st.lists(st.tuples(names, values), max_size=6))
def test_content_type_is_the_first_content_type_header(pairs: list[tuple[str, str]]) -> None:
    block = header_block(tuple((n.encode(), v.encode()) for n, v in pairs))
    record = make_capture(header_block=block)
    assert record.content_type == header_value(record.headers, "content-type")
