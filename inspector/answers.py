"""What the hooks listener answers: a default response and ordered rules, changeable live."""

from __future__ import annotations

import json
from fnmatch import fnmatchcase
from typing import NamedTuple

from .config import ResponseSpec, Rule
from .models import numbered_body


class Answer(NamedTuple):
    action: str  # respond | close | hang | forward
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    delay_ms: int
    # The default body names the request's id: `numbered_body(id)` once the store gave one.
    numbered: bool = False


def held_body(answer: Answer, request_id: int) -> bytes:
    """The default answer of a request a route holds: `"held": true` added where its body is
    a JSON object (the default one is), else the body as configured."""
    body = numbered_body(request_id) if answer.numbered else answer.body
    try:
        document = json.loads(body)
    except ValueError:
        return body
    if not isinstance(document, dict):
        return body
    return json.dumps({**document, "held": True}).encode()


def rule_matches(rule: Rule, method: str, path: str) -> bool:
    if rule.method is not None and rule.method.upper() != method.upper():
        return False
    return rule.path is None or fnmatchcase(path, rule.path)


def render(spec: ResponseSpec, action: str = "respond") -> Answer:
    """The answer a spec gives (its id, when the default body names it, is put in later)."""
    headers = (("Content-Type", spec.content_type), *spec.headers)
    if spec.body is None:
        return Answer(action, spec.status, headers, b"", spec.delay_ms, numbered=True)
    return Answer(action, spec.status, headers, spec.body.encode("utf-8"), spec.delay_ms)


class Responder:
    """The default answer plus rules; a rule with `times` counts down and then stops matching.
    Answers are rendered once, when set: every stored response shares them (hashing a spec to
    look its answer up cost more per request than the rest of choosing)."""

    def __init__(self, default: ResponseSpec, rules: tuple[Rule, ...], forwarding: bool) -> None:
        """`forwarding`: what no rule matches is for the routes (answer action "forward")."""
        self.forwarding = forwarding
        self.set(default, rules)

    def set(self, default: ResponseSpec, rules: tuple[Rule, ...]) -> None:
        self.default = default
        self.rules = rules
        self.remaining: list[int | None] = [rule.times for rule in rules]
        self._answers = [render(rule.response, rule.action) for rule in rules]
        self.fallback = render(default)  # also what a request no route takes gets
        # what a request no rule matches gets (read without a call when there are no rules)
        self.default_answer = Answer("forward", 0, (), b"", 0) if self.forwarding \
            else self.fallback

    def choose(self, method: str, path: str) -> Answer:
        for index, rule in enumerate(self.rules):
            left = self.remaining[index]
            if left == 0 or not rule_matches(rule, method, path):
                continue
            if left is not None:
                self.remaining[index] = left - 1
            return self._answers[index]
        return self.default_answer
