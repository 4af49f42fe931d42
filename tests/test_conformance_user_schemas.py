"""The user's schemas (inspector/conformance/user_schemas.py): JSON Schema files, OpenAPI 3.0/3.1
webhooks, AsyncAPI 2/3 messages, from small real-shaped documents in tests/data/user_schemas/,
each loaded schema checked by a real validator against payloads that conform and that do not."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from inspector.conformance import user_schemas
from inspector.conformance.model import Schema

DATA = Path(__file__).parent / "data/user_schemas"


def by_event(name: str, **options: str) -> dict[str, Schema]:
    return {schema.event: schema for schema in user_schemas.load(DATA / name, **options)}


def failures(schema: Schema, payload: Any) -> set[tuple[str, str]]:
    validator = jsonschema_rs.validator_for(schema.document)
    return {("".join(f"/{step}" for step in error.instance_path), str(error.schema_path[-1]))
            for error in validator.iter_errors(payload)}


MONEY = {"amount": 1999, "currency": "EUR"}
SHAPE_KEYS = ["webhooks", "x-webhooks", "post", "requestBody", "content", "application/json",
              "schema", "$ref", "components", "schemas", "messages", "channels", "payload",
              "subscribe", "oneOf", "properties", "nullable", "type", "name", "schemaFormat",
              "provider", "event", "source", "conflicts", "x-provider", "x-event", "info", "enum",
              "operationId", "messageId"]


def test_openapi_31_webhooks_with_their_components_inlined() -> None:
    schemas = by_event("openapi31.json")
    assert set(schemas) == {"order.created", "refund.issued"}  # the key, else x-event
    order = schemas["order.created"]
    assert order.provider == "acme"  # info's x-provider
    assert order.source.endswith("openapi31.json#/webhooks/order.created/post/requestBody/"
                                 "content/application~1json/schema")
    assert all(ref.startswith("#/$defs/") for ref in refs_of(order.document))
    event = {"id": "evt_1", "type": "order.created",
             "data": {"id": "o1", "status": "paid", "total": MONEY, "lines": [{"sku": "A"}]}}
    assert failures(order, event) == set()
    event["data"] = {"id": "o1", "status": "shipped", "total": {"amount": -1, "currency": "EUR"},
                     "lines": [{}]}
    assert failures(order, event) == {("/data/status", "enum"), ("/data/total/amount", "minimum"),
                                      ("/data/lines/0", "required")}
    refund = schemas["refund.issued"]
    assert failures(refund, {"id": "r1", "amount": MONEY, "reason": None}) == set()
    assert failures(refund, {"id": 7, "amount": MONEY}) == {("/id", "type")}


def refs_of(schema: Any) -> list[str]:
    text = json.dumps(schema)
    return [part.split('"')[0] for part in text.split('"$ref": "')[1:]]


def test_an_event_is_chosen_by_its_key_operation_id_or_x_event_and_named_as_asked() -> None:
    for name in ("refund", "refundIssued", "refund.issued"):
        assert list(by_event("openapi31.json", event=name)) == [name]
    assert list(by_event("openapi31.json", provider="shop")) == ["order.created", "refund.issued"]
    assert {s.provider for s in user_schemas.load(DATA / "openapi31.json", provider="shop")} \
        == {"shop"}


def test_openapi_30_x_webhooks_nullable_reads_as_null() -> None:
    ticket = by_event("openapi30.json", provider="acme")["ticket.updated"]
    parent = {"id": 1, "assignee": "ada", "priority": "low", "parent": None, "score": 1}
    good = {"id": 2, "assignee": None, "priority": None, "parent": parent, "score": 0.5,
            "nullable": True}
    assert failures(ticket, good) == set()
    bad = {**good, "assignee": 3, "priority": "urgent", "score": 0, "nullable": None}
    assert failures(ticket, bad) == {("/assignee", "type"), ("/priority", "enum"),
                                     ("/score", "exclusiveMinimum"), ("/nullable", "type")}
    # a nullable $ref is "that object or null": a wrong nested field fails the alternative
    assert failures(ticket, {**good, "parent": {**parent, "id": "x"}}) == {("/parent", "anyOf")}


def test_asyncapi_2_messages_by_name() -> None:
    schemas = by_event("asyncapi2.json", provider="acme")
    assert set(schemas) == {"light.measured", "light.failed"}
    measured = schemas["light.measured"]
    assert measured.source.endswith("asyncapi2.json#/components/messages/LightMeasured/payload")
    assert failures(measured, {"id": 1, "lumens": 3, "sentAt": "2026-12-06T08:00:00Z"}) == set()
    assert failures(measured, {"id": 1, "lumens": "3"}) == {("/lumens", "type")}
    assert failures(schemas["light.failed"], {}) == {("", "required")}


def test_asyncapi_3_messages_by_key_and_multi_format_payloads() -> None:
    schemas = by_event("asyncapi3.json", provider="acme")
    assert set(schemas) == {"UserSignedUp", "userDeleted"}
    assert failures(schemas["UserSignedUp"], {"displayName": "Ada", "email": "a@b.c"}) == set()
    assert failures(schemas["UserSignedUp"], {"displayName": "Ada"}) == {("", "required")}
    assert failures(schemas["userDeleted"], {"userId": 5}) == {("/userId", "type")}


def test_a_json_schema_file_names_its_provider_and_event_or_is_told_them() -> None:
    [own] = user_schemas.load(DATA / "json_schema.json")
    assert (own.provider, own.event, own.source) == ("acme", "invoice.paid",
                                                     str(DATA / "json_schema.json"))
    assert failures(own, {"id": "in_1", "amount_paid": -5}) == {("/amount_paid", "minimum")}
    [told] = user_schemas.load(DATA / "json_schema.json", provider="shop", event="paid")
    assert (told.provider, told.event) == ("shop", "paid")


def test_a_file_in_the_bundled_shape_keeps_its_source_and_version() -> None:
    [schema] = user_schemas.load(DATA / "bundled_shape.json")
    assert schema.name == "acme/invoice.voided@2026-01"
    assert schema.source == "https://docs.acme.example/webhooks#invoice-voided"
    assert failures(schema, {"id": 1}) == {("/id", "type")}


@pytest.mark.parametrize(("name", "options", "message"), [
    ("external_ref.json", {},
     "external_ref.json: $ref 'https://schemas.acme.example/pet.json#/Pet' points outside"),
    ("not_json.yaml", {}, "not_json.yaml: not JSON (line 1 column 1"),
    ("missing.json", {}, "missing.json: cannot be read (FileNotFoundError"),
    ("openapi30.json", {}, "openapi30.json: say which provider"),
    ("openapi31.json", {"event": "order.deleted"}, "documents no 'order.deleted' payload"),
])
def test_a_bad_file_is_one_line_naming_it(name: str, options: dict[str, str],
                                          message: str) -> None:
    with pytest.raises(ValueError) as raised:
        user_schemas.load(DATA / name, **options)
    assert message in str(raised.value)
    assert str(DATA / name) in str(raised.value) and "\n" not in str(raised.value)


def test_external_dangling_and_malformed_are_refused_in_one_line(tmp_path: Path) -> None:
    cases = {"outside.json": {"$ref": "other.json#/Pet"},
             "shape.json": {"provider": 1, "event": "e", "source": "s", "schema": {}},
             "conflicts.json": {"provider": "a", "event": "e", "source": "s", "schema": {},
                                "conflicts": ["/a"]},
             "hooks.json": {"openapi": "3.1.0", "x-provider": "acme", "webhooks": ["e"]},
             "dangling.json": {"openapi": "3.1.0", "x-provider": "acme", "webhooks": {"e": {
                 "post": {"requestBody": {"content": {"application/json": {"schema": {
                     "$ref": "#/components/schemas/Nope"}}}}}}}},
             "array.json": [1, 2]}
    for name, document in cases.items():
        (tmp_path / name).write_text(json.dumps(document))
        expected = rf"^{tmp_path / name}: .*(outside|nothing|object|text)"
        with pytest.raises(ValueError, match=expected):
            user_schemas.load(tmp_path / name, provider="acme", event="e")


JSON = st.recursive(st.none() | st.booleans() | st.integers() | st.text(max_size=8),
                    lambda inner: st.lists(inner, max_size=3)
                    | st.dictionaries(st.sampled_from(SHAPE_KEYS) | st.text(max_size=5), inner,
                                      max_size=4), max_leaves=20)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from([{"openapi": "3.0.0"}, {"openapi": "3.1.0"}, {"asyncapi": "2.6.0"},
                             {"asyncapi": "3.0.0"}, {}]), body=JSON)
def test_a_malformed_document_is_a_one_line_error_or_schemas(tmp_path_factory: Any,
                                                              kind: dict[str, str],
                                                              body: Any) -> None:
    path = tmp_path_factory.mktemp("doc") / "doc.json"
    document = {**kind, **body} if isinstance(body, dict) else body
    path.write_text(json.dumps(document))
    try:
        loaded = user_schemas.load(path, provider="acme", event=None if kind else "e")
    except ValueError as error:
        assert str(path) in str(error) and "\n" not in str(error)
    else:
        assert all(isinstance(schema, Schema) for schema in loaded)
