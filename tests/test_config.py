from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from inspector.config import Address, ConfigError, load, parse_address, parse_size
from inspector.signatures import names


def load_with(tmp_path: Path, toml: str | None = None, environ: dict[str, str] | None = None,
              **flags: Any):  # type: ignore[no-untyped-def]
    if toml is not None:
        (tmp_path / "inspector.toml").write_text(toml)
    return load(flags, environ or {}, tmp_path, names())


@pytest.mark.parametrize(("text", "expected"), [
    ("9000", Address("127.0.0.1", 9000)),
    ("0.0.0.0:80", Address("0.0.0.0", 80)),
    ("localhost:0", Address("localhost", 0)),
    ("[::1]:9001", Address("::1", 9001)),
])
def test_addresses(text: str, expected: Address) -> None:
    assert parse_address(text, "--hook") == expected


@pytest.mark.parametrize("text", ["", "abc", "1.2.3.4:", "70000", "host:port", ":::1"])
def test_bad_addresses_name_the_flag(text: str) -> None:
    with pytest.raises(ConfigError, match=r"^--hook: "):
        parse_address(text, "--hook")


@pytest.mark.parametrize(("text", "expected"), [
    ("10MiB", 10 * 1024**2), ("512KiB", 512 * 1024), ("1000", 1000), (2048, 2048),
    ("1.5KiB", 1536), ("2GB", 2 * 10**9),
])
def test_sizes(text: object, expected: int) -> None:
    assert parse_size(text, "--max-body") == expected


@pytest.mark.parametrize("text", ["", "ten", "10XB", "-5", "0", True])
def test_bad_sizes(text: object) -> None:
    with pytest.raises(ConfigError, match=r"^--max-body: bad size"):
        parse_size(text, "--max-body")


def test_defaults_without_a_file(tmp_path: Path) -> None:
    config = load_with(tmp_path)
    assert config.hook == Address("127.0.0.1", 9000)
    assert config.ui == Address("127.0.0.1", 9001)
    assert config.max_requests == 1000 and config.max_body == 10 * 1024**2
    assert config.max_bytes == 256 * 1024**2


FULL = '''
hook = "127.0.0.1:9100"
ui = "9101"
forward = "http://localhost:3000/"
max_requests = 50
max_body = "1MiB"

[response]
status = 202
content_type = "text/plain"
body = "ok"
delay_ms = 5

[[rules]]
path = "/webhooks/*"
method = "POST"
status = 500
body = "simulated outage"
times = 3

[[secrets]]
provider = "bondify"
secret = "env:BONDIFY_SECRET_KEY"
paths = ["/webhooks/bondify"]

[[secrets]]
provider = "hmac"
header = "X-Signature"
algorithm = "sha256"
secret = "plain"
'''


def test_full_file_and_flags_over_it(tmp_path: Path) -> None:
    config = load_with(tmp_path, FULL, {"BONDIFY_SECRET_KEY": "s3cret"}, ui="9200",
                       status="201", secret=["github=gh"])
    assert config.hook == Address("127.0.0.1", 9100)
    assert config.ui == Address("127.0.0.1", 9200)
    assert config.forward == "http://localhost:3000"
    assert config.max_requests == 50 and config.max_body == 1024**2
    assert config.response.status == 201 and config.response.body == "ok"
    assert config.response.delay_ms == 5
    (rule,) = config.rules
    assert (rule.path, rule.method, rule.times, rule.response.status) == (
        "/webhooks/*", "POST", 3, 500)
    assert [(s.provider, s.secret) for s in config.secrets] == [
        ("bondify", "s3cret"), ("hmac", "plain"), ("github", "gh")]
    assert config.secrets[0].paths == ("/webhooks/bondify",)
    assert config.secrets[1].options == {"header": "X-Signature", "algorithm": "sha256"}


