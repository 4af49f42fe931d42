"""Case folding as every engine does it."""

from __future__ import annotations

import string

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def fold(text: str) -> str:
    """ASCII case folding, as SQLite's LIKE and lower() do: both engines agree on every text."""
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)
