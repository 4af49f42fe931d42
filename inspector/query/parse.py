"""Query text -> a frozen tree (nodes.py), by recursive descent; or a QueryError that says
where and what was expected.

    query   := or?
    or      := and ("OR" and)*
    and     := unary ("AND"? unary)*
    unary   := ("NOT" | "-") unary | "(" or ")" | term
    term    := "has:" FIELD | "missing:" FIELD | FIELD ":" value | word | "phrase"

A hand-written parser rather than a library: the grammar is five rules, but its words are not
regular (a regex value may hold parentheses; `-` negates only when it starts a word), and the
errors must name the character and what would have been right there.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Callable

from . import values
from .fields import FIELDS, SCHEMA_VALUES, SIGNATURE_VALUES
from .nodes import (
    And,
    Between,
    Bound,
    Compare,
    Comparison,
    Contains,
    Everything,
    Exact,
    Glob,
    Match,
    Node,
    Not,
    Or,
    Presence,
    Regex,
    Term,
)
from .regex import RegexRefused, check


class QueryError(ValueError):
    """The query does not parse: `position` (0-based) and what was `expected` there."""

    def __init__(self, position: int, expected: str) -> None:
        super().__init__(f"query error at character {position + 1}: expected {expected}")
        self.position = position
        self.expected = expected


# SPEC 12's limits: what a query may hold, past which it is a 400, never a 500 (and every
# walk over the tree, here, in the evaluator and in SQL, stays far from a recursion limit).
MAX_BYTES = 4096
MAX_LEVELS = 64  # parentheses and NOTs, nested
_REFUSED_CHARACTER = re.compile("[\x00\ud800-\udfff]")
_FIELD = re.compile(r"([A-Za-z][A-Za-z0-9_]*)(?:\.([^\s:()\"]+))?")
_ENDS_WORD = " \t\r\n()"
_BOUNDS: dict[str, tuple[Callable[[str], Bound | None], str]] = {
    "number": (values.whole_number, "a whole number"),
    "size": (values.size, "a size such as 512, 10kb or 2mb"),
    "status": (values.status, "a status such as 404 or 5xx"),
    "time": (values.time, "a time such as 2026-11-22T10:00, 2026-11-22T10:00+01:00 or now-15m"),
    "json": (values.number, "a number"),
}
_FIELD_LIST = ", ".join(
    name if not field.named else f"{name}.PATH" if name == "json" else f"{name}.NAME"
    for name, field in FIELDS.items())


def _unknown_field(base: str, text: str) -> str:
    """A typo's likely field, else every field."""
    near = difflib.get_close_matches(base, FIELDS, n=1, cutoff=0.7)
    if near:
        return f"a field name, not {text!r}: did you mean {near[0]}{text[len(base):]}:?"
    return f"a field name ({_FIELD_LIST}), not {text!r}; quote a word that holds ':'"


def parse(text: str) -> Node:
    _check_text(text)
    return _Parser(text).query()


