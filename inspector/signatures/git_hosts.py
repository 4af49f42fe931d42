"""GitHub, GitLab and Bitbucket."""

from __future__ import annotations

from ..models import Verdict, new_tuple
from ._api import Delivery, Identity, Key, Sending, Signed, SignInput, identity, signed, text
from ._hmac import HmacScheme
from .standard import StandardWebhooks
from .tokens import check_token


class GitHubLegacy(HmacScheme):
    name = "github"
    signature_header = "X-Hub-Signature"
    algorithm = "sha1"
    prefix = "sha1="


class GitHub(HmacScheme):
    """docs.github.com …/validating-webhook-deliveries: `sha256=` hex of the raw body."""
    detects_by_body = True  # see _registry.detect

    sending = Sending(headers=lambda event, delivery_id, now: [
        ("X-GitHub-Event", event), ("X-GitHub-Delivery", delivery_id), ("X-GitHub-Hook-ID", "1")])
    name = "github"
    # X-Hub-Signature-256 alone is not a mark: Meta signs with it too (see detect_body).
    marker_headers = ("X-GitHub-Event", "X-GitHub-Delivery")
    signature_header = "X-Hub-Signature-256"
    prefix = "sha256="
    secret_hint = "the webhook secret"
    legacy = GitHubLegacy()
    verifies_plainly_when_signed = True  # verify() hands off only requests without the header

    @property
    def signature_headers(self) -> tuple[str, ...]:
        return ("X-Hub-Signature-256", "X-Hub-Signature")

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        headers = delivery.headers
        if "X-Hub-Signature-256" not in headers and "X-Hub-Signature" in headers:
            return self.legacy.verify(delivery, key, now, explain)
        return super().verify(delivery, key, now, explain)

    def detect_body(self, delivery: Delivery) -> bool:
        """Signed like GitHub without GitHub's own headers: GitHub's, unless a provider that
        shares the header claimed the request first (Meta, by its body; see meta.py)."""
        return "X-Hub-Signature-256" in delivery.headers

    def identify(self, delivery: Delivery) -> Identity:
        first = delivery.headers.first  # `Headers.get` with the names lowered: no frame each
        event = first.get("x-github-event")
        action = text(delivery.body_field("action"))
        delivery_id = first.get("x-github-delivery")
        # `identity`, spelt out: the tuple made at once, its dedupe key the delivery id
        return new_tuple(Identity, (f"{event}.{action}" if event and action else event,
                                    delivery_id, f"github:{delivery_id}" if delivery_id
                                    else None))


class GitLabSigning(StandardWebhooks):
    name = "gitlab"
    aliases: tuple[str, ...] = ()


class GitLab:
    """docs.gitlab.com …/webhooks: X-Gitlab-Token, or a Standard Webhooks signing token."""

    name = "gitlab"
    aliases = ()
    marker_headers = ("X-Gitlab-Event", "X-Gitlab-Token", "X-Gitlab-Event-UUID")
    signature_headers = ("X-Gitlab-Token", "webhook-signature")
    secret_hint = "the secret token (or the whsec_ signing token)"
    sending = Sending(headers=lambda event, delivery_id, now: [
        ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Event-UUID", delivery_id)])
    signing = GitLabSigning()

    def detect_body(self, delivery: Delivery) -> bool:
        return False

    def verify(self, delivery: Delivery, key: Key, now: float,
               explain: bool = True) -> Verdict:
        if "webhook-signature" in delivery.headers or key.secret.startswith("whsec_"):
            return self.signing.verify(delivery, key, now, explain)
        return check_token(self.name, "X-Gitlab-Token", delivery, key)

    def identify(self, delivery: Delivery) -> Identity:
        headers = delivery.headers
        delivery_id = headers.get("X-Gitlab-Event-UUID") or headers.get("Idempotency-Key") or \
            headers.get("webhook-id")
        event = text(delivery.body_field("object_kind")) or headers.get("X-Gitlab-Event")
        return identity("gitlab", event, delivery_id)

    def sign(self, key: Key, message: SignInput) -> Signed:
        if key.secret.startswith("whsec_"):
            return self.signing.sign(key, message)
        return signed(message, [("X-Gitlab-Token", key.secret)])


class Bitbucket(HmacScheme):
    """support.atlassian.com …/manage-webhooks: `sha256=` hex of the raw body."""

    name = "bitbucket"
    marker_headers = ("X-Event-Key", "X-Request-UUID", "X-Hook-UUID")
    signature_header = "X-Hub-Signature"
    prefix = "sha256="
    sending = Sending(headers=lambda event, delivery_id, now: [
        ("X-Event-Key", event), ("X-Request-UUID", delivery_id)])

    def identify(self, delivery: Delivery) -> Identity:
        headers = delivery.headers
        delivery_id = headers.get("X-Request-UUID")  # X-Hook-UUID names the hook, not a delivery
        return identity("bitbucket", headers.get("X-Event-Key"), delivery_id)
