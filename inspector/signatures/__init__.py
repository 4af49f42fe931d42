"""Webhook signature schemes, one module per provider family, behind one registry."""

from ._api import (
    Delivery,
    Headers,
    Identity,
    Key,
    Scheme,
    Signed,
    SignInput,
    public_url,
    shared,
)
from ._registry import SCHEMES, detect, get, names
from .generic import Match, discover, options_error


def provider_names() -> tuple[str, ...]:
    return names()


__all__ = ["SCHEMES", "Delivery", "Headers", "Identity", "Key", "Match", "Scheme", "SignInput",
           "Signed", "detect", "discover", "get", "names", "options_error", "provider_names",
           "public_url", "shared"]
