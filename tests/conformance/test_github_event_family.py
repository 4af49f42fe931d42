"""GitHub deliveries are named `EVENT.ACTION`; a `repository_dispatch`'s action is the sender's
own `event_type` (and an event may carry an action the description does not list): then the
event's own schema judges it, not "unknown event"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import brotli

from ..conftest import AppsFactory

EXAMPLES = json.loads(brotli.decompress(
    (Path(__file__).parent.parent / "data/github_examples.json.br").read_bytes()))["examples"]


def repository_dispatch(event_type: str) -> dict[str, Any]:
    """The shape GitHub documents for repository_dispatch (docs.github.com, "Webhook events
    and payloads"), its repository, organization and sender from GitHub's own published
    example of workflow_dispatch."""
    example = EXAMPLES["workflow_dispatch"]
    return {"action": event_type, "branch": "main",
            "client_payload": {"unit": False, "integration": True},
            **{key: example[key] for key in ("repository", "organization", "sender")},
            "installation": {"id": 1, "node_id": "MDIzOkludGVncmF0aW9uSW5zdGFsbGF0aW9uMQ=="}}


async def test_a_repository_dispatch_is_judged_by_its_event_schema(
        make_apps: AppsFactory) -> None:
    apps = await make_apps()
    seen = []
    for event_type, payload in [("on-demand-test", repository_dispatch("on-demand-test")),
                                ("deploy.prod", repository_dispatch("deploy.prod")),
                                ("deploy.prod", {**repository_dispatch("deploy.prod"),
                                                 "branch": 7})]:
        posted = await apps.hooks.post("/gh", data=json.dumps(payload), headers={
            "X-GitHub-Event": "repository_dispatch", "Content-Type": "application/json",
            "X-GitHub-Delivery": "72d3162e-cc78-11e3-81ab-4c9367dc0958"})
        request_id = (await posted.json())["id"]
        detail = await (await apps.ui.get(f"/api/requests/{request_id}")).json()
        assert detail["event"] == f"repository_dispatch.{event_type}"
        conformance = detail["conformance"]
        seen.append((conformance["status"], conformance["schema"]["name"],
                     [(f["path"], f["keyword"]) for f in conformance["findings"]
                      if f["severity"] == "error"]))
    assert seen == [("conforms", "github/repository_dispatch", []),
                    ("conforms", "github/repository_dispatch", []),
                    ("deviates", "github/repository_dispatch", [("/branch", "type")])]


async def test_an_action_of_an_event_with_actions_stays_unknown(make_apps: AppsFactory) -> None:
    """`issues` has schemas only per action: an action it does not list is still an unknown
    event, its closest documented one named."""
    apps = await make_apps()
    posted = await apps.hooks.post("/gh", data=json.dumps({"action": "teleported"}), headers={
        "X-GitHub-Event": "issues", "Content-Type": "application/json"})
    request_id = (await posted.json())["id"]
    detail = await (await apps.ui.get(f"/api/requests/{request_id}")).json()
    assert detail["conformance"]["status"] == "unknown_event"
