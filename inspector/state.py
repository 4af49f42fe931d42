"""State shared by both listeners: store, hub, answers, verification, and the record pipeline."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from json.encoder import encode_basestring_ascii as quoted
from typing import Any

from . import serialize
from .analysis import (
    ConfiguredSecret,
    Incoming,
    analyze,
    configured,
    explained_verdicts,
    make_secret,
)
from .answers import Responder
from .captured import CapturedRequest
from .config import Config, SecretSpec
from .conformance.judged import Judge
from .conformance.loading import catalogue_for
from .holding import Holding
from .hub import Hub, Message
from .models import Arrival, Replay, ResponseRecord, Verdict, new_tuple
from .offload import off_loop
from .reverify import AT_START, fingerprint_of, keep_why, with_reasons
from .routing import compile_routes
from .signatures import Delivery
from .steps import turns
from .store import in_memory
from .store.protocol import Change, Store, records_after
from .stored import Stored

MAX_REPLAYS_KEPT = 50


class SharedState:
    """What both listeners share: the store, the hub, the answers, the secrets, and the one
    way every change to the history goes: down into the store, which announces it once it
    has taken effect (whatever the engine), and out through the hub."""

    def __init__(self, config: Config, ws_queue_limit: int = 2000,
                 store: Store | None = None, ws_queue_bytes: int = 8 * 1024 * 1024,
                 judge: Judge | None = None) -> None:
        self.config = config
        # This inspector's conformance verdicts (default: against the config's schemas),
        # handed to the store's searches and to what serializes a request.
        self.judge = judge if judge is not None else Judge(catalogue_for(config.schemas))
        self.store: Store = store if store is not None else \
            in_memory(config.max_requests, config.max_bytes)
        self.store.announce = self._publish
        self.store.judge = self.judge
        self.hub = Hub(ws_queue_limit, ws_queue_bytes)
        self.routes = compile_routes(config.all_routes, self.judge)
        self.holding: Holding | None = None  # the hooks listener's, once it has a session
        self.responder = Responder(config.response, config.rules, bool(self.routes))
        self.secrets = configured(config.secrets)
        self.hook_url = ""  # the hooks listener's real URL, known once it is bound

    @property
    def instance(self) -> str:
        """Names the history: kept by a durable store, new at every start in memory."""
        return self.store.instance

    def analyze(self, record: Incoming, delivery: Delivery | None = None
                ) -> tuple[dict[str, Any], str | None]:
        """The fields learnt about a record (provider, event, delivery id, duplicate, verdicts),
        to set with the one `replace` that finishes it, and the key to dedupe on."""
        self.judge.handed = delivery  # its JSON, parsed once, judged when it is published
        try:
            # read once: 3.11 does not specialise a NamedTuple's field reads
            provider, event, delivery_id, dedupe_key, verdicts = analyze(
                record, self.secrets, False, delivery)
        except Exception as error:
            return {"error": f"analysis failed: {type(error).__name__}"}, None
        if provider is None and not verdicts:
            return {}, None
        # `forged` is False at once for a first verdict valid
        if dedupe_key is not None and (not verdicts or verdicts[0].status != "valid") \
                and forged(verdicts):
            dedupe_key = None
        duplicate_of = self.store.original_of(dedupe_key) if dedupe_key else None
        fields = {"provider": provider, "event": event, "delivery_id": delivery_id,
                  "duplicate_of": duplicate_of, "signatures": verdicts}
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
        # Announced only when its summary changed (discovery can turn a mismatch valid).
        self.store.replace(completed,
                           quiet=completed.signature_status == record.signature_status)
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
        """Store a request that just arrived, whatever the engine (`Store.submit`)."""
        try:  # Stored's fields, made at once: no NamedTuple constructor frame a request
            return new_tuple(Stored, self.store.submit(arrival, learnt, dedupe_key, response,
                                                       numbered))
        finally:
            self.judge.handed = None

    async def written(self) -> None:
        """Once what was just written is stored for good; StoreBusy when it could not be."""
        durable = self.store.durable()
        if durable is not None:
            await asyncio.shield(durable)

    def _publish(self, kind: str, change: Change) -> None:
        """Tell the websockets of a change the store announces (what the page shows is
        stored: a durable store announces what it committed). With nobody listening the
        hub keeps nothing, so nothing is made for it; with no sieve, only the text."""
        hub = self.hub
        if not hub.listeners:
            return
        if isinstance(change, CapturedRequest):
            if hub.sieved:  # the record goes along, for q= sieves
                hub.publish(lambda: request_message(kind, change, self.judge), change)
            else:
                hub.publish_text(serialize.summary_text(
                    change, self.judge, _HEADS.get(kind) or _head(kind), "}", kind == "request"))
        elif kind == "delete":
            if hub.sieved:
                hub.publish(lambda: {"type": "delete", "ids": change})
            else:  # an eviction follows its capture: logged and framed with it
                hub.publish_text(serialize.delete_text(change), joins=True)
        elif isinstance(change, str):  # a clear the store made: it lost data, and says why
            hub.publish(lambda: {"type": kind, "reason": change})
        else:
            hub.publish(lambda: {"type": kind})

    def update(self, record: CapturedRequest) -> None:
        self.store.replace(record)

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

    def add_mirrored(self, request_id: int, answers: tuple[Replay, ...]) -> None:
        record = self.store.get(request_id)
        if record is not None:
            self.update(record._replace(mirrored=answers))

    def delete(self, ids: Iterable[int]) -> list[int]:
        return self.store.delete(ids)

    def clear(self) -> None:
        self.store.clear()


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


def _head(kind: str) -> str:
    return f'{{"type":{quoted(kind)},"request":'


_HEADS = {kind: _head(kind) for kind in ("request", "update")}


def request_message(kind: str, record: CapturedRequest, judge: Judge) -> Message:
    return {"type": kind, "request": serialize.summary(record, judge)}
