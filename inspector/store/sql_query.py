"""A parsed query as SQL over the search index's tables (sqlite_index.py): exact where SQL
says the same as the predicate, a superset (checked by the predicate after) where it can only
narrow, nothing where it cannot help.

Text is folded ASCII-only on both sides (SQLite's lower() and LIKE, the predicate's `fold`),
so an exact clause and the predicate agree on every value. Body and header text go through
the FTS5 trigram index: a superset (it folds more than ASCII), so never exact.
"""

from __future__ import annotations

import enum
from typing import NamedTuple

from ..query.nodes import (
    And,
    Between,
    Bound,
    Compare,
    Contains,
    Everything,
    Exact,
    Glob,
    Match,
    Node,
    Not,
    Or,
    Presence,
    Term,
)
from ..query.text import fold
from .sqlite_index import BODY_TEXT_LIMIT, UNDECODED


class SpanBound(enum.Enum):
    """A parameter bound to each span of ids a search reads (sqlite_search.py): the full-text
    index is asked for that span alone, never for every row at once."""

    LOW = "above"
    HIGH = "up to"


class Clause(NamedTuple):
    sql: str
    params: tuple[object, ...]
    exact: bool  # False: the rows it selects must still pass the predicate

    def bound(self, low: int, high: int) -> tuple[object, ...]:
        """The parameters for the span of ids above `low` up to `high`."""
        return tuple(low if param is SpanBound.LOW else high if param is SpanBound.HIGH
                     else param for param in self.params)


# field -> the column of `facets` holding its one value (NULL: none)
TEXT_COLUMNS = {"method": "method", "path": "path", "host": "host", "ct": "content_type",
                "provider": "provider", "event": "event", "delivery": "delivery_id",
                "sig": "coalesce(signature, 'none')", "dup": "duplicate",
                "replayed": "replayed"}
ORDERED_COLUMNS = {"status": "status", "size": "body_size", "time": "received_at", "id": "id"}
PRESENT = {"method": "method != ''", "path": "path != ''", "host": "host != ''",
           "ct": "content_type != ''", "provider": "provider != ''", "event": "event != ''",
           "delivery": "delivery_id != ''", "sig": "signature IS NOT NULL",
           "dup": "duplicate = 'true'", "replayed": "replayed = 'true'",
           "status": "status IS NOT NULL", "size": "body_size > 0", "time": "1", "id": "1"}
TRIGRAM = 3  # the index finds substrings of at least this many characters
FULL_TEXT_COLUMNS = {None: None, "body": "body", "header": "head"}  # field -> FTS column
MOST_FULL_TEXT = 8  # terms for the full-text index: each costs ~0.1 ms a span, however narrow


def like_pattern(glob: str) -> str:
    escaped = fold(glob).replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _text(column: str, match: Match) -> Clause | None:
    if isinstance(match, Contains):
        return Clause(f"instr(lower({column}), ?) > 0", (fold(match.text),), True)
    if isinstance(match, Exact):
        return Clause(f"lower({column}) = ?", (fold(match.text),), True)
    if isinstance(match, Glob):
        return Clause(f"lower({column}) LIKE ? ESCAPE '\\'", (like_pattern(match.pattern),),
                      True)
    return None  # a regex: the predicate's


def _within(column: str, op: str, bound: Bound, now: float) -> tuple[str, tuple[object, ...]]:
    """The predicate's `within`, in SQL (the same floats, computed once here)."""
    start = bound.start(now)
    end = start + bound.span
    if op == ">=":
        return f"{column} >= ?", (start,)
    if op == "<":
        return f"{column} < ?", (start,)
    if bound.span == 0:
        return {"=": f"{column} = ?", ">": f"{column} > ?", "<=": f"{column} <= ?"}[op], \
            (start,)
    if op == "=":
        return f"({column} >= ? AND {column} < ?)", (start, end)
    return (f"{column} >= ?" if op == ">" else f"{column} < ?"), (end,)


