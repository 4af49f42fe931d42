"""What the hooks listener answers: a default response and ordered rules, changeable live."""

from __future__ import annotations

import functools
from fnmatch import fnmatchcase
from typing import NamedTuple

from .config import ResponseSpec, Rule


class Answer(NamedTuple):
    action: str  # respond | close | hang | forward
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    delay_ms: int


def rule_matches(rule: Rule, method: str, path: str) -> bool:
    if rule.method is not None and rule.method.upper() != method.upper():
        return False
    return rule.path is None or fnmatchcase(path, rule.path)


@functools.lru_cache(maxsize=64)
def fixed_parts(spec: ResponseSpec) -> tuple[tuple[tuple[str, str], ...], bytes | None]:
    """Headers and body of a spec, built once: every stored response shares them."""
    headers = (("Content-Type", spec.content_type), *spec.headers)
    return headers, None if spec.body is None else spec.body.encode("utf-8")


def render(spec: ResponseSpec, request_id: int, action: str = "respond") -> Answer:
    headers, body = fixed_parts(spec)
    if body is None:
        body = b'{"ok": true, "id": %d}' % request_id
    return Answer(action, spec.status, headers, body, spec.delay_ms)


class Responder:
    """The default answer plus rules; a rule with `times` counts down and then stops matching."""

    def __init__(self, default: ResponseSpec, rules: tuple[Rule, ...], forwarding: bool) -> None:
        self.forwarding = forwarding
        self.set(default, rules)

    def set(self, default: ResponseSpec, rules: tuple[Rule, ...]) -> None:
        self.default = default
        self.rules = rules
        self.remaining: list[int | None] = [rule.times for rule in rules]

    def choose(self, request_id: int, method: str, path: str) -> Answer:
        for index, rule in enumerate(self.rules):
            left = self.remaining[index]
            if left == 0 or not rule_matches(rule, method, path):
                continue
            if left is not None:
                self.remaining[index] = left - 1
            return render(rule.response, request_id, rule.action)
        if self.forwarding:
            return Answer("forward", 0, (), b"", 0)
        return render(self.default, request_id)
