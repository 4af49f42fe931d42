"""`GET /api/openapi.json`: an OpenAPI 3 description of the inspector's HTTP API."""

from __future__ import annotations

from typing import Any

from aiohttp import web

from .. import __version__

Json = dict[str, Any]


def ref(name: str) -> Json:
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(kind: str, **extra: Any) -> Json:
    return {"type": kind, "nullable": True, **extra}


def json_body(schema: Json, description: str = "OK") -> Json:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


ERROR = json_body(ref("Error"), "Error")
PAIRS = {"type": "array", "items": {"type": "array", "items": {"type": "string"},
                                    "minItems": 2, "maxItems": 2}}
ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 0}}
Q = {"name": "q", "in": "query", "schema": {"type": "string"},
     "description": "a query in the search language (fields, operators, AND/OR/NOT); one that "
                    "does not parse, or is past the limits (4 KiB, 64 levels, no NUL or lone "
                    "surrogate, representable numbers), is answered 400 with its position and "
                    "what was expected"}
ID_BOUND = {"type": "integer", "minimum": 0, "maximum": 2**63 - 1}
QUERY_ERROR = json_body({"type": "object", "required": ["error"], "properties": {
    "error": {"type": "string"}, "position": {"type": "integer"},
    "expected": {"type": "string"}}}, "A bad parameter or a query that does not parse")
REPLAYS: Json = {"type": "object", "required": ["replays"], "properties": {"replays": {
    "type": "array", "items": {"type": "object", "required": ["id"], "properties": {
        "id": {"type": "integer"}, "replay": ref("Replay"), "error": {"type": "string"}}}}}}

CONFORMANCE_STATUSES = ["conforms", "deviates", "unknown_event", "no_schema", "not_json"]
FINDING: Json = {"type": "object", "required": ["path", "keyword", "expected", "got", "severity",
                                               "note"], "properties": {
    "path": {"type": "string", "description": "a JSON Pointer into the body"},
    "keyword": {"type": "string"}, "expected": {"type": "string"},
    "got": {"type": "string", "description": "the JSON type and the value cut to 60 "
                                              "characters, or absent"},
    "severity": {"type": "string", "enum": ["error", "warning", "info"]},
    "note": nullable("string")}}
CONFORMANCE: Json = {**nullable("object"), "required": ["status", "event", "schema", "findings"],
                     "properties": {
    "status": {"type": "string", "enum": CONFORMANCE_STATUSES}, "event": nullable("string"),
    "schema": {**nullable("object"), "properties": {
        "name": {"type": "string"}, "source": {"type": "string"},
        "version": nullable("string")}},
    "findings": {"type": "array", "items": FINDING}}}