def _ordered(column: str, match: Match, now: float) -> Clause | None:
    if isinstance(match, Compare):
        sql, params = _within(column, match.op, match.bound, now)
        return Clause(sql, params, True)
    if isinstance(match, Between):
        low, low_params = _within(column, ">=", match.low, now)
        high, high_params = _within(column, "<=", match.high, now)
        return Clause(f"({low} AND {high})", low_params + high_params, True)
    return None


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _full_text(column: str | None, match: Match) -> Clause | None:
    """Rows whose indexed text holds every literal piece of the match: a superset."""
    if isinstance(match, Contains | Exact):
        pieces = [match.text]
    elif isinstance(match, Glob):
        pieces = match.pattern.split("*")
    else:
        return None
    pieces = [piece for piece in pieces if len(piece) >= TRIGRAM]
    if not pieces:
        return None
    expression = " AND ".join(_fts_phrase(piece) for piece in pieces)
    if column is not None:
        expression = f"{{{column}}} : ({expression})"
    if column != "head":  # a body searched decoded is the predicate's to read
        expression = f"({expression}) OR {{body}} : {_fts_phrase(UNDECODED)}"
    found = Clause("id IN (SELECT rowid FROM request_text WHERE request_text MATCH ? "
                   "AND rowid > ? AND rowid <= ?)",
                   (expression, SpanBound.LOW, SpanBound.HIGH), False)
    if column == "head":
        return found
    # a body too large for the full-text index is the predicate's to read
    return Clause(f"{found.sql} OR body_size > ?", (*found.params, BODY_TEXT_LIMIT), False)


def _term(term: Term, now: float, full_text: bool) -> Clause | None:
    if term.field in FULL_TEXT_COLUMNS:
        return _full_text(FULL_TEXT_COLUMNS[term.field], term.match) if full_text else None
    if term.field in ORDERED_COLUMNS:
        clause = _ordered(ORDERED_COLUMNS[term.field], term.match, now)
    elif term.field in TEXT_COLUMNS:
        clause = _text(TEXT_COLUMNS[term.field], term.match)
    else:
        return None
    # A missing value (NULL) matches nothing, and its negation everything, as in the predicate.
    return None if clause is None else clause._replace(sql=f"coalesce({clause.sql}, 0)")


def _full_text_terms(node: Node) -> int:
    if isinstance(node, Term):
        return int(node.field in FULL_TEXT_COLUMNS)
    if isinstance(node, Not):
        return _full_text_terms(node.part)
    return sum(map(_full_text_terms, node.parts)) if isinstance(node, And | Or) else 0


def translate(node: Node, now: float) -> Clause | None:
    """SQL over `facets` (alias-free) that selects the matches, or a superset of them; None
    when SQL cannot narrow the search at all. Past MOST_FULL_TEXT text terms, the full-text
    index is not asked at all (each of its subqueries costs the same for every span)."""
    return _translate(node, now, _full_text_terms(node) <= MOST_FULL_TEXT)


def _translate(node: Node, now: float, full_text: bool) -> Clause | None:
    if isinstance(node, Everything):
        return Clause("1", (), True)
    if isinstance(node, Term):
        return _term(node, now, full_text)
    if isinstance(node, Presence):
        sql = PRESENT.get(node.field)
        if sql is None:
            return None
        sql = f"coalesce({sql}, 0)"
        return Clause(sql if node.present else f"NOT {sql}", (), True)
    if isinstance(node, Not):
        inner = _translate(node.part, now, full_text)
        if inner is None or not inner.exact:
            return None
        return Clause(f"NOT ({inner.sql})", inner.params, True)
    parts = [_translate(part, now, full_text) for part in node.parts]
    if isinstance(node, And):
        known = [part for part in parts if part is not None]
        if not known:
            return None
        return _joined(" AND ", known, exact=len(known) == len(parts))
    if any(part is None for part in parts):
        return None
    return _joined(" OR ", [part for part in parts if part is not None], exact=True)


def _joined(operator: str, parts: list[Clause], exact: bool) -> Clause:
    """The parts joined as a balanced tree: SQLite refuses an expression over 1,000 deep, and
    `a AND b AND …` nests one level per term (a query of 4 KiB holds 2,000)."""
    if len(parts) == 1:
        return parts[0]._replace(exact=exact and parts[0].exact)
    middle = len(parts) // 2
    left, right = _joined(operator, parts[:middle], exact), _joined(operator, parts[middle:],
                                                                     exact)
    return Clause(f"({left.sql}){operator}({right.sql})", left.params + right.params,
                  left.exact and right.exact)

