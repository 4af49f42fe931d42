"""Every regular expression of the search language (`/…/` values, and the `*` wildcards),
matched by RE2: in time linear in the text, whatever the pattern (Python's `re` backtracks:
`(a+)+$` over 26 `a` and a `!` took 9 s). RE2 cannot run backreferences or lookaround, and
a pattern that uses them is refused with the place and the reason."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import re2

from .text import fold

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False  # a refused pattern is the user's answer, not a log line
_OPTIONS.never_capture = True  # only whether it matches is asked: the faster matcher
_BACKREFERENCE = re.compile(r"\\[1-9gk]|\(\?P[=>]")
_LOOKAROUND = re.compile(r"\(\?<?[=!]")


class RegexRefused(ValueError):
    """The pattern cannot be run: `offset` (in the pattern) and `reason`."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def _utf8(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")  # a JSON string may hold a lone surrogate


def _refusal(pattern: str, message: str) -> RegexRefused:
    """RE2's message ("invalid escape sequence: \\1") names the piece it stopped at: the first
    place that piece is a backreference or a lookaround, else its first place."""
    piece = message.partition(": ")[2]
    places = [found.start() for found in re.finditer(re.escape(piece), pattern)] if piece else []
    for offset in places:
        if _BACKREFERENCE.match(pattern, offset):
            return RegexRefused(offset, "a regular expression without backreferences "
                                        "(RE2 matches in linear time and cannot run them)")
        if _LOOKAROUND.match(pattern, offset):
            return RegexRefused(offset, "a regular expression without lookahead or lookbehind "
                                        "(RE2 matches in linear time and cannot run them)")
    offset = _unclosed(pattern) if message.startswith("missing )") else \
        places[0] if places else 0
    return RegexRefused(offset, f"a valid regular expression (RE2: {message})")


def _unclosed(pattern: str) -> int:
    """Where the first group left open begins (RE2 names the whole pattern)."""
    opened: list[int] = []
    escaped = in_class = False
    for offset, char in enumerate(pattern):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif in_class or char == "[":
            in_class = char != "]" if in_class else True
        elif char == "(":
            opened.append(offset)
        elif char == ")" and opened:
            opened.pop()
    return opened[0] if opened else 0


def _compiled(pattern: str) -> Any:
    try:
        return re2.compile(_utf8(pattern), _OPTIONS)
    except re2.error as problem:
        message = problem.args[0] if problem.args else ""
        text = message.decode("utf-8", "replace") if isinstance(message, bytes) else str(message)
        raise _refusal(pattern, text) from None


def check(pattern: str) -> None:
    """RegexRefused unless RE2 can run the pattern."""
    _compiled(pattern)


def searcher(pattern: str) -> Callable[[str], bool]:
    """Whether the pattern is found anywhere in a value (case-sensitive)."""
    search = _compiled(pattern).search
    return lambda value: search(_utf8(value)) is not None


def glob_matcher(glob: str) -> Callable[[str], bool]:
    """Whether a whole value, ASCII-folded, is the glob: `*` for any run, the rest literal."""
    literal = ".*".join(re2.escape(fold(piece)) for piece in glob.split("*"))
    fullmatch = _compiled(f"(?s){literal}").fullmatch
    return lambda value: fullmatch(_utf8(fold(value))) is not None
