"""Why a stored request's verdict changed when it was verified again (other secrets at start, a
secret added or removed at run time): pure, the old and new verdicts in, the ones to keep out.

A verdict that changed says so first in its reason: "verified again at start: the secret that
matched is no longer configured; <the verdict's own reason>"."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence

from .analysis import ConfiguredSecret
from .models import Verdict

AT_START = "at start"
MATCHES = "a secret configured now matches"
NO_LONGER = "the secret that matched is no longer configured"
DIFFER = "the secrets configured now differ from those it was verified with"
NONE_APPLIES = "no secret configured now applies to it"


def fingerprint_of(secrets: Sequence[ConfiguredSecret]) -> str:
    """What verdicts depend on of the secrets configured, as one digest: each secret's
    provider, paths, options and fingerprint (never its value; not its label)."""
    described = sorted(json.dumps([secret.provider, list(secret.paths), dict(secret.key.options),
                                   secret.fingerprint], sort_keys=True, default=str)
                       for secret in secrets)
    return "sha256:" + hashlib.sha256("\n".join(described).encode()).hexdigest()[:16]


def with_reasons(old: Sequence[Verdict], new: Sequence[Verdict], when: str
                 ) -> tuple[Verdict, ...]:
    """The new verdicts, each whose status changed saying why (one whose status did not keeps
    what it said of its last change). A provider that had a verdict and has none now (a
    generic secret removed: nothing marks the request as anyone's) keeps one, `unverified`,
    saying why, rather than vanishing silently."""
    before = {verdict.provider: verdict for verdict in old}
    kept = [said(before.get(verdict.provider), verdict, when) for verdict in new]
    return (*kept, *gone(old, new, when))


def keep_why(old: Sequence[Verdict], explained: Sequence[Verdict]) -> tuple[Verdict, ...]:
    """The verdicts with the causes of their mismatches found (`explained`), still saying why
    they changed when last verified again."""
    before = {verdict.provider: verdict for verdict in old}
    kept = [still_said(before.get(verdict.provider), verdict) for verdict in explained]
    present = {verdict.provider for verdict in explained}
    return (*kept, *(verdict for verdict in old if verdict.provider not in present))


def said(before: Verdict | None, now: Verdict, when: str) -> Verdict:
    if before is not None and before.status == now.status:
        return still_said(before, now)
    return now._replace(reason=f"verified again {when}: {cause(before, now)}; {now.reason}")


def still_said(before: Verdict | None, now: Verdict) -> Verdict:
    """`now`, starting with what `before` said of its last change, if its status is the same."""
    why = why_of(before) if before is not None and before.status == now.status else ""
    return now._replace(reason=why + now.reason) if why else now


def cause(before: Verdict | None, now: Verdict) -> str:
    if now.status == "valid":
        return MATCHES
    if before is not None and before.status == "valid" and now.status in ("invalid",
                                                                         "unverified"):
        return NO_LONGER
    return DIFFER


def gone(old: Sequence[Verdict], new: Sequence[Verdict], when: str) -> list[Verdict]:
    """For each provider with a verdict in `old` and none in `new`: an `unverified` one saying
    why (one that says so already is kept as it is)."""
    present = {verdict.provider for verdict in new}
    notes = []
    for before in old:
        if before.provider in present:
            continue
        if before.status == "unverified":
            notes.append(before)
            continue
        why = NO_LONGER if before.status == "valid" else NONE_APPLIES
        notes.append(Verdict(before.provider, "unverified", f"verified again {when}: {why}",
                             header=before.header))
    return notes


def why_of(verdict: Verdict) -> str:
    """The "verified again …: <cause>; " a verdict's reason starts with, or ""."""
    if not verdict.reason.startswith("verified again "):
        return ""
    for reason in (MATCHES, NO_LONGER, DIFFER):
        at = verdict.reason.find(f": {reason}; ")
        if at >= 0:
            return verdict.reason[:at + len(reason) + 4]
    return ""
