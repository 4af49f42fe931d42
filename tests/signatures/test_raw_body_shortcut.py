"""The raw-body shortcut (keyed.py) gives the general path's verdicts, to the field, for every
scheme it covers, and keeps its secret to itself."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.analysis import ConfiguredSecret, configured
from inspector.config import SecretSpec
from inspector.signatures import MASK, SCHEMES, Delivery, Headers, Key, SignInput, check
from inspector.signatures._hmac import HmacScheme
from inspector.signatures.keyed import covers

COVERED = [scheme for scheme in SCHEMES if covers(scheme)]
NOW = 1_765_000_000.0


def test_the_shortcut_covers_bondify_and_github_and_no_timed_or_templated_scheme() -> None:
    names = {scheme.name for scheme in COVERED}
    assert {"bondify", "github", "bitbucket", "shopify", "whatsapp"} <= names
    for scheme in SCHEMES:
        if isinstance(scheme, HmacScheme) and (scheme.template != "{body}" or scheme.tolerance_s):
            assert not covers(scheme), scheme.name
    assert not covers(next(s for s in SCHEMES if s.name == "hmac"))  # options per secret


def signature(scheme: HmacScheme, secret: str, body: bytes) -> str:
    signed = scheme.sign(Key(secret), SignInput(body, "http://127.0.0.1/hook", NOW, "id-1"))
    return dict(signed.headers)[scheme.signature_header]


def header_value(scheme: HmacScheme, form: str, secret: str, body: bytes, noise: str) -> str | None:
    right = signature(scheme, secret, body)
    return {
        "right": right,
        "padded": f"  {right}\t",
        "upper": right.upper(),
        "other secret": signature(scheme, secret + "x", body),
        "unprefixed": right[len(scheme.prefix):],
        "prefix and noise": scheme.prefix + noise,
        "noise": noise,
        "masked": MASK,
        "absent": None,
    }[form]


def delivery_with(scheme: HmacScheme, value: str | None, legacy: str | None,
                  body: bytes) -> Delivery:
    pairs = [("Content-Type", "application/json")]
    if value is not None:
        pairs.append((scheme.signature_header.lower(), value))
    if legacy is not None:  # GitHub's (and Intercom's, Bitbucket's) older header beside it
        pairs.append(("X-Hub-Signature", legacy))
    return Delivery("POST", None, Headers(pairs), body, "/hook")


FORMS = ["right", "padded", "upper", "other secret", "unprefixed", "prefix and noise", "noise",
         "masked", "absent"]


@settings(max_examples=600, deadline=None, database=None)
@given(scheme=st.sampled_from(COVERED), secret=st.text(min_size=1, max_size=40),
       body=st.binary(max_size=300), form=st.sampled_from(FORMS), noise=st.text(max_size=70),
       legacy=st.none() | st.sampled_from([MASK, "sha1=00", "sha256=ab"]),
       explain=st.booleans())
def test_shortcut_and_general_path_give_identical_verdicts(
        scheme: HmacScheme, secret: str, body: bytes, form: str, noise: str, legacy: str | None,
        explain: bool) -> None:
    [configured_secret] = configured([SecretSpec(scheme.name, secret)])
    value = header_value(scheme, form, secret, body, noise)
    delivery = delivery_with(scheme, value, legacy, body)
    general = check(scheme, delivery, configured_secret.key, NOW, explain)
    assert configured_secret.verify(scheme, delivery, NOW, explain) == general
    shortcut = configured_secret.shortcut
    assert shortcut is not None
    answered = shortcut(delivery, explain)
    if form in ("right", "padded"):  # the usual request never reaches the general path
        assert answered == general and general.status == "valid"
    if answered is not None:
        assert answered == general or general.status == "unverified"  # masked: said after


@given(body=st.binary(max_size=100))
@settings(max_examples=50, deadline=None, database=None)
def test_a_verified_bondify_or_github_request_takes_the_shortcut(body: bytes) -> None:
    for name in ("bondify", "github"):
        [secret] = configured([SecretSpec(name, "s3cret-value")])
        scheme = secret.scheme
        assert isinstance(scheme, HmacScheme) and secret.shortcut is not None
        delivery = delivery_with(scheme, signature(scheme, "s3cret-value", body), None, body)
        found = secret.shortcut(delivery, False)
        assert found is not None and found.status == "valid"
        assert found == check(scheme, delivery, secret.key, NOW, False)


def test_the_keyed_secret_never_shows() -> None:
    for scheme in COVERED:
        secret = ConfiguredSecret(scheme.name, scheme.name, (), Key("hunter2-very-secret"),
                                  scheme)
        shortcut = secret.shortcut
        shown = [repr(secret), str(secret), repr(shortcut), str(shortcut), repr(secret.public())]
        assert not any("hunter2" in text for text in shown), shown
