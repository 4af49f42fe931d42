"""A deeply nested JSON body never makes a scheme's diagnosis raise (issue 28, 2): every scheme
given such a body under a signature made for another gives a verdict, through the API and the
command line too."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from inspector.config import SecretSpec
from inspector.signatures import SCHEMES, Key, Scheme

from ..conftest import AppsFactory
from .keys import signing_and_verifying_keys
from .test_contract import NOW, SIGNABLE, TOKEN_SCHEMES, delivered, sign

DEEP = b"[" * 5000
WRONG_STRIPE = "t=1767225600,v1=" + "0" * 64


@pytest.mark.parametrize("scheme", SIGNABLE, ids=lambda scheme: scheme.name)
def test_every_scheme_judges_a_deep_body(scheme: Scheme) -> None:
    """Signed for another body, given 5,000 `[`: a verdict with its reason, never a raise
    (a token scheme signs no body: its token is still valid)."""
    signing_key, verifying_key = signing_and_verifying_keys(scheme.name)
    wrong = delivered(replace(sign(scheme, signing_key), body=DEEP))
    judged = ("valid",) if scheme.name in TOKEN_SCHEMES else ("invalid", "malformed", "missing")
    for explain in (False, True):
        verdict = scheme.verify(wrong, verifying_key, NOW, explain)
        assert verdict.status in judged and verdict.reason, verdict


@pytest.mark.parametrize("scheme", [s for s in SCHEMES if not s.sending.published],
                         ids=lambda scheme: scheme.name)
def test_unpublished_schemes_judge_a_deep_body(scheme: Scheme) -> None:
    wrong = delivered(replace(sign(SIGNABLE[0], signing_and_verifying_keys(
        SIGNABLE[0].name)[0]), body=DEEP))
    assert scheme.verify(wrong, Key("any"), NOW, True).reason


async def test_the_api_gives_the_verdict_of_a_deep_body(make_apps: AppsFactory) -> None:
    apps = await make_apps(secrets=(SecretSpec("stripe", "whsec_test"),))
    posted = await apps.hooks.post("/stripe", data=DEEP,
                                   headers={"Stripe-Signature": WRONG_STRIPE})
    detail = await apps.ui.get(f"/api/requests/{(await posted.json())['id']}")
    assert detail.status == 200
    (verdict,) = (await detail.json())["signatures"]
    assert verdict["status"] in ("invalid", "stale") and "does not match" in verdict["reason"]
    asked = await apps.ui.post("/api/verify", json={
        "provider": "stripe", "secret": "whsec_test", "now": NOW,
        "headers": [["Stripe-Signature", WRONG_STRIPE]], "body": DEEP.decode()})
    assert asked.status == 200
    answer = (await asked.json())["verdict"]
    assert answer["status"] == "invalid" and "wrong secret" in answer["reason"]


def test_verify_on_the_command_line_gives_one_line(tmp_path: Path) -> None:
    deep = tmp_path / "deep.json"
    deep.write_bytes(DEEP)
    done = subprocess.run(
        [sys.executable, "-m", "inspector", "verify", "stripe", "--secret", "whsec_test",
         "--header", f"Stripe-Signature: {WRONG_STRIPE}", "--body", f"@{deep}", "--at",
         str(NOW)], capture_output=True, text=True, cwd=tmp_path, timeout=30)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert done.stdout.startswith("invalid: Stripe-Signature does not match")
    assert len(done.stdout.splitlines()) == 1