SUMMARY: Json = {
    "type": "object",
    "required": ["id", "received_at", "method", "path", "query", "content_type", "body_size",
                 "remote", "provider", "event", "delivery_id", "duplicate_of", "signature",
                 "response_status", "error", "imported"],
    "properties": {
        "id": {"type": "integer"}, "received_at": {"type": "string", "format": "date-time"},
        "method": {"type": "string"}, "path": {"type": "string"}, "query": {"type": "string"},
        "content_type": nullable("string"), "body_size": {"type": "integer"},
        "remote": nullable("string"), "provider": nullable("string"),
        "event": nullable("string"), "delivery_id": nullable("string"),
        "duplicate_of": nullable("integer"),
        "signature": nullable("string", enum=["valid", "invalid", "stale", "missing",
                                              "malformed", "unverified", None]),
        "response_status": nullable("integer"), "error": nullable("string"),
        "imported": {"type": "boolean", "description": "loaded from a HAR file (received_at "
                                                       "is the HAR's time)"},
        "conformance": {"anyOf": [{"type": "string", "enum": CONFORMANCE_STATUSES},
                                  CONFORMANCE],
                        "description": "whether the payload is what its provider documents "
                                       "(null: no provider known): the status in a summary, "
                                       "the whole verdict in a request's detail"},
        "route": {**nullable("object"), "description": "the route that took it",
                  "properties": {"index": {"type": "integer"},
                                 "to": {"type": "string", "description": "a URL, or drop"}}},
        "held": {**nullable("string", enum=["waiting", "delivered", "dropped", None]),
                 "description": "held by its route while its app was down"},
    },
}
BODY_FIELDS: Json = {"body_text": nullable("string"), "body_base64": {"type": "string"}}
VERDICT: Json = {
    "type": "object", "required": ["provider", "status", "reason"],
    "properties": {
        "provider": {"type": "string"},
        "status": {"type": "string", "enum": ["valid", "invalid", "stale", "missing",
                                              "malformed", "unverified"]},
        "reason": {"type": "string"}, "header": nullable("string"),
        "received": nullable("string"), "expected": nullable("string"),
        "timestamp_age_s": nullable("number"),
    },
}
RESPONSE: Json = {
    "type": "object", "required": ["status", "headers", "duration_ms", "source"],
    "properties": {"status": {"type": "integer"}, "headers": PAIRS, **BODY_FIELDS,
                   "duration_ms": {"type": "number"},
                   "source": {"type": "string", "enum": ["inspector", "forward", "error", "har"]}},
}
REPLAY: Json = {
    "type": "object", "required": ["at", "target", "method", "status", "headers",
                                   "duration_ms", "error"],
    "properties": {"at": {"type": "string"}, "target": {"type": "string"},
                   "method": {"type": "string"}, "status": nullable("integer"), "headers": PAIRS,
                   **BODY_FIELDS, "duration_ms": {"type": "number"},
                   "error": nullable("string"), "note": nullable("string"),
                   "edited": {"type": "boolean", "description": "sent with edits"},
                   "resigned": {"type": "boolean", "description": "signed again"},
                   "request": {"type": "object", "properties": {"headers": PAIRS,
                                                                **BODY_FIELDS}}},
}
PART: Json = {"type": "object", "required": ["index", "name", "filename", "content_type",
                                            "headers", "size", "url"], "properties": {
    "index": {"type": "integer"}, "name": nullable("string"), "filename": nullable("string"),
    "content_type": nullable("string"), "headers": PAIRS, "size": {"type": "integer"},
    "url": {"type": "string", "description": "GET: the part's bytes"}}}
DETAIL: Json = {"allOf": [ref("Summary"), {
    "type": "object",
    "required": ["url", "http_version", "headers", "query_params", "body_text", "signatures",
                 "response", "replays"],
    "properties": {"url": {"type": "string", "description": "the URL as the sender saw it"},
                   "http_version": {"type": "string"}, "headers": PAIRS, "query_params": PAIRS,
                   **BODY_FIELDS, "signatures": {"type": "array", "items": ref("Verdict")},
                   "response": {"allOf": [ref("Response")], "nullable": True},
                   "replays": {"type": "array", "items": ref("Replay")},
                   "mirrored": {"type": "array", "items": ref("Replay"),
                                "description": "what the route's mirrors answered"},
                   "decoded": {**nullable("object"), "description": "the body decoded per "
                               "Content-Encoding (null without one), bounded at 10 MiB",
                               "required": ["encoding", "size", "truncated", "error"],
                               "properties": {"encoding": {"type": "string"},
                                              "size": {"type": "integer"},
                                              "truncated": {"type": "boolean"},
                                              "error": nullable("string"), **BODY_FIELDS}},
                   "dedupe_key": {**nullable("string"), "description": "what resends of "
                                  "this delivery share (`duplicate_of` points to the first)"},
                   "parts": {**nullable("array"), "description": "a multipart body's parts",
                             "items": PART},
                   "conformance": CONFORMANCE},
}]}
ANSWER: Json = {"type": "object", "properties": {
    "status": {"type": "integer", "minimum": 100, "maximum": 599},
    "content_type": {"type": "string"}, "headers": {"type": "object",
                                                    "additionalProperties": {"type": "string"}},
    "body": nullable("string"), "delay_ms": {"type": "integer", "minimum": 0}}}
RULE: Json = {"allOf": [ref("Answer"), {"type": "object", "properties": {
    "path": nullable("string"), "method": nullable("string"),
    "times": nullable("integer", minimum=1), "remaining": nullable("integer"),
    "action": {"type": "string", "enum": ["respond", "close", "hang"]}}}]}
QUEUE: Json = {"type": "object", "required": ["waiting", "ids", "next_attempt", "last_error"],
               "properties": {"waiting": {"type": "integer"}, "failures": {"type": "integer"},
                              "ids": {"type": "array", "items": {"type": "integer"}},
                              "next_attempt": nullable("string"),
                              "last_error": nullable("string")}}
