"""The generic `hmac` scheme (header or query, every option) and `discover`."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from inspector.config import SecretSpec
from inspector.signatures import SCHEMES, Delivery, Headers, Key, SignInput, discover, get
from inspector.signatures.generic import GenericHmac, options_error

from ..conftest import AppsFactory

SECRET = "s3cr3t-key-for-bondio"
BODY = b'{"type": "subscription.activated", "id": "ev_77", "data": {"iccid": "8901"}}'


def bondio_like_headers(timestamp: str = "1767225600") -> dict[str, str]:
    """An unpublished scheme: base64 HMAC-SHA256 of '{timestamp}.{body}'."""
    digest = hmac.new(SECRET.encode(), timestamp.encode() + b"." + BODY, hashlib.sha256).digest()
    return {"bondio-signature": base64.b64encode(digest).decode(),
            "bondio-timestamp": timestamp, "Content-Type": "application/json"}


def delivery(headers: dict[str, str], url: str = "https://example.com/hooks") -> Delivery:
    return Delivery("POST", url, Headers(headers.items()), BODY)


def test_discover_finds_the_construction_and_prints_a_secrets_block() -> None:
    matches, tried, _ = discover(delivery(bondio_like_headers()), SECRET)
    assert tried > 100
    found = [m.options for m in matches]
    assert {"header": "bondio-signature", "algorithm": "sha256", "encoding": "base64",
            "payload": "{timestamp}.{body}", "timestamp_header": "bondio-timestamp"} in found
    block = next(m for m in matches if m.options.get("payload") == "{timestamp}.{body}").toml()
    assert block.startswith("[[secrets]]\nprovider = \"hmac\"")
    assert 'header = "bondio-signature"' in block and SECRET not in block


def test_discover_finds_nothing_with_the_wrong_secret() -> None:
    matches, tried, _ = discover(delivery(bondio_like_headers()), "wrong")
    assert matches == [] and tried > 0


def test_bondio_secret_is_checked_by_discovery() -> None:
    scheme = get("bondio")
    assert scheme is not None
    good = scheme.verify(delivery(bondio_like_headers()), Key(SECRET), 0)
    assert good.status == "valid" and "discovery" in good.reason
    bad = scheme.verify(delivery(bondio_like_headers()), Key("other"), 0)
    assert bad.status == "invalid"


async def test_discovered_block_verifies_at_capture(make_apps: AppsFactory) -> None:
    (match, *_) = [m for m in discover(delivery(bondio_like_headers("2000000000")), SECRET)[0]
                   if m.options.get("timestamp_header")]
    options: dict[str, Any] = {**match.options, "tolerance_s": 10**10}
    apps = await make_apps(secrets=(SecretSpec("hmac", SECRET, options=options),))
    response = await apps.hooks.post("/bondio", data=BODY,
                                     headers=bondio_like_headers("2000000000"))
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert detail["provider"] == "bondio" and detail["event"] == "subscription.activated"
    assert [v["status"] for v in detail["signatures"]] == ["valid"]
    assert detail["signatures"][0]["provider"] == "hmac"


def test_signed_url_in_the_query_like_telebothost() -> None:
    options = {"query": "sig", "payload": "{url}", "algorithm": "sha256", "encoding": "hex"}
    scheme = GenericHmac(options)
    url = "https://api.example.com/hook?command=run&options=%7B%22a%22%3A1%7D&user=42"
    signed = scheme.sign(Key("k", options), SignInput(b"", url, 0, "id"))
    assert "sig=" in signed.url and signed.headers == []
    check = get("hmac")
    assert check is not None
    ok = Delivery("GET", signed.url, Headers([]), b"")
    assert check.verify(ok, Key("k", options), 0).status == "valid"
    forged = Delivery("GET", signed.url.replace("user=42", "user=43"), Headers([]), b"")
    assert check.verify(forged, Key("k", options), 0).status == "invalid"


def test_resigning_a_query_signed_url_keeps_one_signature() -> None:
    options = {"query": "sig", "payload": "{url}", "algorithm": "sha256", "encoding": "hex"}
    scheme = GenericHmac(options)
    url = "https://api.example.com/hook?command=run&sig=OLD&user=42"
    signed = scheme.sign(Key("k", options), SignInput(b"", url, 0, "id"))
    again = scheme.sign(Key("k", options), SignInput(b"", signed.url, 0, "id"))
    for result in (signed, again):
        assert result.url.count("sig=") == 1 and "OLD" not in result.url
        delivery = Delivery("GET", result.url, Headers([]), b"")
        assert scheme.verify(delivery, Key("k", options), 0).status == "valid"
    assert again.url == signed.url


@pytest.mark.parametrize(("options", "secret"), [
    ({"header": "X-Sig", "algorithm": "sha512", "encoding": "base64", "prefix": "v1="}, "k"),
    ({"header": "X-Sig", "payload": "{method}{path}{body}", "secret_encoding": "hex"}, "a1b2"),
    ({"header": "X-Sig", "payload": "{id}.{timestamp}.{body}", "timestamp_header": "X-Ts",
      "id_header": "X-Id", "algorithm": "sha1", "secret_encoding": "base64"}, "a2V5"),
])
def test_generic_options_round_trip(options: dict[str, Any], secret: str) -> None:
    assert options_error(options) is None
    scheme = GenericHmac(options)
    message = SignInput(BODY, "https://example.com/p", 1767225600, "id-1")
    signed = scheme.sign(Key(secret, options), message)
    headers = Headers([*signed.headers, ("X-Id", "id-1")])
    verified = scheme.verify(Delivery("POST", signed.url, headers, BODY), Key(secret, options),
                             1767225600)
    assert verified.status == "valid", verified.reason


@pytest.mark.parametrize(("options", "problem"), [
    ({}, "exactly one of header or query"),
    ({"header": "X", "query": "s"}, "exactly one of header or query"),
    ({"header": "X", "algorithm": "md5"}, "algorithm must be"),
    ({"header": "X", "payload": "{timestamp}.{body}"}, "timestamp_header"),
    ({"header": "X", "payload": "{nonsense}"}, "payload can use"),
    ({"header": "X", "colour": "blue"}, "unknown option"),
])
def test_bad_generic_options(options: dict[str, Any], problem: str) -> None:
    error = options_error(options)
    assert error is not None and problem in error


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "inspector", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=30)


def test_cli_verify_and_discover(tmp_path: Path) -> None:
    body_file = tmp_path / "body.json"
    body_file.write_bytes(BODY)
    headers = [arg for name, value in bondio_like_headers().items()
               for arg in ("--header", f"{name}: {value}")]
    found = run_cli("verify", "discover", "--secret", SECRET, *headers, "--body", f"@{body_file}",
                    cwd=tmp_path)
    assert found.returncode == 0, found.stderr
    assert 'payload = "{timestamp}.{body}"' in found.stdout and SECRET not in found.stdout
    digest = hmac.new(b"k", BODY, hashlib.sha256).hexdigest()
    valid = run_cli("verify", "bondify", "--secret", "k", "--header",
                    f"X-Bondify-Signature: {digest}", "--body", f"@{body_file}", cwd=tmp_path)
    assert valid.returncode == 0 and valid.stdout.startswith("valid: ")
    stale = run_cli("verify", "stripe", "--secret", "whsec_x", "--header",
                    "Stripe-Signature: t=100,v1=" + "0" * 64, "--body", "{}", "--at", "100",
                    cwd=tmp_path)
    assert stale.returncode == 1 and stale.stdout.startswith("invalid: ")
    unknown = run_cli("verify", "nosuch", "--secret", "x", cwd=tmp_path)
    assert unknown.returncode == 2 and "unknown provider" in unknown.stderr
    listing = run_cli("providers", cwd=tmp_path)
    assert listing.returncode == 0
    assert len(listing.stdout.strip().splitlines()) == len(SCHEMES)
    assert json.dumps("Stripe-Signature")[1:-1] in listing.stdout
