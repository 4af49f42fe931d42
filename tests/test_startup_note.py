"""At start, after the two URL lines: which config file is read and which providers have
secrets, never a value nor a fingerprint of one."""

from __future__ import annotations

import hashlib
from pathlib import Path

from .cli_process import Running, start

VALUES = ("bondify-secret-value", "hmac-secret-value", "gh-secret-value")


def lines_until_secrets(server: Running) -> list[str]:
    assert server.process.stdout is not None
    found = []
    while not found or not found[-1].startswith("Secrets: "):
        line = server.process.stdout.readline()
        assert line, found
        found.append(line.rstrip("\n"))
    return found


def test_the_config_file_and_the_providers_with_secrets_are_named(tmp_path: Path) -> None:
    (tmp_path / "inspector.toml").write_text(
        '[[secrets]]\nprovider = "bondify"\nsecret = "env:BONDIFY_KEY"\n'
        '[[secrets]]\nprovider = "bondify"\nsecret = "bondify-secret-value"\n'
        '[[secrets]]\nprovider = "hmac"\nheader = "X-Sig"\nsecret = "hmac-secret-value"\n')
    server = start("--hook", "0", "--ui", "0", "--secret", f"standard={VALUES[2]}",
                   cwd=tmp_path, env={"BONDIFY_KEY": "from-the-environment"})
    try:
        found = lines_until_secrets(server)
    finally:
        assert server.stop() == 0
    assert found[-2:] == [f"Config: {tmp_path / 'inspector.toml'}",
                          "Secrets: bondify (2), hmac, standard-webhooks (values never shown)"]
    shown = "\n".join(found)
    for value in (*VALUES, "from-the-environment"):
        assert value not in shown
        assert hashlib.sha256(value.encode()).hexdigest()[:8] not in shown


def test_without_config_or_secrets_it_says_so(tmp_path: Path) -> None:
    server = start("--hook", "0", "--ui", "0", cwd=tmp_path)
    try:
        found = lines_until_secrets(server)
    finally:
        assert server.stop() == 0
    assert found[-2:] == ["Config: none (flags only)",
                          "Secrets: none (--secret PROVIDER=VALUE verifies a provider)"]
