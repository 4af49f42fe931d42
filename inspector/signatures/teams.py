"""Microsoft Teams outgoing webhooks: `Authorization: HMAC <base64 HMAC-SHA256 of the raw body>`,
keyed with the base64-DECODED security token Teams shows when the webhook is created
(learn.microsoft.com/microsoftteams/platform/webhooks-and-connectors/how-to/add-outgoing-webhook;
Microsoft's sample OfficeDev/Microsoft-Teams-Samples samples/outgoing-webhook).

Authorization is everybody's header, so it marks nothing: a request is Teams' when it is signed
`HMAC …` and its body is a Bot Framework activity from the `msteams` channel.
"""

from __future__ import annotations

import base64
import secrets
from collections.abc import Iterator

from ._api import Delivery, Identity, Key, Sending, identity, text
from ._hmac import HmacScheme, b64decode_or_none


def new_token() -> str:
    """A security token as Teams shows one: base64 of 32 random bytes."""
    return base64.b64encode(secrets.token_bytes(32)).decode("ascii")


class MicrosoftTeams(HmacScheme):
    detects_by_body = True  # see _registry.detect
    name = "microsoft-teams"
    aliases = ("microsoft_teams", "teams")
    signature_header = "Authorization"
    prefix = "HMAC "
    encoding = "base64"
    secret_hint = "the outgoing webhook's security token (as Teams shows it, base64)"
    sending = Sending(new_secret=new_token)

    def key_bytes(self, key: Key) -> bytes:
        decoded = b64decode_or_none(key.secret)
        return decoded if decoded is not None else key.secret.encode("utf-8")

    def alternative_keys(self, key: Key) -> Iterator[tuple[bytes, str]]:
        yield key.secret.encode("utf-8"), "the token's text (Teams keys with its decoded bytes)"

    def detect_body(self, delivery: Delivery) -> bool:
        authorization = delivery.headers.get("Authorization")
        if authorization is None or not authorization.startswith(self.prefix):
            return False
        return bool(delivery.body_field("channelId") == "msteams")

    def identify(self, delivery: Delivery) -> Identity:
        return identity(self.name, text(delivery.body_field("type")),
                        text(delivery.body_field("id")))
