"""The webhook payloads an API description documents: an OpenAPI 3.0/3.1 document's `webhooks`
(or `x-webhooks`), an AsyncAPI 2/3 document's messages. Each payload is named as analysis would
name its event; its aliases are the other names the document gives it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, NamedTuple

from inspector.conformance.local_refs import RefError, escape, follow

OPERATIONS = ("post", "put", "patch", "get", "delete")


def mapping(value: Any, where: str) -> dict[str, Any]:
    """An object of the document (absent is empty); anything else is a one-line error."""
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise RefError(f"{where} is a {type(value).__name__}, not an object")
    return value


class Documented(NamedTuple):
    event: str
    aliases: frozenset[str]  # every name the document gives the payload, `event` included
    schema: Any
    where: str  # a JSON Pointer to it in the document


def openapi_payloads(document: dict[str, Any]) -> Iterator[Documented]:
    """Each webhook's request body schema; its event is `x-event`, else the webhook's key."""
    hooks_key = "webhooks" if "webhooks" in document else "x-webhooks"
    for key, item in mapping(document.get(hooks_key), f"#/{hooks_key}").items():
        where = f"#/{hooks_key}/{escape(key)}"
        path_item = mapping(follow(document, item), where)
        for method in OPERATIONS:
            operation = follow(document, path_item.get(method))
            if not isinstance(operation, dict) or "requestBody" not in operation:
                continue
            body_at = f"{where}/{method}/requestBody"
            body = mapping(follow(document, operation["requestBody"]), body_at)
            content = mapping(body.get("content"), f"{body_at}/content")
            media = next((m for m in content if "json" in m), next(iter(content), None))
            if media is None or "schema" not in mapping(content[media], f"{where}/{media}"):
                continue
            names = [key, operation.get("operationId"), operation.get("x-event")]
            yield Documented(
                event=str(operation.get("x-event") or key),
                aliases=frozenset(str(name) for name in names if name),
                schema=content[media]["schema"],
                where=f"{where}/{method}/requestBody/content/{escape(media)}/schema")


def asyncapi_payloads(document: dict[str, Any]) -> Iterator[Documented]:
    """Each message's payload; its event is the message's `name`, else its id, else its key."""
    seen: set[str] = set()
    for key, where, message in messages(document):
        message = follow(document, message)
        if not isinstance(message, dict) or "payload" not in message:
            continue
        names = [message.get("name"), message.get("messageId"), key]
        event = str(next((name for name in names if name), where))
        if event in seen:
            continue
        seen.add(event)
        payload = message["payload"]
        if isinstance(payload, dict) and "schemaFormat" in payload and "schema" in payload:
            payload, where = payload["schema"], f"{where}/schema"  # v3 multi-format schema
        yield Documented(event, frozenset(str(n) for n in names if n), payload,
                         f"{where}/payload")


def messages(document: dict[str, Any]) -> Iterator[tuple[str, str, Any]]:
    """(key, pointer, message) for the components' messages, then the channels' own (an
    AsyncAPI 2 channel's message is keyed by the channel)."""
    components = mapping(document.get("components"), "#/components")
    for key, message in mapping(components.get("messages"), "#/components/messages").items():
        yield key, f"#/components/messages/{escape(key)}", message
    for name, channel in mapping(document.get("channels"), "#/channels").items():
        base = f"#/channels/{escape(name)}"
        channel = mapping(follow(document, channel), base)
        for key, message in mapping(channel.get("messages"), f"{base}/messages").items():  # v3
            yield key, f"{base}/messages/{escape(key)}", message
        for verb in ("publish", "subscribe"):  # AsyncAPI 2
            message = follow(document, mapping(channel.get(verb), f"{base}/{verb}").get("message"))
            if isinstance(message, dict) and isinstance(message.get("oneOf"), list):
                for index, option in enumerate(message["oneOf"]):
                    yield name, f"{base}/{verb}/message/oneOf/{index}", option
            elif message is not None:
                yield name, f"{base}/{verb}/message", message
