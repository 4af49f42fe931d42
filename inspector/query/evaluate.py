"""A parsed query as a predicate over records: what the memory engine (and Redis's replica)
searches with, and what SQLite falls back to for what SQL cannot say."""

from __future__ import annotations

import functools
from collections.abc import Callable, Generator, Iterable, Iterator
from typing import Any

from ..captured import CapturedRequest
from ..conformance.judged import Judge
from .body_view import folded_view_steps, needs_view
from .fields import FIELDS
from .nodes import (
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
    Regex,
    Term,
)
from .record_values import json_values, ordered_value, present, single_reader, text_values
from .regex import glob_matcher, searcher
from .scan import narrowed, needles
from .text import fold
from .wanted import VerdictWanted, Wanted

Predicate = Callable[[CapturedRequest], bool]
Tested = Generator[Wanted, None, bool]  # a test that may first ask for a verdict


def text_test(match: Match) -> Callable[[str], bool]:
    if isinstance(match, Contains):
        needle = fold(match.text)
        return lambda value: needle in fold(value)
    if isinstance(match, Exact):
        wanted = fold(match.text)
        return lambda value: fold(value) == wanted
    if isinstance(match, Glob):
        return glob_matcher(match.pattern)
    if isinstance(match, Regex):
        return searcher(match.pattern)
    raise TypeError(f"not a text match: {match!r}")


def within(op: str, bound: Bound, now: float) -> Callable[[float], bool]:
    """`op` against a bound as wide as its span: `>2026-11-22` is after that whole day."""
    start = bound.start(now)
    end = start + bound.span
    if op == ">=":
        return lambda x: x >= start
    if op == "<":
        return lambda x: x < start
    if bound.span == 0:
        return {"=": lambda x: x == start, ">": lambda x: x > start,
                "<=": lambda x: x <= start}[op]
    return {"=": lambda x: start <= x < end, ">": lambda x: x >= end,
            "<=": lambda x: x < end}[op]


def ordered_test(match: Match, now: float) -> Callable[[float], bool]:
    if isinstance(match, Compare):
        return within(match.op, match.bound, now)
    if isinstance(match, Between):
        low, high = within(">=", match.low, now), within("<=", match.high, now)
        return lambda x: low(x) and high(x)
    raise TypeError(f"not an ordered match: {match!r}")


class _Memo:
    """The values of the record being tested, read once however many terms ask (a query of
    4 KiB may hold 2,000 terms: reading the body for each would hold the loop for each
    record); forgotten once it is tested."""

    def __init__(self, judge: Judge, asking: bool) -> None:
        self.found: dict[tuple[object, ...], list[Any]] = {}
        self.judge = judge  # the inspector's, whose verdicts `schema:` and `finding:` read
        self.asking = asking  # for a detailed verdict not kept, rather than making it
        self.text_values = functools.partial(text_values, judge=judge)

    def read(self, reader: Callable[[CapturedRequest, Any, Any], list[Any]],
             record: CapturedRequest, field: str | None, name: str | None) -> list[Any]:
        key = (reader, field, name)
        found = self.found.get(key)
        if found is None:
            found = self.found[key] = reader(record, field, name)
        return found


def _json_values(record: CapturedRequest, _field: str | None, path: str | None) -> list[Any]:
    return json_values(record, path or "")


def _term(term: Term, now: float, memo: _Memo) -> Predicate:
    kind = FIELDS[term.field].kind if term.field else "text"
    field, name = term.field, term.name
    if kind == "json" and isinstance(term.match, Compare | Between):
        number_test = ordered_test(term.match, now)
        return lambda r: any(isinstance(v, int | float) and not isinstance(v, bool)
                             and number_test(v) for v in memo.read(_json_values, r, field, name))
    if isinstance(term.match, Compare | Between):
        test = ordered_test(term.match, now)
        ordered_field = field or ""

        def ordered(record: CapturedRequest) -> bool:
            value = ordered_value(record, ordered_field)
            return value is not None and test(value)
        return ordered
    matches = text_test(term.match)
    single = single_reader(field or "", memo.judge)
    if single is not None:
        return lambda r: (value := single(r)) is not None and matches(value)
    return lambda r: any(matches(value) for value in memo.read(memo.text_values, r, field, name))


def _verdict_first(node: Term | Presence, memo: _Memo, test: Predicate) -> Predicate:
    """`test`, asking first (VerdictWanted) for the detailed verdict it reads when the judge
    does not keep it and the memo asks."""
    if node.field not in _DETAILED or not memo.asking:
        return test
    judge = memo.judge

    def asked(record: CapturedRequest) -> bool:
        if not judge.kept(record, detailed=True):
            raise VerdictWanted
        return test(record)
    return asked


