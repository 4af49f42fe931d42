"""State shared by both listeners: store, hub, answers, verification, and the record pipeline."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Iterable, Sequence
from typing import Any, cast

from . import serialize
from .analysis import (
    ConfiguredSecret,
    Incoming,
    analyze,
    configured,
    explained_verdicts,
    make_secret,
)
from .answers import Responder, numbered_body
from .config import Config, SecretSpec
from .hub import Hub, Message
from .models import Arrival, CapturedRequest, Replay, ResponseRecord, Verdict
from .offload import off_loop
from .reverify import AT_START, fingerprint_of, keep_why, with_reasons
from .signatures import Delivery
from .steps import turns
from .store.memory import MemoryStore
from .store.protocol import LocalStore, SharedStore, Store, records_after
from .stored import Stored

# What an announcement is about: a record, the ids deleted, the reason a store cleared itself.
Change = CapturedRequest | list[int] | str | None
MAX_REPLAYS_KEPT = 50


class SharedState:
    """What both listeners share: the store, the hub, the answers, the secrets, and the one
    pipeline every change to the history goes through (store, then announce; a shared store
    announces what it applies from its log, on every instance alike)."""

    def __init__(self, config: Config, ws_queue_limit: int = 2000,
                 store: Store | None = None, ws_queue_bytes: int = 8 * 1024 * 1024) -> None:
        self.config = config
        self.store: Store = store if store is not None else \
            MemoryStore(config.max_requests, config.max_bytes)
        self.shared_store: SharedStore | None = None
        self.local_store: LocalStore | None = None
        if self.store.assigns_ids:
            self.shared_store = cast(SharedStore, self.store)
            self.shared_store.announce = self._announce
        else:
            self.local_store = cast(LocalStore, self.store)
        self.hub = Hub(ws_queue_limit, ws_queue_bytes)
        self.responder = Responder(config.response, config.rules, config.forward is not None)
        self.secrets = configured(config.secrets)
        self.hook_url = ""  # the hooks listener's real URL, known once it is bound
        # The changes held until the store's commit in progress is done (see _announce).
        self._committing: asyncio.Future[None] | None = None
        self._held: list[tuple[str, Change]] = []

    @property
    def instance(self) -> str:
        """Names the history: kept by a durable store, new at every start in memory."""
        return self.store.instance

    def analyze(self, record: Incoming, delivery: Delivery | None = None
                ) -> tuple[dict[str, Any], str | None]:
        """The fields learnt about a record (provider, event, delivery id, duplicate, verdicts),
        to set with the one `replace` that finishes it, and the key to dedupe on."""
        try:
            found = analyze(record, self.secrets, delivery=delivery)
        except Exception as error:
            return {"error": f"analysis failed: {type(error).__name__}"}, None
        if found.provider is None and not found.verdicts:
            return {}, None
        dedupe_key = found.dedupe_key if not forged(found.verdicts) else None
        duplicate_of = self.store.original_of(dedupe_key) if dedupe_key else None
        fields = {"provider": found.provider, "event": found.event,
                  "delivery_id": found.delivery_id, "duplicate_of": duplicate_of,
                  "signatures": found.verdicts}
        return fields, dedupe_key

    async def explained(self, record: CapturedRequest) -> CapturedRequest:
        """The record with the causes of its mismatches found (once; kept in the store). The
        search runs off the loop; a change made to the record meanwhile is kept."""
        if all(verdict.complete for verdict in record.signatures):
            return record
        verdicts = await off_loop(explained_verdicts, record, self.secrets)
        current = self.store.get(record.id)
        if current is None or current.signatures != record.signatures:
            return current or record._replace(signatures=verdicts)  # deleted, or verified again
        completed = current._replace(signatures=keep_why(record.signatures, verdicts))
        if completed.signature_status == record.signature_status:
            self.store.replace(completed)  # the summary is unchanged: nothing to announce
        else:
            self.update(completed)  # discovery (Bondio) can turn a pending mismatch valid
        return completed

    async def verify_again_if_secrets_changed(self) -> None:
        """A history kept from an earlier run was verified with the secrets it last ran with:
        verify it again when they differ (compared by fingerprint, never by value)."""
        if self.remember_secrets() not in (None, fingerprint_of(self.secrets)):
            await self.reverify(AT_START)

    def remember_secrets(self) -> str | None:
        """Keep with the history the fingerprint of the secrets its verdicts are made with
        (after a run-time change too: those secrets are not kept, so the next start, without
        them, verifies again); the fingerprint it replaces."""
        return self.store.swap_meta("secrets", fingerprint_of(self.secrets))

    async def add_secret(self, spec: SecretSpec, label: str | None = None) -> ConfiguredSecret:
        secret = make_secret(spec, {s.label for s in self.secrets}, label)
        self.secrets = [*self.secrets, secret]
        self.remember_secrets()
        await self.reverify(f"after the secret {secret.label} was added")
        return secret

    async def remove_secret(self, label: str) -> bool:
        kept = [secret for secret in self.secrets if secret.label != label]
        if len(kept) == len(self.secrets):
            return False
        self.secrets = kept
        self.remember_secrets()
        await self.reverify(f"after the secret {label} was removed")
        return True

    async def reverify(self, when: str) -> None:
        """Verify every stored request again (as of its arrival) and announce what changed;
        a verdict that changed says `when` and why. A history of 100,000 takes seconds: the
        loop is given its turns meanwhile (steps.turns), so capture never waits for it."""
        async for listed in turns(records_after(self.store, 0)):
            record = self.store.get(listed.id)  # as it is now: the loop ran since it was listed
            if record is not None:
                self._reverify_one(record, when)

    def _reverify_one(self, record: CapturedRequest, when: str) -> None:
        found = analyze(record, self.secrets)
        verdicts = with_reasons(record.signatures, found.verdicts, when)
        provider = found.provider or (verdicts[0].provider if verdicts else None)
        if verdicts != record.signatures or provider != record.provider:
            self.update(record._replace(provider=provider, signatures=verdicts))

    def capture(self, arrival: Arrival, learnt: dict[str, Any], dedupe_key: str | None,
                response: ResponseRecord | None, numbered: bool) -> Stored:
        """Store a request that just arrived, whatever the engine. A local store gives its id
        here; a shared one as it writes. `numbered`: the response's body is the default
        answer, which names the id."""
        if self.shared_store is not None:
            return Stored(None, self.shared_store.submit(
                arrival.record(0, response=response, **learnt), dedupe_key, numbered))
        assert self.local_store is not None
        request_id = self.local_store.next_id()
        if numbered and response is not None:  # built whole: _replace costs a microsecond
            response = ResponseRecord(response.status, response.headers,
                                      numbered_body(request_id), response.duration_ms,
                                      response.source)
        record = arrival.record(request_id, response=response, **learnt)
        self.add(record, dedupe_key)
        return Stored(record, self.store.durable())

    async def written(self) -> None:
        """Once what was just written is stored for good; StoreBusy when it could not be."""
        durable = self.store.durable()
        if durable is not None:
            await asyncio.shield(durable)

    def add(self, record: CapturedRequest, dedupe_key: str | None = None) -> None:
        """Store a record whose id this process gave (a local store's)."""
        assert self.local_store is not None
        evicted = self.local_store.add(record, dedupe_key)
        self._announce("request", record)
        if evicted:
            self._announce("delete", evicted)

    def _announce(self, kind: str, change: Change) -> None:
        """Tell the websockets of a change; one a durable store has yet to commit, once it
        is committed (never, when its commit fails: what the page shows is stored)."""
        committed = self.store.durable()
        if committed is None:
            self._publish(kind, change)
            return
        if committed is not self._committing:  # one callback for the whole commit
            self._committing, self._held = committed, []
            committed.add_done_callback(functools.partial(self._publish_kept, self._held))
        self._held.append((kind, change))

    def _publish_kept(self, held: list[tuple[str, Change]],
                      committed: asyncio.Future[None]) -> None:
        if not committed.cancelled() and committed.exception() is None:
            for kind, change in held:
                self._publish(kind, change)

    def _publish(self, kind: str, change: Change) -> None:
        if isinstance(change, CapturedRequest):  # the record goes along, for q= sieves
            self.hub.publish(lambda: request_message(kind, change), change)
        elif kind == "delete":
            self.hub.publish(lambda: {"type": "delete", "ids": change})
        elif isinstance(change, str):  # a clear the store made: it lost data, and says why
            self.hub.publish(lambda: {"type": kind, "reason": change})
        else:
            self.hub.publish(lambda: {"type": kind})

    def update(self, record: CapturedRequest) -> None:
        if self.store.replace(record) and self.shared_store is None:
            self._announce("update", record)

    def set_response(self, request_id: int, response: ResponseRecord) -> None:
        record = self.store.get(request_id)
        if record is not None:
            self.update(record._replace(response=response))

    def add_replay(self, request_id: int, replay: Replay) -> CapturedRequest | None:
        record = self.store.get(request_id)
        if record is None:
            return None
        replays = (*record.replays, replay)[-MAX_REPLAYS_KEPT:]
        updated = record._replace(replays=replays)
        self.update(updated)
        return updated

    def delete(self, ids: Iterable[int]) -> list[int]:
        deleted = [request_id for request_id in ids if self.store.delete(request_id)]
        if deleted and self.shared_store is None:
            self._announce("delete", deleted)
        return deleted

    def clear(self) -> None:
        self.store.clear()
        if self.shared_store is None:
            self._announce("clear", None)


def forged(verdicts: Sequence[Verdict]) -> bool:
    """Checked, and no secret reproduces its signature (stale ones do: a late resend is
    still the delivery): such a request is no resend of a delivery, so it is not marked a
    duplicate of one, nor taken as the original of later ones."""
    checked = False
    for verdict in verdicts:
        if verdict.status in ("valid", "stale"):
            return False
        checked = checked or verdict.status != "unverified"
    return checked


def request_message(kind: str, record: CapturedRequest) -> Message:
    return {"type": kind, "request": serialize.summary(record)}
