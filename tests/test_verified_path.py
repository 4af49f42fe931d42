"""The verified capture's shortcuts give what the general code gives: the one-secret case of
`verify_all`, the spelt-out checks of `bounded_identity`, for any inputs."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.analysis import ConfiguredSecret, applies, best, configured, verify_all
from inspector.config import SecretSpec
from inspector.derived import MAX_DERIVED, bounded_identity, cut, cut_key, encodable
from inspector.models import Verdict
from inspector.signatures import Delivery, Headers, Identity, Scheme, detect

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
