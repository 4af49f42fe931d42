"""A record the Redis store gave its id keeps the default answer as a record in memory keeps it:
the shared template and the id, not a body of its own; it reads exactly as the whole answer
it was kept as before."""

from __future__ import annotations

import io

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.captured import CapturedRequest
from inspector.kept import NumberedTemplate
from inspector.models import JSON_HEADERS, ResponseRecord, numbered_body
from inspector.store import open_store, redis_records

from .conftest import make_capture
from .redis_server import RedisServer
from .test_store import arrived
from .test_store_codec import shared_records


def given_as_before(record: CapturedRequest, request_id: int, original: bytes,
                    is_numbered: bool) -> CapturedRequest:
    """`redis_records.given` as it was up to session 8 (its code, kept as the reference)."""
    duplicate_of = int(original) if original else None
    response = record.response
    if is_numbered and response is not None:
        response = response._replace(body=numbered_body(request_id))
    return record._replace(id=request_id, duplicate_of=duplicate_of, response=response)


@settings(max_examples=300, deadline=None)
@given(shared_records, st.integers(1, 2**53), st.sampled_from([b"", b"3"]), st.booleans())
def test_a_given_record_reads_as_before(record: CapturedRequest, request_id: int,
                                        original: bytes, is_numbered: bool) -> None:
    stored = redis_records.given(record, request_id, original, is_numbered)
    assert stored._asdict() == given_as_before(record, request_id, original, is_numbered)._asdict()


ANSWER = ResponseRecord(200, JSON_HEADERS, b"", 0.5, "inspector")  # before its number


async def test_a_numbered_answer_is_kept_as_the_shared_template(
        redis_server: RedisServer) -> None:
    """Written here (the writer's record) and read back by another instance (the record
    decoded from Redis): both keep the template, and read as the answer with the id."""
    first = await open_store(redis_server.url, 100, 10**9, err=io.StringIO())
    try:
        arrival, learnt = arrived(make_capture(id=0))
        del learnt["response"]
        _, durable = first.submit(arrival, learnt, None, ANSWER, True)
        assert durable is not None
        written = await durable
        second = await open_store(redis_server.url, 100, 10**9, err=io.StringIO())
        try:
            read = second.get(written.id)
        finally:
            await second.close()
    finally:
        await first.close()
    assert read is not None
    for record in (written, read):
        assert isinstance(record.kept_response, NumberedTemplate)  # was a whole answer
        assert record.response == ANSWER._replace(body=numbered_body(written.id))
    assert read._asdict() == written._asdict()
