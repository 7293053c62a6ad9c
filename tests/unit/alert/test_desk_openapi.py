"""The OpenAPI document is well-formed: valid JSON Schemas, every reference resolves, every
operation says what its errors look like. (That it lists every registered route, and that real
responses match it, is checked in tests/integration/test_desk_api.py.)"""

from __future__ import annotations

from typing import Any

import jsonschema
import orjson
from referencing import Registry
from referencing.jsonschema import DRAFT202012

from services.alert.desk.openapi import DOCUMENT


def refs(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if "$ref" in node else []
        return found + [r for value in node.values() for r in refs(value)]
    if isinstance(node, list):
        return [r for value in node for r in refs(value)]
    return []


def test_it_is_json_and_openapi_3_1() -> None:
    assert orjson.loads(orjson.dumps(DOCUMENT)) == DOCUMENT
    assert DOCUMENT["openapi"] == "3.1.0"
    assert DOCUMENT["components"]["securitySchemes"]["cookie"]["name"] == "netral_session"


def test_every_component_is_a_valid_json_schema() -> None:
    for schema in DOCUMENT["components"]["schemas"].values():
        jsonschema.Draft202012Validator.check_schema(schema)


def test_every_reference_resolves() -> None:
    resolver = Registry().with_resource("urn:d", DRAFT202012.create_resource(DOCUMENT)).resolver()
    found = refs(DOCUMENT)
    assert found
    for ref in found:
        assert resolver.lookup(f"urn:d{ref}").contents


def test_every_api_operation_documents_its_errors_and_ids_are_unique() -> None:
    ids = []
    for path, operations in DOCUMENT["paths"].items():
        for method, operation in operations.items():
            ids.append(operation["operationId"])
            codes = set(operation["responses"])
            assert codes & {"200", "201"}, (method, path)
            if path.startswith("/api/") and path != "/api/v1/session":
                assert "401" in codes, (method, path)
    assert len(ids) == len(set(ids))


def test_every_api_operation_documents_what_any_route_may_answer() -> None:
    """503 (Redis or the broker away) on every /api/ route; a change also 403 (cross-site),
    413 and 415 (the body)."""
    for path, operations in DOCUMENT["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "503" in codes, (method, path)
            if method in ("post", "delete"):
                assert {"403", "413", "415"} <= codes, (method, path)
