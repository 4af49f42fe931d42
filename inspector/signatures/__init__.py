"""Webhook signature schemes, one module per provider family, behind one registry."""

from ._api import (
    Delivery,
    Handshake,
    Headers,
    Identity,
    Key,
    Scheme,
    Signed,
    SignInput,
    public_url,
    shared,
)
from ._registry import SCHEMES, SIGNATURE_HEADERS, detect, get, names
from .discover import Match, discover
from .generic import OPTION_CHOICES, OPTION_KEYS, Hmac, options_error
from .handshakes import answers_handshakes, handshake
from .masked import MASK, check, unless_masked
from .undocumented import unverifiable

GENERIC = Hmac.name  # the generic scheme's registry key: a secret with its own options


__all__ = [
    "GENERIC",
    "MASK",
    "OPTION_CHOICES",
    "OPTION_KEYS",
    "SCHEMES",
    "SIGNATURE_HEADERS",
    "Delivery",
    "Handshake",
    "Headers",
    "Identity",
    "Key",
    "Match",
    "Scheme",
    "SignInput",
    "Signed",
    "answers_handshakes",
    "check",
    "detect",
    "discover",
    "get",
    "handshake",
    "names",
    "options_error",
    "public_url",
    "shared",
    "unless_masked",
    "unverifiable",
]
