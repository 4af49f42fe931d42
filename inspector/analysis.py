"""What a captured request is: its provider, event, delivery id and signature verdicts.

Pure: it takes a request (as it arrives, or as stored) and the configured secrets, and returns
values.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any, NamedTuple, Protocol

from .config import SecretSpec
from .derived import bounded_identity, bounded_verdict
from .models import HeaderShown, Verdict, decode_header_block, new_tuple
from .signatures import (
    GENERIC,
    Delivery,
    Headers,
    Identity,
    Key,
    Scheme,
    answers_handshakes,
    check,
    detect,
    get,
    public_url,
    unless_masked,
    unverifiable,
)
from .signatures.generic import Hmac
from .signatures.keyed import RawBodyCheck, raw_body_check

# Best first: with several secrets for one provider (key rotation), the best verdict counts.
_BEST_FIRST = ("valid", "stale", "invalid", "malformed", "missing", "unverified")


@dataclass(frozen=True)
class ConfiguredSecret:
    label: str
    provider: str
    paths: tuple[str, ...]
    key: Key = field(repr=False)
    scheme: Scheme | None = field(default=None, repr=False, compare=False)

    @property
    def fingerprint(self) -> str:
        # A short digest lets people tell secrets apart without revealing them.
        return "sha256:" + hashlib.sha256(self.key.secret.encode()).hexdigest()[:8]

    def covers(self, path: str) -> bool:
        """Whether the secret is for this path: any path when it names none."""
        return not self.paths or any(fnmatchcase(path, pattern) for pattern in self.paths)

    @functools.cached_property
    def answers_handshakes(self) -> bool:
        """Whether its provider proves an endpoint by a handshake this secret answers (known
        once: read by every captured request)."""
        return self.scheme is not None and answers_handshakes(self.scheme)

    @functools.cached_property
    def shortcut(self) -> RawBodyCheck | None:
        """This secret's raw-body check (keyed once, on first use), where its scheme has one."""
        return raw_body_check(self.scheme, self.key)

    def verify(self, scheme: Scheme, delivery: Delivery, now: float, explain: bool) -> Verdict:
        """The scheme's verdict with this secret: the raw-body shortcut's where it has one."""
        shortcut = self.shortcut
        return self.settled(scheme, delivery, now, explain,
                            shortcut(delivery, explain) if shortcut is not None else None)

    def settled(self, scheme: Scheme, delivery: Delivery, now: float, explain: bool,
                found: Verdict | None) -> Verdict:
        """The verdict, given what the raw-body shortcut found (None: the check decides)."""
        if found is None:
            return check(scheme, delivery, self.key, now, explain)
        return found if found.status == "valid" else unless_masked(scheme, delivery, found)

    def public(self) -> dict[str, Any]:
        return {"label": self.label, "provider": self.provider, "paths": list(self.paths),
                "fingerprint": self.fingerprint}


def configured(specs: Iterable[SecretSpec]) -> list[ConfiguredSecret]:
    secrets: list[ConfiguredSecret] = []
    for spec in specs:
        secrets.append(make_secret(spec, {s.label for s in secrets}))
    return secrets


def make_secret(spec: SecretSpec, taken: set[str], wanted: str | None = None) -> ConfiguredSecret:
    """The secret under the label wanted (the caller checked it is free), else the provider's
    name, numbered when taken."""
    scheme = get(spec.provider)
    provider = scheme.name if scheme else spec.provider
    label, number = wanted or provider, 2
    while wanted is None and label in taken:
        label, number = f"{provider}-{number}", number + 1
    return ConfiguredSecret(label, provider, spec.paths, Key(spec.secret, dict(spec.options)),
                            scheme)


class Incoming(Protocol):
    """What analysis reads of a request: an Arrival at capture, a stored record later."""

    @property
    def method(self) -> str: ...
    @property
    def path(self) -> str: ...
    @property
    def query(self) -> str: ...
    @property
    def header_block(self) -> bytes: ...
    @property
    def body(self) -> bytes: ...
    @property
    def received_at(self) -> float: ...


def target_of(record: Incoming) -> str:
    return record.path + (f"?{record.query}" if record.query else "")


def url_of(record: Incoming) -> str:
    """The URL as the sender saw it (a tunnel's X-Forwarded-Proto/-Host win over our own):
    the one the page shows, the `url:` search matches and the HAR export writes."""
    return public_url(Headers(decode_header_block(record.header_block)), target_of(record))


def delivery_of(record: Incoming, headers: Headers | None = None) -> Delivery:
    """What the schemes look at. The public URL is only rebuilt if a scheme asks for it.
    `headers`: the record's header block's, when the caller has them already."""
    if headers is None:
        headers = Headers(decode_header_block(record.header_block))
    query = record.query  # target_of, spelt out: one call fewer a request
    return Delivery(record.method, None, headers, record.body,
                    f"{record.path}?{query}" if query else record.path)


class Analysis(NamedTuple):
    provider: str | None
    event: str | None
    delivery_id: str | None
    dedupe_key: str | None
    verdicts: tuple[Verdict, ...]


def applies(secret: ConfiguredSecret, scheme: Scheme, detected: Scheme | None,
            delivery: Delivery, path: str) -> bool:
    if secret.paths:
        return secret.covers(path)
    if isinstance(scheme, Hmac):
        return scheme.applies(delivery, secret.key)
    if detected is scheme:
        return True
    # A provider that delivers through another scheme (Clerk through Svix) marks no request as
    # its own: its secret verifies what that scheme detects.
    return detected is not None and detected.name in getattr(scheme, "delivered_as", ())


def best(verdicts: Sequence[Verdict]) -> Verdict:
    if len(verdicts) == 1:
        return verdicts[0]
    return min(verdicts, key=lambda item: _BEST_FIRST.index(item.status))


