"""Amazon SNS: an RSA signature, by the topic's signing certificate, over a canonical string of
the message's fields. No shared secret: what is configured says which topic to accept.

docs.aws.amazon.com/sns/latest/dg/sns-verify-signature-of-message.html and
…/sns-verify-signature-of-message-verify-message-signature.html: the string to sign is
`Name\\nvalue\\n` for each field in order (Notification: Message, MessageId, Subject if present,
Timestamp, TopicArn, Type; SubscriptionConfirmation and UnsubscribeConfirmation: Message,
MessageId, SubscribeURL, Timestamp, Token, TopicArn, Type), with the JSON escapes decoded;
SignatureVersion 1 is SHA1withRSA, 2 SHA256withRSA; Signature is base64; the certificate is
fetched over HTTPS from SigningCertURL, which must be an SNS URL.
docs.aws.amazon.com/sns/latest/dg/sns-message-and-json-formats.html: the x-amz-sns-* headers.

The certificate comes from the configured key when that is a PEM certificate (pinned), else
from `CERTIFICATES`, which this module only reads: fetching lives outside signatures/, and only
for a URL that `certificate_url_problem` accepts, checked before any connection.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
import threading
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.x509.oid import NameOID

from ..models import Verdict
from ._api import Delivery, Identity, Key, Sending, Signed, SignInput, identity, text, verdict
from ._hmac import short

MESSAGE_TYPE = "x-amz-sns-message-type"
MESSAGE_ID = "x-amz-sns-message-id"
TOPIC_ARN = "x-amz-sns-topic-arn"
NOTIFICATION_FIELDS = ("Message", "MessageId", "Subject", "Timestamp", "TopicArn", "Type")
SUBSCRIPTION_FIELDS = ("Message", "MessageId", "SubscribeURL", "Timestamp", "Token", "TopicArn",
                       "Type")
SUBSCRIPTION_TYPES = ("SubscriptionConfirmation", "UnsubscribeConfirmation")
REQUIRED = ("Type", "Message", "MessageId", "Timestamp", "TopicArn", "Signature",
            "SignatureVersion", "SigningCertURL")
HASHES: dict[str, type[hashes.HashAlgorithm]] = {"1": hashes.SHA1, "2": hashes.SHA256}
SNS_HOST = re.compile(r"sns\.[a-z0-9-]{3,}\.amazonaws\.com")
PEM_CERTIFICATE = "-----BEGIN CERTIFICATE-----"
ANY_TOPIC = "*"
TEST_TOPIC = "arn:aws:sns:us-east-1:123456789012:inspector-test"
TEST_CERTIFICATE_URL = "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-test.pem"


def url_problem(url: str, what: str) -> str | None:
    """Why `url` is not one SNS may send us to (None when it is): https, no credentials, the
    default port, and a host `sns.<region>.amazonaws.com`."""
    try:
        split = urlsplit(url)
        port = split.port
    except ValueError:
        return f"{what} is not a URL"
    if split.scheme != "https":
        return f"{what} is not https"
    if split.username is not None or split.password is not None:
        return f"{what} carries credentials"
    if port not in (None, 443):
        return f"{what} names port {port}"
    if not SNS_HOST.fullmatch(split.hostname or ""):
        return f"{what}'s host {short(split.hostname, 40)!r} is not sns.<region>.amazonaws.com"
    return None


def certificate_url_problem(url: str) -> str | None:
    problem = url_problem(url, "SigningCertURL")
    if problem is None and not urlsplit(url).path.endswith(".pem"):
        return "SigningCertURL does not name a .pem certificate"
    return problem


class CertificateCache:
    """Signing certificates by URL, as an edge fetched them (PEM bytes)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._by_url: dict[str, bytes] = {}

    def get(self, url: str) -> bytes | None:
        with self._lock:
            return self._by_url.get(url)

    def remember(self, url: str, pem: bytes) -> None:
        if certificate_url_problem(url) is not None:
            raise ValueError("not an SNS certificate URL")
        with self._lock:
            self._by_url[url] = pem


CERTIFICATES = CertificateCache()


def string_to_sign(message: dict[str, Any]) -> bytes:
    fields = SUBSCRIPTION_FIELDS if message.get("Type") in SUBSCRIPTION_TYPES \
        else NOTIFICATION_FIELDS
    return "".join(f"{name}\n{message[name]}\n" for name in fields
                   if message.get(name) is not None).encode()


