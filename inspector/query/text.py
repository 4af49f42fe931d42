"""Case folding as every engine does it."""

from __future__ import annotations

# Long texts folded ahead of time, by identity (each held by its entry while kept): a kept
# body view's text, folded in steps when the view was made (body_view.py).
_FOLDED: dict[int, tuple[str, str]] = {}


def fold(text: str) -> str:
    """ASCII case folding, as SQLite's LIKE and lower() do: both engines agree on every text.
    Not ASCII, through UTF-8 bytes, whose lower() changes only ASCII letters: 5 to 10 times what
    str.translate does (a 1 MiB decoded body of other letters held the loop 90-130 ms)."""
    if text.isascii():
        return text.lower()
    kept = _FOLDED.get(id(text))
    if kept is not None and kept[0] is text:
        return kept[1]
    return text.encode("utf-8", "surrogatepass").lower().decode("utf-8", "surrogatepass")


def keep_folded(text: str, folded: str) -> None:
    """`fold(text)` is `folded` from now on, until `forget_folded(text)`."""
    _FOLDED[id(text)] = (text, folded)


def is_folded(text: str) -> bool:
    kept = _FOLDED.get(id(text))
    return kept is not None and kept[0] is text


def forget_folded(text: str) -> None:
    kept = _FOLDED.get(id(text))
    if kept is not None and kept[0] is text:
        del _FOLDED[id(text)]
