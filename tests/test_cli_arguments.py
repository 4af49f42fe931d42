"""Bad arguments to every command: one line on stderr naming the argument, exit 2, never a
traceback (SPEC 1), run as a user runs them."""

from __future__ import annotations

from pathlib import Path

import pytest

from .cli_process import run

DEEP = "[" * 100_000
NOWHERE = "http://127.0.0.1:1/"  # nothing is sent: each is refused before
CASES = [
    (["send", "stripe", "--to", "file:///x"], "--to"),
    (["send", "stripe", "--to", "unix:/x"], "--to"),
    (["send", "stripe", "--to", ""], "--to"),
    (["send", "stripe", "--to", "http://[::1"], "--to"),
    (["send", "stripe", "--to", "http://h:99999/"], "--to"),
    (["send", "stripe", "--to", NOWHERE, "--data", DEEP], "--data"),
    (["send", "stripe", "--to", NOWHERE, "--data", "@deep.json"], "--data"),
    (["send", "discord", "--to", NOWHERE, "--secret", "notakey"], "--secret"),
    (["send", "sns", "--to", NOWHERE, "--secret", "*"], "--secret"),
    (["send", "stripe", "--to", NOWHERE, "--retry", "--time-scale", "nan"], "--time-scale"),
    (["replay", "1", "--ui", NOWHERE, "--data", "@deep.json"], "--data"),
    (["replay", "1", "--ui", NOWHERE, "--data", DEEP], "--data"),
    (["replay", "1", "--ui", NOWHERE, "--token", "a\r\nX: 1"], "--token"),
    (["replay", "1", "--ui", NOWHERE, "--to", "http://[::1"], "--to"),
    (["replay", "1", "--ui", "http://[::1"], "--ui"),
    (["verify", "twilio", "--secret", "x", "--url", "http://[::1", "--header",
      "X-Twilio-Signature: abc"], "--url"),
    (["verify", "stripe", "--secret", "x", "--at", "nan"], "--at"),
    (["verify", "hmac", "--secret", "x", "--option", "tolerance_s=abc"], "--option"),
    (["tail", "--ui", NOWHERE, "--token", "a\r\nX: 1"], "--token"),
    (["tail", "--ui", "http://h:99999"], "--ui"),
    (["import", "x.har", "--ui", NOWHERE, "--token", "a\r\nX: 1"], "--token"),
    (["--hook", "0", "--ui", "0", "--delay", "nan"], "--delay"),
    (["--hook", "0", "--ui", "0", "--delay", "inf"], "--delay"),
    (["--hook", "0", "--ui", "0", "--delay", "-1"], "--delay"),
    (["--hook", "0", "--ui", "0", "--forward-timeout", "nan"], "--forward-timeout"),
    (["--hook", "0", "--ui", "0", "--max-body", "9" * 400], "--max-body"),
    (["--hook", "0", "--ui", "0", "--store", "sqlite:/proc/self/mem"], "--store"),
]


@pytest.mark.parametrize(("args", "flag"), CASES,
                         ids=[" ".join(args)[:60] for args, _ in CASES])
def test_a_bad_argument_is_one_line_naming_it_and_exit_2(tmp_path: Path, args: list[str],
                                                         flag: str) -> None:
    (tmp_path / "deep.json").write_text(DEEP)
    result = run(*args, cwd=tmp_path)
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 2 and len(lines) == 1, result.stderr[-2000:]
    assert flag in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert "X: 1" not in result.stderr  # a token is never echoed


def test_verify_of_a_deeply_nested_body_is_a_verdict(tmp_path: Path) -> None:
    (tmp_path / "deep.json").write_text(DEEP)
    result = run("verify", "stripe", "--secret", "whsec_x", "--body", "@deep.json",
                 "--header", "Stripe-Signature: t=1,v1=00", cwd=tmp_path)
    assert result.returncode == 1 and result.stderr == ""
    assert result.stdout.startswith("invalid: Stripe-Signature does not match")