def rsa_pair() -> tuple[str, str]:
    """A new (private key, self-signed certificate) pair, both PEM, for tests and `send`."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "sns.amazonaws.com")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
                   .public_key(private.public_key()).serial_number(x509.random_serial_number())
                   .not_valid_before(now - timedelta(days=1))
                   .not_valid_after(now + timedelta(days=365)).sign(private, hashes.SHA256()))
    key_pem = private.private_bytes(serialization.Encoding.PEM,
                                    serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption())
    return key_pem.decode(), certificate.public_bytes(serialization.Encoding.PEM).decode()


def _read(delivery: Delivery, name: str) -> dict[str, Any] | Verdict:
    message = delivery.payload
    if not isinstance(message, dict):
        return verdict(name, "malformed", "the body is not an SNS message (a JSON object)")
    fields = (*REQUIRED, "Token", "SubscribeURL") \
        if message.get("Type") in SUBSCRIPTION_TYPES else REQUIRED
    for field in fields:
        if field not in message:
            return verdict(name, "missing", f"the SNS message has no {field}")
        if not isinstance(message[field], str):
            return verdict(name, "malformed", f"the SNS message's {field} is not a string")
    if message["SignatureVersion"] not in HASHES:
        return verdict(name, "malformed", "SignatureVersion "
                       f"{short(message['SignatureVersion'])!r} is neither 1 nor 2")
    return message


class Sns:
    name = "sns"
    aliases = ("amazon-sns",)
    marker_headers = (MESSAGE_TYPE, MESSAGE_ID)
    signature_headers = ("body:Signature", "body:SigningCertURL", MESSAGE_TYPE)
    secret_hint = ("the topic's ARN to accept (* for any topic), or its signing certificate "
                   "(PEM) to pin")
    sending = Sending(headers=lambda event, delivery_id, now: [
        (MESSAGE_TYPE, "Notification"), (MESSAGE_ID, delivery_id), (TOPIC_ARN, TEST_TOPIC)],
        key_pair=rsa_pair)

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def identify(self, delivery: Delivery) -> Identity:
        kind = text(delivery.body_field("Type")) or delivery.headers.get(MESSAGE_TYPE)
        message_id = text(delivery.body_field("MessageId"))
        return identity(self.name, kind, message_id)

    def certificate(self, key: Key, url: str) -> bytes | Verdict:
        if key.secret.lstrip().startswith(PEM_CERTIFICATE):
            return key.secret.encode()
        cached = CERTIFICATES.get(url)
        if cached is None:
            return verdict(self.name, "unverified", f"the signing certificate {short(url, 80)} "
                           "has not been fetched: fetch it from the inspector (the request's "
                           "certificate action, or confirming the subscription), or configure "
                           "it (PEM) as the sns secret")
        return cached

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        message = _read(delivery, self.name)
        if isinstance(message, Verdict):
            return message
        url = message["SigningCertURL"]
        problem = certificate_url_problem(url)
        if problem is not None:
            return verdict(self.name, "invalid", f"{problem}: the certificate is not fetched "
                           "and the message is not trusted", received=short(url, 80))
        topic = key.secret.strip()
        if not topic.startswith((PEM_CERTIFICATE, ANY_TOPIC)) and message["TopicArn"] != topic:
            return verdict(self.name, "invalid", f"TopicArn {short(message['TopicArn'], 80)} "
                           "is not the topic configured for sns")
        pem = self.certificate(key, url)
        if isinstance(pem, Verdict):
            return pem
        return self.check(message, pem)

    def check(self, message: dict[str, Any], pem: bytes) -> Verdict:
        algorithm = "SHA1withRSA" if message["SignatureVersion"] == "1" else "SHA256withRSA"
        details = {"header": "body:Signature", "received": short(message["Signature"])}
        try:
            public = x509.load_pem_x509_certificate(pem).public_key()
            signature = base64.b64decode(message["Signature"], validate=True)
        except (ValueError, binascii.Error):
            return verdict(self.name, "malformed", "the signing certificate or the Signature "
                           "cannot be read", **details)
        if not isinstance(public, rsa.RSAPublicKey):
            return verdict(self.name, "malformed", "the signing certificate has no RSA key")
        try:
            public.verify(signature, string_to_sign(message), padding.PKCS1v15(),
                          HASHES[message["SignatureVersion"]]())
        except InvalidSignature:
            return verdict(self.name, "invalid", f"Signature does not verify as {algorithm} of "
                           "the message's fields: another certificate signed it, or a signed "
                           "field changed after signing", **details)
        return verdict(self.name, "valid", f"Signature verifies as {algorithm} of the "
                       f"{message['Type']}'s fields", **details)

    def sign(self, key: Key, message: SignInput) -> Signed:
        """The body becomes the Message of a Notification, signed (version 2) by the key."""
        private = serialization.load_pem_private_key(key.secret.encode(), None)
        if not isinstance(private, rsa.RSAPrivateKey):
            raise ValueError("SNS signing needs an RSA private key (PEM)")
        moment = datetime.fromtimestamp(message.now, UTC)
        stamp = moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
        document: dict[str, Any] = {
            "Type": "Notification", "MessageId": message.message_id, "TopicArn": TEST_TOPIC,
            "Message": message.body.decode("utf-8", "replace"),
            "Timestamp": stamp,
            "SignatureVersion": "2", "SigningCertURL": TEST_CERTIFICATE_URL,
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe"}
        signature = private.sign(string_to_sign(document), padding.PKCS1v15(), hashes.SHA256())
        document["Signature"] = base64.b64encode(signature).decode()
        body = json.dumps(document, indent=2, ensure_ascii=False).encode()
        return Signed([("Content-Type", "text/plain; charset=UTF-8")], body, message.url)