def verify_all(secrets: Sequence[ConfiguredSecret], delivery: Delivery, detected: Scheme | None,
               path: str, now: float, explain: bool) -> list[Verdict]:
    """The best verdict per scheme among the secrets that apply."""
    if len(secrets) == 1:  # the usual case: no list of candidates to sort
        secret = secrets[0]
        scheme = secret.scheme
        if scheme is None:
            return []
        # `applies` in its usual case (the detected scheme's secret, for any path) spelt out
        if not (detected is scheme and not secret.paths and not isinstance(scheme, Hmac)) \
                and not applies(secret, scheme, detected, delivery, path):
            return []
        shortcut = secret.shortcut  # `verify`, spelt out where the shortcut finds it valid
        quick = shortcut(delivery, explain) if shortcut is not None else None
        if quick is not None and quick.status == "valid":
            return [quick]
        return [secret.settled(scheme, delivery, now, explain, quick)]
    found = [(scheme.name, secret.verify(scheme, delivery, now, explain))
             for secret in secrets if (scheme := secret.scheme) is not None
             and applies(secret, scheme, detected, delivery, path)]
    if len(found) == 1:  # the usual case: one secret checked the request
        return [found[0][1]]
    by_provider: dict[str, list[Verdict]] = {}
    for name, verdict in found:
        by_provider.setdefault(name, []).append(verdict)
    return [best(verdicts) for verdicts in by_provider.values()]


_UNVERIFIED: dict[str, Verdict] = {}  # one per scheme: every unverified request shares it


def unverified(scheme: Scheme) -> Verdict:
    found = _UNVERIFIED.get(scheme.name)
    if found is None and (found := unverifiable(scheme)) is not None:
        _UNVERIFIED[scheme.name] = found
    if found is None:
        flag = f"--secret {scheme.name}=…"
        found = _UNVERIFIED[scheme.name] = Verdict(
            scheme.name, "unverified",
            f"looks like a {scheme.name} delivery but no {scheme.name} secret is configured: "
            f"add {flag} ({scheme.secret_hint}) or a [[secrets]] entry",
            header=scheme.signature_headers[0] if scheme.signature_headers else None)
    return found


def unverified_here(scheme: Scheme, secrets: Sequence[ConfiguredSecret], path: str) -> Verdict:
    """Unverified: no secret for the provider, or only secrets for other paths (say which)."""
    if not secrets:  # the usual case without secrets: no list of paths to make
        return unverified(scheme)
    elsewhere = [glob for secret in secrets if secret.provider == scheme.name
                 for glob in secret.paths]
    if not elsewhere:
        return unverified(scheme)
    globs = ", ".join(dict.fromkeys(elsewhere))
    return unverified(scheme)._replace(reason=(
        f"looks like a {scheme.name} delivery; a {scheme.name} secret is configured, but for "
        f"other paths ({globs}), not for {path[:200]}: add this path to its paths"))


def identity_of(delivery: Delivery, detected: Scheme | None, verified: bool) -> Identity | None:
    """Event, delivery id and dedupe key: the detected provider's, else (when a secret checked
    the request) the generic HMAC's; cut to their documented length."""
    identity = detected.identify(delivery) if detected else None
    if identity is None and verified:
        hmac_identity = get(GENERIC)
        identity = hmac_identity.identify(delivery) if hmac_identity else None
    return bounded_identity(identity) if identity else None


def dedupe_key_of(record: Incoming, verified: bool) -> str | None:
    """The key a stored record was deduplicated on (it is not stored: found again on reading)."""
    delivery = delivery_of(record)
    identity = identity_of(delivery, detect(delivery), verified)
    return identity.dedupe_key if identity else None


def verdicts_of(record: Incoming, delivery: Delivery, detected: Scheme | None,
                secrets: Sequence[ConfiguredSecret], explain: bool) -> list[Verdict]:
    verdicts = verify_all(secrets, delivery, detected, record.path, record.received_at,
                          explain) if secrets else []
    if detected is not None and not verdicts:
        verdicts.append(unverified_here(detected, secrets, record.path))
    if len(verdicts) == 1 and type(verdicts[0]) is HeaderShown:
        return verdicts  # bounded as made (tests/test_derived_bounds.py): no frame to check it
    return [*map(bounded_verdict, verdicts)]


def explained_verdicts(record: Incoming, secrets: Sequence[ConfiguredSecret]
                       ) -> tuple[Verdict, ...]:
    """The verdicts with the cause of each mismatch searched for: what reading a request adds
    to what its capture found."""
    delivery = delivery_of(record)
    return tuple(verdicts_of(record, delivery, detect(delivery), secrets, True))


def analyze(record: Incoming, secrets: Sequence[ConfiguredSecret], explain: bool = False,
            delivery: Delivery | None = None) -> Analysis:
    """At capture `explain` is off: the cause of a mismatch is searched for when it is read.
    `delivery`: the record's, when the caller made it already."""
    delivery = delivery or delivery_of(record)
    detected = detect(delivery)
    verdicts = verdicts_of(record, delivery, detected, secrets, explain)
    identity = identity_of(delivery, detected, bool(verdicts))
    provider = detected.name if detected else (verdicts[0].provider if verdicts else None)
    event, delivery_id, dedupe_key = identity or _NO_IDENTITY
    # provider, event, delivery_id, dedupe_key, verdicts: built as the tuple it is, without
    # the Python frame of a NamedTuple's keyword constructor (captured on every request)
    return new_tuple(Analysis, (provider, event, delivery_id, dedupe_key, tuple(verdicts)))


_NO_IDENTITY = (None, None, None)
