"""Detection by marker headers: a provider whose signature header has a generic name (Lemon
Squeezy's X-Signature) is recognised by its own marker only, and steals no one else's requests;
one whose header another scheme claims (GoCardless's Webhook-Signature) is matched by path."""

from __future__ import annotations

import hashlib
import hmac

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.config import SecretSpec
from inspector.signatures import SCHEMES, Delivery, Headers, detect

from ..conftest import AppsFactory

BODY = b'{"meta":{"event_name":"order_created"},"data":{"type":"orders","id":"1"}}'


def detected(headers: dict[str, str]) -> str | None:
    delivery = Delivery("POST", "https://abc.ngrok.app/hook", Headers(headers.items()), BODY)
    scheme = detect(delivery)
    return None if scheme is None else scheme.name


def hex_hmac(secret: str) -> str:
    return hmac.new(secret.encode(), BODY, hashlib.sha256).hexdigest()


def test_lemon_squeezy_is_marked_by_its_event_header() -> None:
    assert detected({"X-Signature": hex_hmac("k"), "X-Event-Name": "order_created"}) == \
        "lemon-squeezy"


def test_a_bare_x_signature_is_nobodys() -> None:
    """The generic scheme's default header (Segment's too, and Modern Treasury's, ClickUp's…)."""
    assert detected({"X-Signature": "sha256=" + hex_hmac("k")}) is None
    assert detected({"X-Signature": hex_hmac("k")}) is None


def test_asanas_handshake_and_events_are_asanas() -> None:
    assert detected({"X-Hook-Secret": "b537207f20cbfa02"}) == "asana"
    assert detected({"X-Hook-Signature": hex_hmac("b537207f20cbfa02")}) == "asana"


def test_github_and_woocommerce_keep_their_requests() -> None:
    github = {"X-Hub-Signature-256": "sha256=" + hex_hmac("k"), "X-GitHub-Event": "push"}
    assert detected(github) == "github"
    assert detected({**github, "X-Event-Name": "push"}) == "github"
    woocommerce = {"X-WC-Webhook-Topic": "order.created", "X-WC-Webhook-Signature": "x"}
    assert detected(woocommerce) == "woocommerce"
    assert detected({"X-WC-Webhook-Topic": "order.created"}) == "woocommerce"  # unsigned too


async def test_a_gocardless_secret_finds_its_requests_by_path(make_apps: AppsFactory) -> None:
    """GoCardless's Webhook-Signature is Standard Webhooks' header name, so detection leaves it
    to Standard Webhooks; a gocardless secret given paths still checks it."""
    secret = "gocardless-endpoint-secret"
    body = b'{"events":[{"id":"EV1","resource_type":"payments","action":"confirmed"}]}'
    headers = {"Webhook-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
               "Origin": "https://api.gocardless.com", "Content-Type": "application/json"}
    apps = await make_apps(secrets=(SecretSpec("gocardless", secret, paths=("/gocardless",)),))
    response = await apps.hooks.post("/gocardless", data=body, headers=headers)
    detail = await (await apps.ui.get(f"/api/requests/{(await response.json())['id']}")).json()
    assert [(v["provider"], v["status"]) for v in detail["signatures"]] == \
        [("gocardless", "valid")]


MARKERS = sorted({header for scheme in SCHEMES for header in scheme.marker_headers})


def detected_by_markers(names: list[str]) -> str | None:
    """Detection by marker headers as the registry defines it: of every scheme a name marks
    (any case), the first in detection order."""
    lowered = {name.lower() for name in names}
    return next((scheme.name for scheme in SCHEMES
                 if lowered & {header.lower() for header in scheme.marker_headers}), None)


def any_case(name: str, flips: list[bool]) -> str:
    flips = [*flips, *[False] * len(name)]
    return "".join(c.upper() if flip else c.lower() for c, flip in zip(name, flips, strict=False))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([*MARKERS, "Content-Type", "X-Other", "Host"]),
                          st.lists(st.booleans(), max_size=40)), max_size=6))
def test_marker_detection_is_the_first_marked_scheme_whatever_the_case(
        headers: list[tuple[str, list[bool]]]) -> None:
    """The same choice as the registry's order over lowered names, for names in any case."""
    names = [any_case(name, flips) for name, flips in headers]
    delivery = Delivery("POST", "https://x/hook", Headers((name, "1") for name in names), b"")
    scheme = detect(delivery)
    expected = detected_by_markers(names)
    if expected is not None:
        assert scheme is not None and scheme.name == expected
    else:  # no marker: what the body detectors say (an empty body: nobody's)
        assert scheme is None


def test_names_of_any_length_and_case_are_detected() -> None:
    """Detection reads the lowered names the headers hold: nothing is remembered per name."""
    long_name = "X-" + "n" * 60_000
    assert detected({long_name: "1", "X-GitHub-Event": "push"}) == "github"
    assert detected({"x-gItHuB-eVeNt": "push"}) == "github"
