"""The record the store keeps is built positionally from what was learnt by name: it is the
record keyword arguments build, whatever was learnt."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.captured import CapturedRequest, recorded
from inspector.models import Arrival, ResponseRecord, Verdict
from inspector.store.protocol import record_of

ARRIVAL = Arrival(1.5, "POST", "/hook", "a=1", "1.1", "127.0.0.1", b"Host: x\r\n", b"{}", 2, b"")
RESPONSE = ResponseRecord(200, (("Content-Type", "application/json"),), b'{"ok":1}', 1.0,
                          "inspector")
LEARNT_VALUES: dict[str, Any] = {
    "error": "body incomplete", "provider": "github", "event": "push", "delivery_id": "d-1",
    "duplicate_of": 3, "signatures": (Verdict("github", "valid", "ok"),), "replays": (),
    "imported": True, "route": (0, "http://app"), "mirrored": (), "held": "waiting",
}


@given(st.sets(st.sampled_from(sorted(LEARNT_VALUES))), st.booleans(), st.booleans())
def test_the_record_is_the_one_keywords_build(names: set[str], answered: bool,
                                              numbered: bool) -> None:
    learnt = {name: LEARNT_VALUES[name] for name in names}
    response = RESPONSE if answered else None
    expected = recorded(ARRIVAL, 7, response=response, numbered=numbered, **learnt)
    built = record_of(ARRIVAL, 7, learnt, response, numbered)
    assert built == expected
    assert type(built) is CapturedRequest
    assert built._asdict() == expected._asdict()


def test_a_numbered_answer_names_the_id() -> None:
    built = record_of(ARRIVAL, 42, {}, RESPONSE, True)
    assert built.response is not None and b"42" in built.response.body
    assert built.response[:2] == RESPONSE[:2] and built.response[3:] == RESPONSE[3:]


@pytest.mark.parametrize("name", ["response", "id", "no_such_field"])
def test_what_a_record_does_not_learn_is_refused(name: str) -> None:
    with pytest.raises(TypeError):
        record_of(ARRIVAL, 7, {name: 1}, None, False)
