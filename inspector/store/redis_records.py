"""What the rooms of the Redis store share: the keys, a record's fields there and back, what
this instance holds true of the store (`Standing`), and the check of what is found under our
keys before anything is written to them."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, Literal

from redis.exceptions import RedisError, ResponseError

from ..captured import CapturedRequest
from ..models import numbered_body
from . import codec

PREFIX = "webhook-inspector:"
SCHEMA_VERSION = "1"
LOG_LENGTH = 100_000  # changes kept in the log stream (approximately)
KINDS = {"meta": "hash", "next": "string", "ids": "zset", "bytes": "string", "dedupe": "hash",
         "log": "stream", "floors": "hash", "expected": "set"}
KEYS = {name: PREFIX + name for name in KINDS}
RECORDS = PREFIX + "req:"
CLAIMS = PREFIX + "claim:"  # holding's claims, each with a lease (store/redis.py claim)
META_FIELDS = ("instance", "generation", "schema", "max_requests", "max_bytes")
CHANGE_KEYS = [KEYS["ids"], KEYS["bytes"], KEYS["dedupe"], KEYS["log"]]
# Redis away, too slow, or answering an error (out of memory, read-only, a wrong type under
# our keys): each is an outage, waited out with the queue held, never a reason to stop.
FAILURES = (RedisError, OSError, asyncio.TimeoutError)

State = Literal["ok", "unreachable", "draining"]


class NotOurs(RedisError):
    """Something under our keys that this version did not write. At start: one line, exit 2;
    while running: an outage that names it."""


@dataclass
class Standing:
    """What this instance holds true of the shared store: the recovery changes it, the writer
    and the follower read it."""

    name: str  # this instance among those sharing the store (its key in `floors`)
    max_requests: int
    max_bytes: int
    instance: str = ""  # the history's name
    generation: str = ""  # new whenever the store is made anew (it was empty or flushed)
    epoch: str = ""  # the agreement this instance gives ids under
    highest: int = 0  # the highest id this instance has given or seen
    state: State = "ok"
    cause: str | None = None  # why it is not ok
    failures: int = 0  # attempts failed in a row, for the backoff

    def saw(self, request_id: int) -> None:
        self.highest = max(self.highest, request_id)


def fields(record: CapturedRequest) -> list[bytes | str | int]:
    document, blobs = codec.encode(record)
    return [document, *blobs.values(), record.stored_bytes]


def numbered(record: CapturedRequest, request_id: int | None) -> CapturedRequest:
    """The record whose response is the default answer, naming this id (None: not given)."""
    if record.response is None:
        return record
    return record._replace(response=record.response._replace(body=numbered_body(request_id)))


def given(record: CapturedRequest, request_id: int, original: bytes | str,
          is_numbered: bool) -> CapturedRequest:
    """The record with what the store gave it: its id, its original, the id in its answer
    (kept as the answer's shared template, as a record in memory keeps it)."""
    return record.given_id(request_id, int(original) if original else None, is_numbered)


def decode(request_id: int, stored: Any) -> CapturedRequest:
    """A record as read with HGETALL; NotOurs when it is none of ours."""
    if isinstance(stored, ResponseError):
        raise NotOurs(f"{RECORDS}{request_id} is not a hash ({stored})")
    try:
        blobs = {name: stored[name.encode()] for name in codec.BLOBS}
        return given(codec.decode(stored[b"doc"], blobs), request_id, stored.get(b"dup", b""),
                     stored.get(b"numbered") == b"1")
    except (ValueError, KeyError, TypeError) as error:
        raise NotOurs(f"{RECORDS}{request_id} is not a record this version can read "
                      f"({type(error).__name__})") from None


def layout_problem(kinds: dict[str, str], meta: dict[str, str],
                   numbers: dict[str, str | None]) -> str | None:
    """What is wrong with what was found under our keys (their types, the meta hash, the
    counters), or None: a store of ours, or none yet."""
    for name, kind in kinds.items():
        if kind not in ("none", KINDS[name]):
            return f"{KEYS[name]} is a {kind}, not a {KINDS[name]}: not a webhook-inspector store"
    missing = [key for key in META_FIELDS if key not in meta]
    if meta and missing:
        return f"{KEYS['meta']} has no {missing[0]}: not a webhook-inspector store"
    schema = meta.get("schema", SCHEMA_VERSION)
    if schema != SCHEMA_VERSION:
        if schema.isdigit() and int(schema) > int(SCHEMA_VERSION):
            return (f"{KEYS['meta']} says schema {schema}: written by a newer version of "
                    f"webhook-inspector (this one reads schema {SCHEMA_VERSION})")
        return f"{KEYS['meta']} has schema {schema!r}: not a webhook-inspector store"
    found = {**{f"{KEYS['meta']} {key}": meta.get(key) for key in ("max_requests", "max_bytes")},
             **{KEYS[name]: value for name, value in numbers.items()}}
    for where, value in found.items():
        if value is not None and not value.isdigit():
            return f"{where} is {value!r}, not a number: not a webhook-inspector store"
    return None


async def check_layout(client: Any) -> None:
    """NotOurs when what is under our keys is not what this version writes (read only)."""
    async with client.pipeline(transaction=False) as pipe:
        for key in KEYS.values():
            pipe.type(key)
        kinds = dict(zip(KINDS, [kind.decode() for kind in await pipe.execute()], strict=True))
    meta: dict[str, str] = {}
    if kinds["meta"] == "hash":
        found = await client.hgetall(KEYS["meta"])
        meta = {key.decode(errors="replace"): value.decode(errors="replace")
                for key, value in found.items()}
    numbers = {name: (await client.get(KEYS[name]) or b"0").decode(errors="replace")
               for name in ("next", "bytes") if kinds[name] == "string"}
    problem = layout_problem(kinds, meta, numbers)
    if problem is not None:
        raise NotOurs(problem)
