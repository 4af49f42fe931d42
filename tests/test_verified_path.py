"""The verified capture's shortcuts give what the general code gives: the one-secret case of
`verify_all`, the spelt-out checks of `bounded_identity`, GitHub's and Bondify's identities
read without `Headers.get` and `body_field`, the dedupe key kept without `forged`, and no
challenge looked for where no secret answers one, for any inputs."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.analysis import (
    ConfiguredSecret,
    applies,
    best,
    configured,
    delivery_of,
    verify_all,
)
from inspector.answers import Responder
from inspector.config import ResponseSpec, SecretSpec
from inspector.derived import MAX_DERIVED, bounded_identity, cut, cut_key, encodable
from inspector.hooks.capture import arrival
from inspector.hooks.challenges import answer_challenge
from inspector.models import Verdict
from inspector.signatures import (
    SCHEMES,
    Delivery,
    Headers,
    Identity,
    Scheme,
    answers_handshakes,
    detect,
    get,
)
from inspector.signatures._api import text
from inspector.state import forged

BODY = b'{"action": "opened"}'


def general(secrets: Sequence[ConfiguredSecret], delivery: Delivery, detected: Scheme | None,
            path: str, now: float) -> list[Verdict]:
    """verify_all as it was: every secret that applies, the best verdict per scheme."""
    by_provider: dict[str, list[Verdict]] = {}
    for secret in secrets:
        scheme = secret.scheme
        if scheme is not None and applies(secret, scheme, detected, delivery, path):
            by_provider.setdefault(scheme.name, []).append(
                secret.verify(scheme, delivery, now, False))
    return [best(verdicts) for verdicts in by_provider.values()]


_SPECS = st.sampled_from([
    SecretSpec("github", "s"), SecretSpec("github", "t"), SecretSpec("bondify", "s"),
    SecretSpec("github", "s", paths=("/hooks/*",)), SecretSpec("github", "s", paths=("/x",)),
    SecretSpec("hmac", "s", options=(("header", "X-Hub-Signature-256"), ("prefix", "sha256="))),
    SecretSpec("stripe", "whsec_x")])
_HEADERS = st.lists(st.sampled_from([
    ("X-GitHub-Event", "issues"), ("X-GitHub-Delivery", "d-1"),
    ("X-Hub-Signature-256", "sha256=" + hmac.new(b"s", BODY, hashlib.sha256).hexdigest()),
    ("X-Hub-Signature-256", "sha256=00"), ("X-Hub-Signature-256", " sha256=ab "),
    ("X-Hub-Signature-256", "sha1=00"), ("X-Hub-Signature-256", "********"),
    ("X-Bondify-Signature", hmac.new(b"s", BODY, hashlib.sha256).hexdigest()),
    ("Content-Type", "application/json")]), max_size=4)


@settings(max_examples=400, deadline=None)
@given(st.lists(_SPECS, min_size=1, max_size=2), _HEADERS,
       st.sampled_from(["/hooks/github", "/x"]))
def test_one_secret_or_more_verify_as_the_general_loop(
        specs: list[SecretSpec], headers: list[tuple[str, str]], path: str) -> None:
    secrets = configured(specs)
    delivery = Delivery("POST", None, Headers(headers), BODY, path)
    detected = detect(delivery)
    assert verify_all(secrets, delivery, detected, path, 0.0, False) == \
        general(secrets, delivery, detected, path, 0.0)


_TEXT = st.none() | st.text(max_size=5) | st.text(min_size=MAX_DERIVED - 2,
                                                   max_size=MAX_DERIVED + 3) | \
    st.sampled_from(["\ud800", "é" * 10, "x" * 300])


@given(_TEXT, _TEXT, _TEXT)
def test_identities_are_bounded_as_each_text_alone_would_be(
        event: str | None, delivery_id: str | None, key: str | None) -> None:
    identity = Identity(event, delivery_id, key)
    plain = all(text is None or (len(text) <= MAX_DERIVED and text.isascii())
                for text in identity)
    bounded = bounded_identity(identity)
    if plain:
        assert bounded is identity
    else:
        assert bounded == Identity(cut(encodable(event)), cut(encodable(delivery_id)),
                                   cut_key(encodable(key)))


_JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=6),
                     lambda inner: st.lists(inner, max_size=2)
                     | st.dictionaries(st.text(max_size=4), inner, max_size=2), max_leaves=4)
_FIELDS = st.dictionaries(st.sampled_from(["event", "session_token", "action", "x"]), _JSON,
                          max_size=3)
_BODIES = _FIELDS.map(lambda fields: json.dumps(fields).encode()) | st.sampled_from(
    [b"", b"[1]", b'"auth.x"', b"{", b'{"event": "auth.x", "session_token": "s"} x'])


def _delivery(body: bytes, headers: list[tuple[str, str]]) -> Delivery:
    return Delivery("POST", None, Headers(headers), body, "/")


@given(_BODIES)
def test_bondify_identifies_as_it_did_by_body_field(body: bytes) -> None:
    delivery = _delivery(body, [])
    event = text(delivery.body_field("event"))
    session = text(delivery.body_field("session_token"))
    key = f"bondify:{event}:{session}" if event and session else None
    bondify = get("bondify")
    assert bondify is not None
    assert bondify.identify(_delivery(body, [])) == Identity(event, None, key)


_GITHUB_HEADERS = st.lists(st.tuples(
    st.sampled_from(["X-GitHub-Event", "x-github-event", "X-GITHUB-DELIVERY",
                     "X-GitHub-Delivery", "Host"]),
    st.sampled_from(["", "push", "issues", "d-1", "\u212a"])), max_size=4)


@given(_BODIES, _GITHUB_HEADERS)
def test_github_identifies_as_it_did_by_headers_get(body: bytes,
                                                    headers: list[tuple[str, str]]) -> None:
    delivery = _delivery(body, headers)
    event = delivery.headers.get("X-GitHub-Event")
    action = text(delivery.body_field("action"))
    delivery_id = delivery.headers.get("X-GitHub-Delivery")
    github = get("github")
    assert github is not None
    expected = f"{event}.{action}" if event and action else event
    key = f"github:{delivery_id}" if delivery_id else None
    assert github.identify(_delivery(body, headers)) == Identity(expected, delivery_id, key)


_STATUSES = st.sampled_from(["valid", "stale", "invalid", "malformed", "missing", "unverified"])


@given(st.lists(_STATUSES, max_size=4))
def test_a_first_verdict_valid_is_never_forged(statuses: list[str]) -> None:
    verdicts = [Verdict("github", status, "r") for status in statuses]  # type: ignore[arg-type]
    if verdicts and verdicts[0].status == "valid":
        assert not forged(verdicts)


def test_a_secret_answers_handshakes_as_its_scheme_does() -> None:
    for scheme in SCHEMES:
        (secret,) = configured([SecretSpec(scheme.name, "whsec_c2VjcmV0")])
        assert secret.answers_handshakes == answers_handshakes(scheme), scheme.name


_CHALLENGES = st.sampled_from([
    ("GET", "/?crc_token=x&hub.challenge=y&hub.mode=subscribe&hub.verify_token=s&challenge=z",
     b""),
    ("POST", "/", b'{"type": "url_verification", "challenge": "c", "token": "s"}'),
    ("POST", "/", b'{"event": "endpoint.url_validation", "payload": {"plainToken": "p"}}'),
    ("POST", "/", b'{"events": [], "firstEventSequence": 0, "lastEventSequence": 0}')])


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([scheme.name for scheme in SCHEMES]), max_size=3), _CHALLENGES)
def test_no_challenge_is_answered_where_no_secret_answers_one(
        providers: list[str], challenge: tuple[str, str, bytes]) -> None:
    """The receiver looks for a challenge only where a secret answers handshakes."""
    secrets = configured([SecretSpec(provider, "s") for provider in providers])
    method, target, body = challenge
    arrived = arrival(time.time(), method, target.encode(), "HTTP/1.1", None, b"", body,
                      len(body), b"")
    if not any(secret.answers_handshakes for secret in secrets):
        assert answer_challenge(secrets, arrived, delivery_of(arrived)) is None


def test_without_rules_the_default_answer_is_chosen_without_a_call() -> None:
    for forwarding in (False, True):
        responder = Responder(ResponseSpec(), (), forwarding)
        for method, path in (("POST", "/"), ("GET", "/x"), ("HEAD", "/a/b")):
            assert responder.choose(method, path) is responder.default_answer
