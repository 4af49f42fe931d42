"""The command line's own words (issue 26.12): `--help` ends with examples that run as
written, every option says what it does, and `tail` gives sizes as people read them."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from inspector.cli import EXAMPLES, PROG, build_parser
from inspector.commands.tail_lines import body_line, format_line
from inspector.query import parse

from .cli_process import run


def example_commands() -> list[list[str]]:
    return [shlex.split(line)[1:] for line in EXAMPLES.splitlines()
            if line.strip().startswith(PROG + " ")]


def test_help_ends_with_examples_that_parse(tmp_path: Path) -> None:
    helped = run("--help", cwd=tmp_path)
    assert helped.returncode == 0
    assert helped.stdout.rstrip().endswith(EXAMPLES.rstrip())
    commands = example_commands()
    assert len(commands) >= 5
    assert {args[0] for args in commands if not args[0].startswith("-")} >= {
        "tail", "replay", "send", "import"}
    for args in commands:
        parsed = build_parser().parse_args(args)  # a bad flag would exit 2
        if getattr(parsed, "filter", None):
            parse(parsed.filter)


def test_every_option_says_what_it_does() -> None:
    parser = build_parser()
    silent = [action.option_strings for action in parser._actions
              if action.option_strings and not action.help]
    assert silent == []


@pytest.mark.parametrize(("size", "shown"), [
    (0, "0 B"), (312, "312 B"), (1023, "1023 B"), (1024, "1.0 KB"), (5012, "4.9 KB"),
    (1434555, "1.4 MB"), (10 * 1024 * 1024, "10.0 MB")])
def test_tail_gives_sizes_as_the_page_does(size: int, shown: str) -> None:
    summary = {"id": 7, "received_at": "2026-12-06T10:00:00.000Z", "method": "POST",
               "path": "/p", "query": "", "body_size": size, "response_status": 200}
    assert format_line(summary).split(" POST /p ")[1] == f"{shown} → 200"


def test_a_binary_body_is_sized_so_too() -> None:
    assert body_line({"body_text": None, "body_size": 1434555}) == "(binary body, 1.4 MB)"
