"""The webhook payloads an API description documents: an OpenAPI 3.0/3.1 document's `webhooks`
(or `x-webhooks`), an AsyncAPI 2/3 document's messages. Each payload is named as analysis would
name its event; its aliases are the other names the document gives it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from inspector.conformance.local_refs import escape, follow

OPERATIONS = ("post", "put", "patch", "get", "delete")


class Documented(NamedTuple):
    event: str
    aliases: frozenset[str]  # every name the document gives the payload, `event` included
    schema: Any
    where: str  # a JSON Pointer to it in the document


def openapi_payloads(document: dict[str, Any]) -> Iterator[Documented]:
    """Each webhook's request body schema; its event is `x-event`, else the webhook's key."""
    hooks_key = "webhooks" if "webhooks" in document else "x-webhooks"
    for key, item in (document.get(hooks_key) or {}).items():
        path_item = follow(document, item)
        for method in OPERATIONS:
            operation = follow(document, path_item.get(method))
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            content = follow(document, operation["requestBody"]).get("content") or {}
            media = next((m for m in content if "json" in m), next(iter(content), None))
            if media is None or "schema" not in content[media]:
                continue
            names = {key, operation.get("operationId"), operation.get("x-event")}
            yield Documented(
                event=str(operation.get("x-event") or key),
                aliases=frozenset(str(name) for name in names if name),
                schema=content[media]["schema"],
                where=f"#/{hooks_key}/{escape(key)}/{method}/requestBody/content/"
                      f"{escape(media)}/schema")


def asyncapi_payloads(document: dict[str, Any]) -> Iterator[Documented]:
    """Each message's payload; its event is the message's `name`, else its id, else its key."""
    seen: set[str] = set()
    for key, where, message in messages(document):
        message = follow(document, message)
        if not isinstance(message, dict) or "payload" not in message:
            continue
        names = [message.get("name"), message.get("messageId"), key]
        event = str(next(name for name in names if name))
        if event in seen:
            continue
        seen.add(event)
        payload = message["payload"]
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            payload, where = payload["schema"], f"{where}/schema"  # v3 multi-format schema
        yield Documented(event, frozenset(str(n) for n in names if n), payload,
                         f"{where}/payload")


def messages(document: dict[str, Any]) -> Iterator[tuple[str | None, str, Any]]:
    """(key, pointer, message) for the components' messages, then the channels' own."""
    for key, message in ((document.get("components") or {}).get("messages") or {}).items():
        yield key, f"#/components/messages/{escape(key)}", message
    for name, channel in (document.get("channels") or {}).items():
        channel = follow(document, channel)
        base = f"#/channels/{escape(name)}"
        for key, message in (channel.get("messages") or {}).items():  # AsyncAPI 3
            yield key, f"{base}/messages/{escape(key)}", message
        for verb in ("publish", "subscribe"):  # AsyncAPI 2
            message = follow(document, (channel.get(verb) or {}).get("message"))
            if isinstance(message, dict) and "oneOf" in message:
                for index, option in enumerate(message["oneOf"]):
                    yield None, f"{base}/{verb}/message/oneOf/{index}", option
            elif message is not None:
                yield None, f"{base}/{verb}/message", message
