"""Provider name -> scheme, aliases, and detection order (specific before general)."""

from __future__ import annotations

from ._api import Delivery, Scheme
from .body_hmac import Intercom, Linear, Pusher, Shopify, Typeform
from .box import Box
from .chat import Slack, Twitch, Zoom
from .contentful import Contentful
from .discovered import Bondio, TeleBotHost
from .embedded import Adyen, Braintree
from .generic import Hmac
from .git_hosts import Bitbucket, GitHub, GitLab
from .hubspot import HubSpot
from .hygraph import Hygraph
from .keyed_headers import Paddle, Stripe
from .mailgun import Mailgun
from .meta import schemes as meta_schemes
from .public_key import Discord, SendGrid
from .row_schemes import schemes as row_schemes
from .seeds import Bondify, PrimeBot
from .sns import Sns
from .standard import BRANDS, StandardWebhooks, Svix
from .table import ROWS
from .teams import MicrosoftTeams
from .tokens import Okta, Telegram
from .undocumented import schemes as undocumented_schemes
from .url_params import Mandrill, Plivo
from .url_signed import Square, Twilio

# Detection order matters where headers are shared: GitLab's signing token and Svix also send
# webhook-* headers, so they come before Standard Webhooks. Meta's products share GitHub's
# signature header and are told by their body, so they come before GitHub's own fallback.
SCHEMES: tuple[Scheme, ...] = (
    Bondify(), PrimeBot(), Bondio(), TeleBotHost(), GitLab(), Svix(), StandardWebhooks(), Stripe(),
    *meta_schemes(), GitHub(), Bitbucket(), Slack(), Shopify(), Twilio(), Telegram(), Discord(),
    Square(), Paddle(), SendGrid(), Mailgun(), Adyen(), Braintree(), Zoom(), Linear(), Intercom(),
    Typeform(), Twitch(), MicrosoftTeams(), Okta(), Box(), Pusher(), Plivo(), HubSpot(),
    Mandrill(), Contentful(), Hygraph(), Sns(), *row_schemes(ROWS), *BRANDS,
    *undocumented_schemes(), Hmac(),
)
_BY_NAME: dict[str, Scheme] = {}
for _scheme in SCHEMES:
    _BY_NAME[_scheme.name] = _scheme
    for _alias in _scheme.aliases:
        _BY_NAME[_alias] = _scheme
_BY_MARKER: dict[str, list[Scheme]] = {}
for _scheme in SCHEMES:
    for _header in _scheme.marker_headers:
        _BY_MARKER.setdefault(_header.lower(), []).append(_scheme)
# The header each HMAC scheme reads its signature from, lowered: what a shared export masks
# (with every header named like a signature or a token), whatever the provider calls it.
SIGNATURE_HEADERS = frozenset(header.lower() for scheme in SCHEMES
                              if (header := getattr(scheme, "signature_header", None)))
_ORDER = {scheme.name: index for index, scheme in enumerate(SCHEMES)}
# Most schemes are known by their headers alone; only those that say `detects_by_body` are
# asked about a request no marker header claimed (tests check the others never would be).
_BODY_DETECTORS = tuple(scheme for scheme in SCHEMES
                        if getattr(scheme, "detects_by_body", False))


def get(name: str) -> Scheme | None:
    return _BY_NAME.get(name.lower())


def names() -> tuple[str, ...]:
    """Every accepted name: registry keys and aliases."""
    return tuple(_BY_NAME)


# Of the schemes a marker header names, the one detection prefers, by its place in SCHEMES.
_FIRST_BY_MARKER = {header: min(schemes, key=lambda scheme: _ORDER[scheme.name])
                    for header, schemes in _BY_MARKER.items()}
_RANK_BY_MARKER = {header: _ORDER[scheme.name] for header, scheme in _FIRST_BY_MARKER.items()}


def detect(delivery: Delivery) -> Scheme | None:
    """The provider a request looks like: by its marker headers first, then by its body."""
    # The marker names among the request's lowered names (`first`'s keys), intersected in C:
    # no call a header line.
    marked = _RANK_BY_MARKER.keys() & delivery.headers.first.keys()
    if marked:
        return SCHEMES[min(map(_RANK_BY_MARKER.__getitem__, marked))]
    for scheme in _BODY_DETECTORS:
        if scheme.detect_body(delivery):
            return scheme
    return None