ROUTE: Json = {"type": "object", "required": ["index", "match", "to", "also", "hold", "queue"],
               "properties": {"index": {"type": "integer"}, "match": {"type": "string"},
                              "to": {"type": "string"}, "hold": {"type": "boolean"},
                              "also": {"type": "array", "items": {"type": "string"}},
                              "queue": {"allOf": [QUEUE], "nullable": True}}}


def path_number(name: str) -> Json:
    return {"name": name, "in": "path", "required": True, "schema": {"type": "integer"}}


HEALTH: Json = {"type": "object", "required": ["ok", "requests", "store"], "properties": {
    "ok": {"type": "boolean"}, "requests": {"type": "integer"},
    "store": {"type": "object", "required": ["engine", "state", "queued"], "properties": {
        "engine": {"type": "string", "enum": ["memory", "sqlite", "redis"]},
        "state": {"type": "string"}, "queued": {"type": "integer"},
        "cause": {"type": "string", "description": "why the store is not ok"}}},
    "held": {"type": "integer", "description": "requests waiting in the routes' queues "
             "(present when a route holds)"}}}
ANSWERS: Json = {"type": "object", "properties": {
    "default": ref("Answer"), "rules": {"type": "array", "items": ref("Rule")},
    "default_used": {"type": "boolean", "readOnly": True,
                     "description": "false while forwarding: the app answers instead"},
    "note": {**nullable("string"), "readOnly": True}}}
SECRET_ENTRY: Json = {"type": "object", "required": ["provider", "secret"], "properties": {
    "provider": {"type": "string"}, "secret": {"type": "string"},
    "paths": {"type": "array", "items": {"type": "string"}},
    "label": {"type": "string", "description": "optional; made from the provider without"}},
    "additionalProperties": True}
SECRET: Json = {"type": "object", "required": ["label", "provider", "paths", "fingerprint"],
                "properties": {"label": {"type": "string"}, "provider": {"type": "string"},
                               "paths": {"type": "array", "items": {"type": "string"}},
                               "fingerprint": {"type": "string"}}}
VERIFY_INPUT: Json = {"type": "object", "required": ["provider", "secret"], "properties": {
    "provider": {"type": "string"}, "secret": {"type": "string"},
    "options": {"type": "object"}, "method": {"type": "string"}, "url": {"type": "string"},
    "headers": {"oneOf": [PAIRS, {"type": "object",
                                  "additionalProperties": {"type": "string"}}]},
    "body": {"type": "string"}, "body_base64": {"type": "string"},
    "now": {"type": "number"}}}
VERIFY_OUTPUT: Json = {"oneOf": [
    {"type": "object", "required": ["verdict"], "properties": {"verdict": ref("Verdict")}},
    {"type": "object", "required": ["matches", "tried", "untried"], "properties": {
        "matches": {"type": "array", "items": {"type": "object"}},
        "tried": {"type": "integer"},
        "untried": {"type": "integer", "description": "constructions left when discovery's "
                    "budget ran out (0: every construction was tried)"},
        "summary": {"type": "string", "description": "what was found and tried, in words; "
                    "when nothing was tried, why"}}}]}
REPLAY_INPUT: Json = {"type": "object", "properties": {
    "target": {"type": "string", "description": "base URL; default: --forward"},
    "method": {"type": "string"}, "path": {"type": "string"}, "headers": PAIRS,
    "body": {"type": "string"}, "body_base64": {"type": "string"},
    "resign": {"type": "boolean"}}}

IMPORTED: Json = {"type": "object", "required": ["ids"], "properties": {
    "imported": {"type": "integer"}, "error": {"type": "string"},
    "ids": {"type": "array", "items": nullable("integer")}}}


def operation(summary: str, responses: Json, **extra: Any) -> Json:
    return {"summary": summary, "responses": responses, **extra}