def _predicate(node: Node, now: float, memo: _Memo) -> Predicate:
    if isinstance(node, Everything):
        return lambda record: True
    if isinstance(node, Term):
        return _verdict_first(node, memo, _term(node, now, memo))
    if isinstance(node, Presence):
        field, name, wanted = node.field, node.name, node.present
        return _verdict_first(node, memo, lambda record: present(record, field, name,
                                                                 memo.judge) is wanted)
    if isinstance(node, Not):
        inner = _predicate(node.part, now, memo)
        return lambda record: not inner(record)
    parts = [_predicate(part, now, memo) for part in node.parts]
    if isinstance(node, And):
        return lambda record: all(part(record) for part in parts)
    return lambda record: any(part(record) for part in parts)


def matcher(node: Node, now: float, judge: Judge, asking: bool = False) -> Predicate:
    """The predicate of a parsed query; `now` is when `now-15m` is counted from; `judge` is
    the inspector's, whose verdicts `schema:` and `finding:` read. `asking`: a record whose
    detailed verdict (`finding:`) the judge does not keep raises VerdictWanted rather than
    having it made here."""
    memo = _Memo(judge, asking)
    test = _predicate(node, now, memo)

    def matches(record: CapturedRequest) -> bool:
        try:
            return test(record)
        finally:
            memo.found.clear()
    return matches


class Tester:
    """A query's test in a search its caller may pause: a record whose detailed verdict it
    reads and the judge does not keep is handed up first (Wanted), for the caller to have it
    made apart from the loop (SPEC 3), then tested; a caller that passes over it has it
    made by the test, as `matcher`'s does."""

    def __init__(self, node: Node, now: float, judge: Judge) -> None:
        self.patient = matcher(node, now, judge)
        # The test's answer, or the verdict it needs made first: a query that reads no
        # detailed verdict is tested as `matcher`'s (a search's every record pays for this).
        self.first: Callable[[CapturedRequest], bool | Wanted] = self.patient
        if _reads(node, _DETAILED):
            self._asking = matcher(node, now, judge, asking=True)
            self.first = self._asked
        self._judge = judge

    def _asked(self, record: CapturedRequest) -> bool | Wanted:
        try:
            return self._asking(record)
        except VerdictWanted:
            return Wanted(record, self._judge)

    def then(self, wanted: Wanted) -> Tested:
        """The test of `first`'s Wanted record: handed up, then made again (with the verdict
        kept, or made here)."""
        yield wanted
        return self.patient(wanted.record)

    def steps(self, record: CapturedRequest) -> Tested:
        found = self.first(record)
        return (yield from self.then(found)) if isinstance(found, Wanted) else found


def examine(records: Iterable[CapturedRequest | None], node: Node, now: float, judge: Judge
            ) -> Iterator[CapturedRequest | Wanted | None]:
    """Each record that matches, in the order given, and None for each one that does not
    (and for each chunk the text pass sets aside, and each None given): a search its caller
    may pause between any two items, each a bounded piece of work, having the verdicts it
    is asked for made meanwhile (Tester). A function over any iterable, so that every engine
    that holds records in memory searches alike; the text the query requires is looked for
    in chunks first (scan.py)."""
    tester = Tester(node, now, judge)
    first, asking = tester.first, tester.first is not tester.patient
    viewing = reads_the_view(node)
    for record in narrowed(records, needles(node)):
        if record is None:
            yield None
            continue
        if viewing and needs_view(record):
            yield from folded_view_steps(record)  # decoded and folded apart from the test
        found = first(record)
        if asking and isinstance(found, Wanted):
            found = yield from tester.then(found)
        yield record if found else None


# The fields whose values come from a body's view (decoded, or its form fields); a verdict
# (schema:, finding:) reads it too.
_VIEWED = frozenset({None, "body", "form", "json", "schema", "finding"})
_DETAILED = frozenset({"finding"})  # read in a detailed verdict (its findings)


def _reads(node: Node, fields: frozenset[str | None]) -> bool:
    """Whether testing a record may read one of these fields."""
    if isinstance(node, Term | Presence):
        return node.field in fields
    if isinstance(node, Not):
        return _reads(node.part, fields)
    if isinstance(node, And | Or):
        return any(_reads(part, fields) for part in node.parts)
    return False


def reads_the_view(node: Node) -> bool:
    """Whether testing a record may read its body's view."""
    return _reads(node, _VIEWED)


def search(records: Iterable[CapturedRequest | None], node: Node, now: float, judge: Judge
           ) -> Iterator[CapturedRequest]:
    """The records that match, in the order given (each verdict made on the spot)."""
    return (record for record in examine(records, node, now, judge)
            if isinstance(record, CapturedRequest))
