"""The search language (SPEC 12): parsing (and its errors' positions) and every field and
operator evaluated over records."""

from __future__ import annotations

import datetime
import time
from typing import Any

import pytest

from inspector.conformance.judged import Judge
from inspector.models import Replay, ResponseRecord, Verdict
from inspector.query import QueryError, matcher, parse
from inspector.query.nodes import And, Contains, Exact, Glob, Not, Or, Regex, Term

from .conftest import make_capture

NOW = datetime.datetime(2026, 11, 22, 12, 0, tzinfo=datetime.UTC).timestamp()
NO_CONFORMANCE = Judge(None)  # no term here reads a verdict


def hits(text: str, now: float = NOW, **fields: Any) -> bool:
    return matcher(parse(text), now, NO_CONFORMANCE)(make_capture(**fields))


def word(text: str) -> Term:
    return Term(None, None, Contains(text))


# ---- the grammar ----

def test_whitespace_is_and_or_is_lower_and_not_binds_tightest() -> None:
    assert parse("a b OR c") == Or((And((word("a"), word("b"))), word("c")))
    assert parse("NOT a b") == And((Not(word("a")), word("b")))
    assert parse("-a OR b c") == Or((Not(word("a")), And((word("b"), word("c")))))
    assert parse("a AND b") == And((word("a"), word("b")))


def test_parentheses_group() -> None:
    assert parse("(a OR b) c") == And((Or((word("a"), word("b"))), word("c")))
    assert parse("-(a b)") == Not(And((word("a"), word("b"))))
    assert parse("NOT(a)") == Not(word("a"))


def test_lower_case_keywords_are_words_and_a_lone_dash_is_a_word() -> None:
    assert parse("a or b") == And((word("a"), word("or"), word("b")))
    assert parse("ORACLE") == word("ORACLE")
    assert parse("a - b") == And((word("a"), word("-"), word("b")))


def test_phrases_keep_spaces_escapes_and_are_literal() -> None:
    assert parse('"payment failed"') == word("payment failed")
    assert parse(r'"say \"hi\""') == word('say "hi"')
    assert parse('"a*b"') == word("a*b")
    assert parse('path:"/a b"') == Term("path", None, Contains("/a b"))


def test_a_value_is_a_regex_only_when_wholly_slashed() -> None:
    assert parse("path:/fail/*") == Term("path", None, Glob("/fail/*"))
    assert parse("path:/fail/") == Term("path", None, Regex("fail"))
    assert parse(r"path:/a\/b/") == Term("path", None, Regex("a/b"))
    assert parse("/web.*/") == Term(None, None, Regex("web.*"))
    assert parse("(body:/x(y)/)") == Term("body", None, Regex("x(y)"))
    assert parse("path:=/x/") == Term("path", None, Exact("/x/"))
    assert parse("/webhooks/stripe") == word("/webhooks/stripe")


def test_field_names_are_case_insensitive_and_urls_are_words() -> None:
    assert parse("METHOD:post") == Term("method", None, Exact("post"))
    assert parse("http://x.com/a") == word("http://x.com/a")


def test_the_empty_query_matches_everything() -> None:
    assert hits("   ")