def paths() -> Json:
    no_content = {"204": {"description": "Done"}}
    deleted = {**no_content,
               "503": json_body(ref("Error"), "the store could not write it: nothing done")}
    return {
        "/api/requests": {
            "get": operation("Stored requests, ascending by id", {
                "200": json_body({"type": "object",
                                  "required": ["requests", "last_id", "count"],
                                  "properties": {"requests": {"type": "array",
                                                              "items": ref("Summary")},
                                                 "last_id": {"type": "integer"},
                                                 "count": {"type": "integer"},
                                                 "matches": {"type": "integer"}}}),
                "400": QUERY_ERROR}, parameters=[
                {"name": "after", "in": "query", "schema": ID_BOUND},
                {"name": "before", "in": "query", "schema": ID_BOUND,
                 "description": "without after: the newest requests with smaller ids"},
                {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 0}},
                Q, {"name": "matches", "in": "query", "schema": {"type": "boolean"},
                    "description": "also answer `matches`: how many match `q` in all"}]),
            "delete": operation("Delete every stored request, or the matches of q (a blank "
                                "q is refused)",
                                {**deleted, "400": QUERY_ERROR}, parameters=[Q]),
        },
        "/api/requests/replay": {"post": operation(
            "Replay every match of q in id order, each result kept on its request",
            {"200": json_body(REPLAYS), "400": QUERY_ERROR},
            requestBody={"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["q"], "properties": {
                    "q": {"type": "string"},
                    "target": {"type": "string", "description": "base URL; default: --forward"},
                    "resign": {"type": "boolean"}}}}}})},
        "/api/requests/{id}": {
            "parameters": [ID],
            "get": operation("One request in full", {"200": json_body(ref("Detail")),
                                                     "404": ERROR}),
            "delete": operation("Delete one request", {**deleted, "404": ERROR}),
        },
        "/api/requests/{id}/raw": {"parameters": [ID], "get": operation(
            "The body bytes, with the original Content-Type, named after it",
            {"200": {"description": "The body", "content": {"*/*": {"schema": {
                "type": "string", "format": "binary"}}}}, "404": ERROR})},
        "/api/requests/{id}/parts/{index}": {"parameters": [ID, {
            "name": "index", "in": "path", "required": True,
            "schema": {"type": "integer", "minimum": 0}}], "get": operation(
            "One part of a multipart body (from 0), with its own Content-Type",
            {"200": {"description": "The part's bytes", "content": {"*/*": {"schema": {
                "type": "string", "format": "binary"}}}}, "404": ERROR})},
        "/api/requests/{id}/curl": {"parameters": [ID], "get": operation(
            "A shell-safe cURL command reproducing the request",
            {"200": {"description": "The command", "content": {"text/plain": {"schema": {
                "type": "string"}}}}, "404": ERROR})},
        "/api/requests/{id}/replay": {"parameters": [ID], "post": operation(
            "Send the request again, as captured or edited (and re-signed)",
            {"200": json_body({"type": "object", "properties": {"replay": ref("Replay")}}),
             "400": ERROR, "404": ERROR},
            requestBody={"content": {"application/json": {"schema": REPLAY_INPUT}}})},
        "/api/requests/{id}/confirm": {"parameters": [ID], "post": operation(
            "Confirm an Amazon SNS subscription: GET its SubscribeURL (SNS hosts only, a valid "
            "signature first)",
            {"200": json_body({"type": "object", "required": ["confirmed", "status", "answer"],
                               "properties": {"confirmed": {"type": "boolean"},
                                              "status": {"type": "integer"},
                                              "answer": {"type": "string"}}}),
             "400": ERROR, "404": ERROR, "409": ERROR, "502": ERROR})},
        "/api/requests/{id}/certificate": {"parameters": [ID], "post": operation(
            "Fetch the signing certificate an Amazon SNS message names (SNS hosts only), then "
            "verify stored requests again",
            {"200": json_body({"type": "object", "required": ["fetched"],
                               "properties": {"fetched": {"type": "string"}}}),
             "400": ERROR, "404": ERROR, "409": ERROR, "502": ERROR})},
        "/api/response": {
            "get": operation("The hooks listener's answers", {"200": json_body(ref("Answers"))}),
            "put": operation("Change the answers", {"200": json_body(ref("Answers")),
                                                    "400": ERROR},
                             requestBody={"required": True, "content": {
                                 "application/json": {"schema": ref("Answers")}}}),
        },
        "/api/routes": {"get": operation("The routes, in the order they are checked", {
            "200": json_body({"type": "object", "required": ["routes", "held"], "properties": {
                "routes": {"type": "array", "items": ref("Route")},
                "held": {"type": "integer"}}})})},
        "/api/routes/{index}/deliver": {"post": operation(
            "Attempt the queue's head now", {"202": json_body(QUEUE), "404": ERROR},
            parameters=[path_number("index")])},
        "/api/routes/{index}/held/{id}": {"delete": operation(
            "Take a request out of the queue, undelivered", {**no_content, "404": ERROR},
            parameters=[path_number("index"), path_number("id")])},
        "/api/providers": {"get": operation("Signature schemes", {"200": json_body({
            "type": "array", "items": {"type": "object", "required": [
                "name", "aliases", "headers", "configured", "published"], "properties": {
                "published": {"type": "boolean", "description": "false: the provider "
                              "publishes no signature scheme (nothing is guessed)"},
                "options": {"type": "array", "description": "the options its secrets take",
                            "items": {"type": "object", "required": ["name", "choices"]}}}}})})},
        "/api/secrets": {
            "get": operation("Configured secrets (values are never returned)",
                             {"200": json_body({"type": "array", "items": ref("Secret")})}),
            "post": operation("Add a secret; stored requests are verified again",
                              {"201": json_body(ref("Secret")), "400": ERROR},
                              requestBody={"required": True, "content": {
                                  "application/json": {"schema": ref("SecretEntry")}}}),
        },
        "/api/secrets/{label}": {"delete": operation(
            "Remove a secret", {**no_content, "404": ERROR}, parameters=[
                {"name": "label", "in": "path", "required": True,
                 "schema": {"type": "string"}}])},
        "/api/verify": {"post": operation(
            "One verdict for a request described in the body (or `discover`)",
            {"200": json_body(VERIFY_OUTPUT), "400": ERROR},
            requestBody={"required": True, "content": {
                "application/json": {"schema": VERIFY_INPUT}}})},
        "/api/export.har": {"get": operation("HAR 1.2 of stored requests", {
            "200": json_body({"type": "object", "required": ["log"]}), "400": QUERY_ERROR},
            parameters=[{"name": "ids", "in": "query", "schema": {"type": "string"}}, Q,
                        {"name": "mask", "in": "query", "schema": {"type": "string"}}])},
        "/api/import": {"post": operation(
            "Load a HAR 1.2 document's requests into the history, marked as imported",
            {"200": json_body(IMPORTED), "400": ERROR, "413": ERROR,
             "503": json_body(IMPORTED, "the store is away and its queue full, or cannot "
                                        "write")},
            requestBody={"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["log"]}}}})},
        "/api/events": {"get": operation("Sample events per provider", {"200": json_body({
            "type": "object", "additionalProperties": {"type": "array",
                                                       "items": {"type": "string"}}})})},
        "/api/send": {
            "get": operation(
                "The providers of /api/events that POST /api/send cannot sign as, each with why",
                {"200": json_body({"type": "object", "required": ["cannot_sign"], "properties": {
                    "cannot_sign": {"type": "object",
                                    "additionalProperties": {"type": "string"}}}})}),
            "post": operation(
                "Send a signed sample event to the forward target (or this inspector)",
                {"200": json_body({"type": "object"}), "400": ERROR},
                requestBody={"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["provider"], "properties": {
                        "provider": {"type": "string"}, "event": {"type": "string"},
                        "target": {"type": "string"}, "path": {"type": "string"}}}}}})},
        "/api/openapi.json": {"get": operation("This document", {"200": json_body(
            {"type": "object"})})},
        "/healthz": {"get": operation("Liveness", {"200": json_body(HEALTH),
                                                   "503": json_body(HEALTH, "the store fails")})},
    }


def document() -> Json:
    return {
        "openapi": "3.0.3",
        "info": {"title": "webhook-inspector", "version": __version__,
                 "description": "The inspector listener's API. Live updates: the websocket "
                                "/ws?after=ID&q=QUERY (hello, request, update, delete, "
                                "clear; with q only the matches)."},
        "servers": [{"url": "/"}],
        "paths": paths(),
        "components": {"schemas": {
            "Summary": SUMMARY, "Detail": DETAIL, "Verdict": VERDICT, "Response": RESPONSE,
            "Replay": REPLAY, "Answer": ANSWER, "Rule": RULE, "Answers": ANSWERS,
            "Secret": SECRET, "SecretEntry": SECRET_ENTRY, "Route": ROUTE,
            "Error": {"type": "object", "required": ["error"],
                      "properties": {"error": {"type": "string"}}},
        }},
    }


async def openapi(request: web.Request) -> web.Response:
    return web.json_response(document())
