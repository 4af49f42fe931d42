"""`check` and `events --schema` (SPEC 13), and a user's schema refused at start: the real CLI,
its exit codes (0 conforms, 1 not, 2 bad input) and its one-line errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ..cli_process import run
from .vectors import CONFLICTING, CONFORMING

GOOD = CONFORMING["bondify/auth.confirmed"]


def write(directory: Path, name: str, document: Any) -> Path:
    path = directory / name
    path.write_text(json.dumps(document) if not isinstance(document, str) else document)
    return path


def test_a_conforming_payload_exits_0_and_a_deviating_one_1(tmp_path: Path) -> None:
    good = write(tmp_path, "good.json", GOOD)
    done = run("check", "bondify", "--body", f"@{good}", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("conforms: bondify/auth.confirmed")
    done = run("check", "bondify", "--body", json.dumps({**GOOD, "telegram_id": 1}),
               cwd=tmp_path)
    assert done.returncode == 1
    assert done.stdout.splitlines()[1].split() == [
        "error", "/telegram_id", "type:", "expected", "string,", "got", "number", "1"]


def test_the_documentation_s_own_conflict_is_said_so(tmp_path: Path) -> None:
    example, _ = CONFLICTING["bondio/attachment.activated"]
    done = run("check", "bondio", "--body", json.dumps(example), "--json", cwd=tmp_path)
    verdict = json.loads(done.stdout)
    assert done.returncode == 1 and verdict["status"] == "deviates"
    assert all("the documentation's own example has this too" in f["note"]
               for f in verdict["findings"])


def test_an_unknown_event_names_the_closest_and_exits_1(tmp_path: Path) -> None:
    done = run("check", "bondify", "auth.confirm", "--body", json.dumps(GOOD), cwd=tmp_path)
    assert done.returncode == 1 and "closest: auth.confirmed" in done.stdout


def test_a_signed_link_is_checked_from_its_url(tmp_path: Path) -> None:
    link = "http://localhost/hook?command=go&options=%7Bbroken&sig=ab&user=7"
    done = run("check", "telebothost", "--body", "", "--url", link, cwd=tmp_path)
    assert done.returncode == 1 and "/options  type" in done.stdout


def test_a_user_schema_wins_and_names_its_file(tmp_path: Path) -> None:
    mine = write(tmp_path, "mine.json", {"x-provider": "bondify", "x-event": "auth.confirmed",
                                         "type": "object", "required": ["locale"]})
    done = run("check", "bondify", "--body", json.dumps(GOOD), "--schemas", str(mine),
               cwd=tmp_path)
    assert done.returncode == 1 and str(mine) in done.stdout.splitlines()[0]


@pytest.mark.parametrize(("document", "said"), [
    ({"x-provider": "bondify", "x-event": "e", "$ref": "https://example.com/s.json"},
     "https://example.com/s.json"),
    ({"x-provider": "bondify", "x-event": "e", "type": 5}, "bad.json"),
    ("{not json", "not JSON"),
    ({"type": "object"}, "say which provider and event"),
])
def test_a_bad_schema_is_one_line_naming_the_file_and_exit_2(
        tmp_path: Path, document: Any, said: str) -> None:
    bad = write(tmp_path, "bad.json", document)
    for args in (("check", "bondify", "--body", "{}", "--schemas", str(bad)),
                 ("--hook", "0", "--ui", "0", "--schemas", str(bad))):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2, done
        assert done.stderr.count("\n") == 1 and str(bad) in done.stderr and said in done.stderr


def test_bad_input_is_exit_2(tmp_path: Path) -> None:
    for args in (("check", "nobody-knows", "--body", "{}"),
                 ("check", "bondify", "--body", "@missing.json"),
                 ("events", "bondify", "auth.unknown", "--schema")):
        done = run(*args, cwd=tmp_path)
        assert done.returncode == 2 and done.stderr.count("\n") == 1, done


def test_events_prints_the_schema(tmp_path: Path) -> None:
    done = run("events", "bondio", "attachment.activated", "--schema", cwd=tmp_path)
    printed = json.loads(done.stdout)
    assert done.returncode == 0 and printed["schema"]["required"] == ["type", "timestamp", "data"]
    assert "/data/planId" in printed["conflicts"]


def test_events_with_an_event_prints_that_sample_alone(tmp_path: Path) -> None:
    done = run("events", "bondify", "auth.cancelled", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout.startswith("# auth.cancelled\n")
    assert "auth.confirmed" not in done.stdout
    done = run("events", "bondify", "auth.nothing", cwd=tmp_path)
    assert done.returncode == 2 and "known: auth.confirmed, auth.cancelled" in done.stderr