@pytest.mark.parametrize(("query", "position", "expected"), [
    ("a OR", 4, "a term"),
    ("OR a", 0, "a term"),
    ("a AND OR b", 6, "a term"),
    ("(a", 2, "')' to close the '(' at character 1"),
    ("a)", 1, "this ')' closes nothing"),
    ("()", 1, "a term"),
    ("NOT", 3, "a term"),
    ("x ( ", 4, "a term after '('"),
    ("foo:bar", 0, "a field name"),
    ("a header:x", 8, "header.NAME"),
    ("path.x:y", 4, "takes no .NAME"),
    ("path:", 5, "a value after path:"),
    ("body:/(/", 6, "a valid regular expression"),
    ("body:/a[/", 7, "a valid regular expression"),
    ("body:// x", 5, "a regular expression between the slashes"),
    ("method:/a(/", 9, "a valid regular expression"),
    ('"open', 5, "'\"' to close the phrase begun at character 1"),
    ("status:abc", 7, "a status"),
    ("status:4xx..zzz", 12, "a status such as 404 or 5xx after '..'"),
    ("size:>10qb", 6, "a size"),
    ("time:yesterday", 5, "a time"),
    ("time:2026-13-01", 5, "a time"),
    ("id:1.5", 3, "a whole number"),
    ("json.a:>x", 8, "a number"),
    ("sig:bogus", 4, "one of valid, invalid"),
    ("dup:maybe", 4, "true or false"),
    ("replayed:>1", 9, "true or false"),
    ("path:>3", 5, "path takes no >"),
    ("has:nothing", 4, "a field name"),
    ("has:", 4, "a value"),
    # what RE2 cannot run (it matches in linear time)
    ("body:/(a)\\1/", 9, "without backreferences"),
    ("body:/(?P<n>a)(?P=n)/", 14, "without backreferences"),
    ("body:/x(?=y)/", 7, "without lookahead or lookbehind"),
    ("body:/(?<!x)y/", 6, "without lookahead or lookbehind"),
    ("path:/a++/", 7, "a valid regular expression (RE2: bad repetition operator: ++)"),
    # SPEC 12's limits (these raised RecursionError, OverflowError or ValueError, or ran)
    ("NOT " * 1000 + "a", 256, "at most 64 levels of parentheses and NOTs"),
    ("-" * 3000, 64, "at most 64 levels"),
    ("(" * 65 + "a" + ")" * 65, 64, "at most 64 levels"),
    ("a" * 4097, 4096, "at most 4096 bytes"),
    ("\u00e9" * 2049, 2048, "at most 4096 bytes"),
    ("size:" + "9" * 400, 5, "small enough to represent"),
    ("json.n:1.." + "9" * 400, 10, "a 64-bit float"),
    ("size:>99999999999999999999", 6, "at most 2^63"),
    ("time:>now-" + "9" * 400 + "d", 6, "small enough to represent"),
    ("id:" + "9" * 400, 3, "small enough to represent"),
    ("json.n:>" + "9" * 400, 8, "a 64-bit float"),
    ("a \ud800 b", 2, "a lone surrogate (U+D800)"),
    ("body:ab\x00cd", 7, "a NUL"),
], ids=lambda value: str(value)[:30])
def test_errors_name_the_position_and_what_was_expected(query: str, position: int,
                                                        expected: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert caught.value.position == position
    assert expected in caught.value.expected
    assert f"character {position + 1}" in str(caught.value)


@pytest.mark.parametrize(("query", "suggestion"), [
    ("provder:stripe", "did you mean provider:?"), ("stauts:5xx", "did you mean status:?"),
    ("hedaer.X-Id:1", "did you mean header.X-Id:?"), ("-evnt:push", "did you mean event:?"),
])
def test_a_typo_in_a_field_name_suggests_the_field(query: str, suggestion: str) -> None:
    with pytest.raises(QueryError) as caught:
        parse(query)
    assert caught.value.expected.endswith(suggestion)
    assert "method, path" not in caught.value.expected  # not the list of every field


def test_a_name_like_no_field_still_lists_them_all() -> None:
    with pytest.raises(QueryError) as caught:
        parse("nofield:x")
    assert "did you mean" not in caught.value.expected
    assert "method, path" in caught.value.expected


# SPEC 12's limits: past them a query is refused with the place, never a 500 (these raised
# RecursionError, OverflowError or ValueError, or ran).
def test_within_the_limits_a_query_parses() -> None:
    assert parse("(" * 64 + "a" + ")" * 64) == word("a")
    assert parse("NOT " * 64 + "a") is not None
    assert parse("a" * 4096) == word("a" * 4096)
    assert parse("size:<9223372036854775807 time:>now-" + "1" * 13 + "d") is not None


# ---- regexes: RE2, linear in the text ----

def test_regexes_and_wildcards_take_time_linear_in_the_text() -> None:
    started = time.perf_counter()
    assert not hits("body:/(a+)+$/", body=b"a" * 26 + b"!")  # 9 s with Python's re
    assert hits("body:/(a+)+$/", body=b"a" * 26)
    assert not hits("path:*a*a*a*a*a*a*a*a*b", path="/" + "a" * 50)  # 9 s, as a Python regex
    assert hits("path:*a*a*a*a*a*a*a*a*b", path="/" + "a" * 50 + "b")
    assert time.perf_counter() - started < 0.5


def test_regexes_read_text_as_characters_whatever_it_holds() -> None:
    assert hits("body:/^caf.$/", body="caf\u00e9".encode())
    assert hits("json.k:/^x.y$/", body=b'{"k": "x\\ud800y"}')  # a lone surrogate in JSON
    assert hits("path:/a\\/b/", path="/a/b")


# ---- every field ----

STRIPE = {
    "method": "POST", "path": "/webhooks/stripe", "query": "attempt=2&tag=a&tag=b",
    "remote": "10.0.0.7",
    "headers": [(b"Host", b"abc.ngrok.app"), (b"Content-Type", b"application/json"),
                (b"X-Forwarded-For", b"203.0.113.9, 10.0.0.1"),
                (b"Stripe-Signature", b"t=1,v1=ab"), (b"User-Agent", b"Stripe/1.0")],
    "body": b'{"type": "payment_intent.succeeded", "data": {"object": {"amount": 1500,'
            b' "currency": "EUR", "items": [{"sku": "A1"}, {"sku": "B2"}], "note": null,'
            b' "paid": true}}}',
    "provider": "stripe", "event": "payment_intent.succeeded", "delivery_id": "evt_123",
}


@pytest.mark.parametrize(("query", "expected"), [
    ("method:post", True), ("method:pos", False), ("method:=POST", True),
    ("path:stripe", True), ("path:/webhooks/*", True), ("path:/webhooks", True),
    ("path:=/webhooks", False), ("path:/^\\/webhooks\\/s/", True), ("path:/STRIPE/", False),
    ("url:https://abc.ngrok.app/webhooks/stripe", False),
    ("url:http://abc.ngrok.app/webhooks/stripe?attempt=2", True),
    ("host:ngrok", True), ("host:=abc.ngrok.app", True),
    ("ip:203.0.113.9", True), ("ip:10.0.0.7", True), ("ip:192.168", False),
    ("ct:json", True), ("ct:=application/json", True), ("ct:xml", False),
    ("header.user-agent:stripe", True), ("header.USER-AGENT:=stripe/1.0", True),
    ("header.user-agent:curl", False), ("header.x-none:x", False),
    ("query.attempt:2", True), ("query.attempt:=3", False), ("query.tag:b", True),
    ("json.type:payment_intent.*", True), ("json.data.object.amount:>1000", True),
    ("json.data.object.amount:<=1000", False), ("json.data.object.amount:1000..2000", True),
    ("json.data.object.amount:=1500", True), ("json.data.object.amount:15", True),
    ("json.data.object.currency:eur", True), ("json.data.object.items.sku:=b2", True),
    ("json.data.object.items.0.sku:b2", False), ("json.data.object.items.1.sku:b2", True),
    ("json.data.object.paid:true", True), ("json.data.object.missing:x", False),
    ("json.type:>5", False),
    ("body:\"payment_intent\"", True), ("body:EUR", True), ("body:/\"amount\": \\d+/", False),
    ("body:/amount.:.\\d+/", True),
    ("provider:stripe", True), ("provider:strip", False), ("provider:STRIPE", True),
    ("event:payment_intent", True), ("event:=payment_intent.succeeded", True),
    ("delivery:evt_1", True), ("delivery:=evt_1", False),
    ("sig:none", True), ("sig:valid", False),
    ("dup:false", True), ("dup:true", False),
    ("replayed:false", True), ("status:200", False),
    ("id:1", True), ("id:2..5", False), ("id:>=1", True),
    ("size:>100", True), ("size:>1kb", False), ("size:<1KB", True),
    ("stripe", True), ("ATTEMPT", True), ("Stripe/1.0", True), ("succeeded", True),
    ("application", True), ("user-agent", False), ('"payment_intent.succeeded"', True),
])
def test_each_field(query: str, expected: bool) -> None:
    assert hits(query, **STRIPE) is expected


def test_form_fields_only_for_urlencoded_bodies() -> None:
    form = {"headers": [(b"Content-Type", b"application/x-www-form-urlencoded")],
            "body": b"From=%2B15551234&Body=hello+there"}
    assert hits("form.From:+1555", **form)
    assert hits('form.Body:"hello there"', **form)
    assert not hits("form.body:hello", **form)  # names are case-sensitive
    assert not hits("form.From:1555", body=form["body"])


def test_analysis_and_answer_fields() -> None:
    answered = {"response": ResponseRecord(503, (), b"", 1.0, "inspector"),
                "replays": (Replay(0.0, "http://x", "POST", 200, (), b"", 1.0, None),),
                "duplicate_of": 3,
                "signatures": (Verdict("github", "valid", "ok"),
                               Verdict("github", "invalid", "no"))}
    assert hits("status:503", **answered)
    assert hits("status:5xx", **answered) and not hits("status:4xx", **answered)
    assert hits("status:>=500", **answered) and hits("status:>4xx", **answered)
    assert hits("status:4xx..5xx", **answered) and not hits("status:<5xx", **answered)
    assert hits("replayed:true dup:true sig:invalid", **answered)  # the worst verdict
    assert hits("has:status has:replayed has:dup has:sig", **answered)
    assert hits("missing:status missing:replayed missing:dup missing:sig")
    assert not hits("status:200")  # not answered: no status to compare


def test_sizes_are_1024_based() -> None:
    body = b"x" * 10 * 1024
    assert hits("size:10kb", body=body) and hits("size:=10KiB", body=body)
    assert hits("size:>9.5kb", body=body) and not hits("size:>10kb", body=body)
    assert hits("size:1kb..10kb", body=body) and not hits("size:<0.009mb", body=body)
    assert hits("missing:size", body=b"") and hits("has:size", body=b"x")


def test_times_are_utc_unless_an_offset_is_given_and_as_wide_as_they_are_precise() -> None:
    at = datetime.datetime(2026, 11, 22, 10, 30, 15, tzinfo=datetime.UTC).timestamp()
    assert hits("time:2026-11-22", received_at=at)
    assert hits("time:2026-11-22T10", received_at=at)
    assert hits("time:2026-11-22T10:30", received_at=at)
    assert not hits("time:2026-11-22T10:31", received_at=at)
    assert hits("time:2026-11-22T11:30+01:00", received_at=at)
    assert hits("time:2026-11-22T10:30:15Z", received_at=at)
    assert hits('time:"2026-11-22 10:30"', received_at=at)  # quoted, a space for the T
    assert hits("time:2026-11-22T10:00..2026-11-22T10:30", received_at=at)  # inclusive
    assert not hits("time:2026-11-22T10:00..2026-11-22T10:29", received_at=at)
    assert hits("time:>2026-11-21 time:<2026-11-23", received_at=at)
    assert not hits("time:>2026-11-22", received_at=at)  # after that whole day
    assert hits("time:<=2026-11-22", received_at=at)


def test_relative_times_count_from_the_now_given() -> None:
    assert hits("time:>now-15m", received_at=NOW - 60)
    assert not hits("time:>now-15m", received_at=NOW - 3600)
    assert hits("time:>now-2h", received_at=NOW - 3600)
    assert hits("time:now-1d..now", received_at=NOW - 3600)
    assert hits("time:<now-30s", received_at=NOW - 60)
    assert not hits("time:>now-15m", now=NOW + 3600, received_at=NOW - 60)


def test_contains_is_case_insensitive_but_regex_is_not() -> None:
    assert hits("body:HELLO", body=b"hello")
    assert not hits("body:/HELLO/", body=b"hello")
    assert hits("body:/hel+o/", body=b"hello")


def test_case_folding_is_ascii_so_every_engine_agrees() -> None:
    assert hits("body:caf\u00e9", body="CAF\u00e9".encode())
    assert not hits("body:caf\u00e9", body="caf\u00c9".encode())


def test_wildcards_match_the_whole_value() -> None:
    assert hits("path:*hooks*", path="/webhooks/x")
    assert not hits("path:hooks*", path="/webhooks/x")
    assert hits("event:auth.*", event="auth.confirmed")
    assert hits("path:/a*c", path="/aXc") and not hits("path:/a*c", path="/aXcd")


def test_has_and_missing_take_any_field() -> None:
    assert hits("has:header.content-type missing:header.x-signature")
    assert hits("has:json.event missing:json.other")
    assert hits("missing:provider has:body has:ct has:ip")
    assert hits("missing:json.x", body=b'{"x": ""}')
    assert hits("missing:query.a", query="a=") and hits("has:query.a", query="a=1")


def test_not_and_or_combine() -> None:
    assert hits("-provider:stripe")
    assert hits("provider:stripe OR method:post")
    assert not hits("NOT (method:post OR method:put)")
    assert hits("(method:get OR method:post) -path:/other")


def test_the_text_first_pass_keeps_every_match_across_chunks_and_cases() -> None:
    from inspector.query import search
    from inspector.query.scan import CHUNK

    bodies = {0: b"ID_00042 first", CHUNK - 1: b"x\x00id_00042\x00", CHUNK: b"iD_00042",
              2 * CHUNK + 5: "caf\u00e9 Id_00042".encode()}
    records = [make_capture(id=number + 1, body=bodies.get(number, b"id_0004 id_00043"),
                            headers=[(b"X-Ref", b"ID_00042")] if number == 7 else [])
               for number in range(3 * CHUNK)]
    found = [r.id for r in search(records, parse("body:id_00042"), NOW, NO_CONFORMANCE)]
    assert found == [number + 1 for number in sorted(bodies)]
    bare = [r.id for r in search(records, parse("id_00042"), NOW, NO_CONFORMANCE)]
    assert bare == sorted([*found, 8])  # a header value too
    both = parse("header.x-ref:id_00042 body:first")
    assert [r.id for r in search(records, both, NOW, NO_CONFORMANCE)] == []
    phrase = parse('"caf\u00e9 id"')
    assert [r.id for r in search(records, phrase, NOW, NO_CONFORMANCE)] == [2 * CHUNK + 6]
