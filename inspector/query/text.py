"""Case folding as every engine does it."""

from __future__ import annotations

KEPT_FROM = 64 * 1024  # a text this long may be a kept body view's, folded with it


def fold(text: str) -> str:
    """ASCII case folding, as SQLite's LIKE and lower() do: both engines agree on every text.
    Not ASCII, through UTF-8 bytes, whose lower() changes only ASCII letters: 5 to 10 times what
    str.translate does (a 1 MiB decoded body of other letters held the loop 90-130 ms)."""
    if text.isascii():
        return text.lower()
    if len(text) > KEPT_FROM:
        from .body_view import kept_folded  # which imports this module

        kept = kept_folded(text)
        if kept is not None:
            return kept
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")