def _check_text(text: str) -> None:
    if len(text) > MAX_BYTES or len(text.encode("utf-8", "surrogatepass")) > MAX_BYTES:
        sizes = (len(char.encode("utf-8", "surrogatepass")) for char in text[:MAX_BYTES + 1])
        over = next(at for at, total in enumerate(itertools.accumulate(sizes))
                    if total > MAX_BYTES)
        raise QueryError(over, f"the end of the query: at most {MAX_BYTES} bytes (UTF-8)")
    refused = _REFUSED_CHARACTER.search(text)
    if refused is not None:
        what = "a NUL" if refused.group() == "\x00" else \
            f"a lone surrogate (U+{ord(refused.group()):04X})"
        raise QueryError(refused.start(), f"a character other than {what}")


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.depth = 0  # open parentheses: a regex may end just before theirs
        self.levels = 0  # parentheses and NOTs around the current place

    # ---- characters ----

    def error(self, expected: str, position: int | None = None) -> QueryError:
        return QueryError(self.pos if position is None else position, expected)

    def skip_space(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos].isspace():
            self.pos += 1

    def at_end(self) -> bool:
        self.skip_space()
        return self.pos >= len(self.text)

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def at_keyword(self, word: str) -> bool:
        """`word` as a whole word here (upper case only: `or` is a search word)."""
        self.skip_space()
        end = self.pos + len(word)
        return self.text.startswith(word, self.pos) and (end == len(self.text)
                                                         or self.text[end] in _ENDS_WORD)

    def keyword(self, word: str) -> bool:
        if self.at_keyword(word):
            self.pos += len(word)
            return True
        return False

    # ---- the grammar ----

    def query(self) -> Node:
        if self.at_end():
            return Everything()
        node = self.or_()
        if not self.at_end():
            raise self.error("a term, OR, or the end of the query (this ')' closes nothing)")
        return node

    def or_(self) -> Node:
        parts = [self.and_()]
        while self.keyword("OR"):
            parts.append(self.and_())
        return parts[0] if len(parts) == 1 else Or(tuple(parts))

    def and_(self) -> Node:
        parts = [self.unary()]
        while not self.at_end() and self.peek() != ")":
            if self.at_keyword("OR"):
                break
            self.keyword("AND")
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def unary(self) -> Node:
        self.skip_space()
        start = self.pos
        if self.keyword("NOT"):
            return Not(self.nested(start, self.unary))
        if self.peek() == "-" and self.text[self.pos + 1:self.pos + 2] not in ("", " ", "\t",
                                                                                "\r", "\n"):
            self.pos += 1
            return Not(self.nested(start, self.unary))
        if self.peek() == "(":
            return self.nested(start, self.group)
        return self.term()

    def nested(self, start: int, inner: Callable[[], Node]) -> Node:
        """One level deeper (a NOT or a parenthesis begun at `start`), within the limit."""
        if self.levels >= MAX_LEVELS:
            raise self.error(f"at most {MAX_LEVELS} levels of parentheses and NOTs", start)
        self.levels += 1
        node = inner()
        self.levels -= 1
        return node

    def group(self) -> Node:
        opened = self.pos
        self.pos += 1
        self.depth += 1
        if self.at_end():
            raise self.error("a term after '('")
        node = self.or_()
        if not self.at_end() and self.peek() == ")":
            self.pos += 1
            self.depth -= 1
            return node
        raise self.error(f"')' to close the '(' at character {opened + 1}")

    def term(self) -> Node:
        if self.at_end() or self.peek() == ")" or self.at_keyword("OR") \
                or self.at_keyword("AND"):
            raise self.error("a term (a word, \"a phrase\", or field:value)")
        if self.peek() == '"':
            return Term(None, None, Contains(self.quoted()))
        field = _FIELD.match(self.text, self.pos)
        if field is not None and self.text.startswith(":", field.end()) \
                and not self.url_like(field):
            return self.field_term(field)
        pattern = self.regex() if self.peek() == "/" else None
        if pattern is not None:
            return Term(None, None, Regex(pattern))
        return Term(None, None, self.text_match(self.word(), None, quoted=False))

    def url_like(self, found: re.Match[str]) -> bool:
        """`https://…` is a word, not an unknown field."""
        return found.group(1).lower() not in FIELDS and found.group(2) is None \
            and self.text.startswith("//", found.end() + 1)

    def field_term(self, found: re.Match[str]) -> Node:
        name = found.group(1).lower()
        if name in ("has", "missing") and found.group(2) is None:
            self.pos = found.end() + 1
            field, field_name = self.field_name(self.pos, self.word())
            return Presence(field, field_name, present=name == "has")
        field, field_name = self.field_name(self.pos, found.group(0))
        self.pos = found.end() + 1
        return Term(field, field_name, self.value(field))

    def field_name(self, start: int, text: str) -> tuple[str, str | None]:
        found = _FIELD.fullmatch(text)
        base = found.group(1).lower() if found else ""
        if base not in FIELDS:
            raise self.error(_unknown_field(base, text), start)
        name = found.group(2) if found else None
        if FIELDS[base].named and not name:
            raise self.error(f"{base}.NAME", start + len(base))
        if not FIELDS[base].named and name:
            raise self.error(f"':' after {base} ({base} takes no .NAME)", start + len(base))
        return base, name

    # ---- values ----

    def quoted(self) -> str:
        opened = self.pos
        self.pos += 1
        pieces: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            self.pos += 1
            if char == '"':
                return "".join(pieces)
            if char == "\\" and self.pos < len(self.text):
                char = self.text[self.pos]
                self.pos += 1
            pieces.append(char)
        raise self.error(f"'\"' to close the phrase begun at character {opened + 1}")

    def word(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _ENDS_WORD:
            self.pos += 1
        if self.pos == start:
            raise self.error("a value")
        return self.text[start:self.pos]

    def regex(self) -> str | None:
        """A value that is wholly `/…/` (it may hold parentheses; those closing open groups
        after it are not its own), compiled to check it; None if the value is not one."""
        end = self.pos
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        run = self.text[self.pos:end]
        closers = 0
        while not run.endswith("/") and run.endswith(")") and closers < self.depth:
            run, closers = run[:-1], closers + 1
        if len(run) < 2 or not run.endswith("/") or run.endswith("\\/"):
            return None
        written = run[1:-1]
        if not written:
            raise self.error("a regular expression between the slashes")
        try:
            check(written)  # as written, so that the place RE2 names is the query's
        except RegexRefused as problem:
            raise self.error(problem.reason, self.pos + 1 + problem.offset) from None
        self.pos += len(run)
        return written.replace("\\/", "/")

    def comparison(self) -> Comparison | None:
        for op in (">=", "<=", ">", "<", "="):
            if self.text.startswith(op, self.pos):
                self.pos += len(op)
                return op
        return None

    def value(self, field: str) -> Match:
        kind = FIELDS[field].kind
        op = self.comparison()
        start = self.pos
        if self.pos >= len(self.text) or self.text[self.pos] in _ENDS_WORD:
            raise self.error(f"a value after {field}:")
        if op is None and self.peek() == "/" and kind in ("text", "name", "json"):
            pattern = self.regex()
            if pattern is not None:
                return Regex(pattern)
        quoted = self.peek() == '"'
        text = self.quoted() if quoted else self.word()
        if kind in ("text", "name"):
            if op not in (None, "="):
                raise self.error(f"text after {field}: ({field} takes no {op})", start - len(op))
            return self.checked(field, self.text_match(text, op, quoted, exact=kind == "name"))
        if kind == "bool":
            if op not in (None, "=") or text.lower() not in ("true", "false"):
                raise self.error(f"true or false after {field}:", start - len(op or ""))
            return Exact(text.lower())
        if kind == "json" and op in (None, "=") and not self.numeric_range(text, quoted, op):
            return self.text_match(text, op, quoted)
        return self.ordered(kind, text, start, op)

    @staticmethod
    def numeric_range(text: str, quoted: bool, op: Comparison | None) -> bool:
        low, dots, high = text.partition("..")
        if quoted or op is not None or not dots:
            return False
        try:
            return values.number(low) is not None and values.number(high) is not None
        except values.OutOfRange:
            return True  # refused where it is read as a range

    def bound(self, read: Callable[[str], Bound | None], text: str, start: int
              ) -> Bound | None:
        try:
            return read(text)
        except values.OutOfRange as problem:
            raise self.error(f"a value small enough to represent ({problem})", start) from None

    @staticmethod
    def text_match(text: str, op: Comparison | None, quoted: bool, exact: bool = False) -> Match:
        if op == "=" or (exact and quoted):
            return Exact(text)
        if not quoted and "*" in text:
            return Glob(text)
        return Exact(text) if exact else Contains(text)

    def checked(self, field: str, match: Match) -> Match:
        if field == "sig" and isinstance(match, Exact) and match.text.lower() \
                not in SIGNATURE_VALUES:
            raise self.error(f"one of {', '.join(SIGNATURE_VALUES)} after sig:",
                             self.pos - len(match.text))
        if field == "schema" and isinstance(match, Exact) and match.text.lower() \
                not in SCHEMA_VALUES:
            raise self.error(f"one of {', '.join(SCHEMA_VALUES)} after schema:",
                             self.pos - len(match.text))
        return match

    def ordered(self, kind: str, text: str, start: int, op: Comparison | None) -> Match:
        read, expected = _BOUNDS[kind]
        if op is None and ".." in text:
            low_text, high_text = text.split("..", 1)
            low = self.bound(read, low_text, start)
            high = self.bound(read, high_text, start + len(low_text) + 2)
            if low is None:
                raise self.error(expected, start)
            if high is None:
                raise self.error(f"{expected} after '..'", start + len(low_text) + 2)
            return Between(low, high)
        bound = self.bound(read, text, start)
        if bound is None:
            raise self.error(expected, start)
        return Compare(op or "=", bound)