@pytest.mark.parametrize(("toml", "message"), [
    ('hook = "1"\nbogus = 1\n', r"inspector.toml:2: unknown key 'bogus'"),
    ('hook = \n', r"inspector.toml:1: invalid TOML"),
    ('[response]\nstatus = 999\n', r"inspector.toml:2: bad HTTP status"),
    ('[[secrets]]\nprovider = "nope"\nsecret = "x"\n', r"inspector.toml:2: unknown provider"),
    ('[[secrets]]\nprovider = "github"\nsecret = "env:MISSING"\n',
     r"inspector.toml:3: environment variable MISSING is not set"),
    ('max_body = "lots"\n', r"inspector.toml:1: bad size"),
    ('[[rules]]\naction = "explode"\n', r"inspector.toml:2: action must be"),
    ('max_requests = "ten"\n', r"inspector.toml:1: expected int"),
    ('[[rules]]\npath = "/a"\nstatus = 500\n\n[[rules]]\npath = "/b"\nstatus = 9000\n',
     r"inspector.toml:7: bad HTTP status"),
    ('status = 1\n[response]\nbody = "x"\n', r"inspector.toml:1: unknown key 'status'"),
    ('[response]\nbody = "x"\n[[rules]]\nbody = "y"\nstatus = 99\n',
     r"inspector.toml:5: bad HTTP status"),
    ('[[secrets]]\nprovider = "github"\nsecret = "s"\n[[secrets]]\nprovider = "x"\n',
     r"inspector.toml:5: unknown provider"),
    ('[[rules]]\npath = "/a"\n[[rules]]\npath = "/b"\nbogus = 1\n',
     r"inspector.toml:5: unknown key 'bogus' in \[\[rules\]\]"),
])
def test_file_errors_name_file_and_line(tmp_path: Path, toml: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_with(tmp_path, toml)


@pytest.mark.parametrize(("flags", "message"), [
    ({"secret": ["github"]}, "--secret: expected PROVIDER=VALUE"),
    ({"secret": ["nosuch=x"]}, "--secret: unknown provider 'nosuch'"),
    ({"secret": ["github=env:NOPE"]}, "--secret: environment variable NOPE"),
    ({"max_body": "huge"}, "--max-body: bad size"),
    ({"status": "abc"}, "--status: bad HTTP status"),
    ({"forward": "localhost:3000"}, "--forward: bad URL"),
    ({"config": "/nonexistent/x.toml"}, "cannot read config"),
])
def test_flag_errors_name_the_flag(tmp_path: Path, flags: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_with(tmp_path, **flags)


def test_env_secret_from_flag(tmp_path: Path) -> None:
    config = load_with(tmp_path, environ={"GH": "from-env"}, secret=["github=env:GH"])
    assert config.secrets[0].secret == "from-env"


def test_store_and_max_inflight_from_the_file_and_flags(tmp_path: Path) -> None:
    config = load_with(tmp_path, 'store = "sqlite:history.db"\nmax_inflight = "8MiB"\n')
    assert (config.store, config.max_inflight) == ("sqlite:history.db", 8 * 1024 * 1024)
    flagged = load_with(tmp_path, None, store="redis://127.0.0.1:6379/0", max_inflight="1KiB")
    assert (flagged.store, flagged.max_inflight) == ("redis://127.0.0.1:6379/0", 1024)


@pytest.mark.parametrize(("flags", "message"), [
    ({"store": "postgres://x"}, "--store: unknown store"),
    ({"store": "sqlite:"}, "--store: unknown store"),
    ({"max_inflight": "lots"}, "--max-inflight"),
])
def test_bad_store_and_max_inflight_name_the_flag(tmp_path: Path, flags: dict[str, Any],
                                                  message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        load_with(tmp_path, **flags)


def test_a_meta_secret_may_carry_its_verify_token(tmp_path: Path) -> None:
    config = load_with(tmp_path, '[[secrets]]\nprovider = "whatsapp"\nsecret = "app-secret"\n'
                                 'verify_token = "meatyhamhock"\n')
    assert config.secrets[0].options == {"verify_token": "meatyhamhock"}
    with pytest.raises(ConfigError, match="options are for provider"):
        load_with(tmp_path, '[[secrets]]\nprovider = "stripe"\nsecret = "whsec_x"\n'
                            'verify_token = "meatyhamhock"\n')


@pytest.mark.parametrize(("host", "loopback"), [
    ("localhost", True), ("127.0.0.1", True), ("127.8.9.10", True), ("::1", True),
    ("[::1]", True), ("127.example.com", False), ("0.0.0.0", False), ("::", False),
    ("192.168.1.2", False)])
def test_only_loopback_addresses_may_go_without_a_token(host: str, loopback: bool) -> None:
    from inspector.config import is_loopback

    assert is_loopback(host) is loopback
