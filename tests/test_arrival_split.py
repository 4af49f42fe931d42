"""A request's target is split into path and query once per target: the last one's split is
reused for the same target (capture._last_split), others are remembered (or split, when long);
whatever targets come, in any order, each arrival's path and query are its own target's."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.hooks import capture

TARGETS = st.sampled_from([b"/", b"/hook", b"/hook?a=1", b"/hook?a=2", b"http://h/x?y=1",
                           b"https://h", b"*", b"/" + b"p" * 300, b"/" + b"p" * 300 + b"?q"])


def arrived(target: bytes) -> tuple[str, str]:
    made = capture.arrival(1.0, "POST", target, "HTTP/1.1", None, b"", b"", 0, b"")
    return made.path, made.query


@settings(max_examples=300)
@given(st.lists(TARGETS | st.binary(max_size=12).map(lambda tail: b"/" + tail), max_size=20))
def test_each_arrival_has_its_own_targets_path_and_query(targets: list[bytes]) -> None:
    for target in targets:
        assert arrived(target) == capture.split(target)
