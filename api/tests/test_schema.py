"""The API's OpenAPI schema and its docs page: a valid OpenAPI 3 document whose documented
answers are the real ones, and a docs page that works without internet."""

import re

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from households.models import EntryKind, Status
from organizations.models import OrgKind

pytestmark = pytest.mark.django_db

try:  # the full validator, where the venv has it (it is not a dependency of the portal)
    from openapi_spec_validator import validate as validate_spec
except ImportError:  # pragma: no cover - depends on the machine
    validate_spec = None


def _schema() -> dict:
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    return response.json()


def _resolve(schema: dict, node: dict) -> dict:
    while "$ref" in node:
        node = schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def test_schema_is_an_openapi_3_document():
    schema = _schema()
    if validate_spec is not None:
        validate_spec(schema)
    assert re.fullmatch(r"3\.\d+\.\d+", schema["openapi"])
    assert schema["info"]["title"] and schema["info"]["version"] == "1"
    assert schema["components"]["securitySchemes"]["TokenAuth"] == {"type": "http", "scheme": "bearer"}
    assert len(schema["paths"]) >= 20
    operation_ids = []
    for path, methods in schema["paths"].items():
        assert path.startswith("/api/v1/")
        assert set(methods) == {"get"}, f"{path} is read-only"
        operation = methods["get"]
        operation_ids.append(operation["operationId"])
        assert operation["summary"]
        # Every error the route can give is documented with the error's shape.
        for status in ("200", "400", "401", "404", "429"):
            assert "application/json" in operation["responses"][status]["content"], (path, status)
        error = _resolve(schema, operation["responses"]["401"]["content"]["application/json"]["schema"])
        assert {"code", "message"} <= set(error["required"])
        for parameter in operation.get("parameters", []):
            assert parameter["in"] in {"query", "path"}
            assert "schema" in parameter
        # Every $ref points at a schema that exists.
        for ref in re.findall(r'"\$ref": "#/components/schemas/(\w+)"', str(operation).replace("'", '"')):
            assert ref in schema["components"]["schemas"]
    assert len(operation_ids) == len(set(operation_ids))


def _path_with_ids(path: str, matrix) -> str:
    """The path with its parameters filled with records the district's Front sees."""
    t = matrix.target("mttq.huyen", in_scope=True)
    values = {
        "unit_id": t.commune.pk,
        "organization_id": t.organization.pk,
        "code": "poor",
        "program_id": t.program.pk,
        "registration_id": t.registration.pk,
        "household_id": t.household.pk,
    }
    return re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)


def _keys_match(schema: dict, node: dict, value, where: str) -> None:
    """The value has exactly the properties the schema documents, recursively in lists and
    objects (the first element of each list)."""
    node = _resolve(schema, node)
    if "anyOf" in node:
        options = [_resolve(schema, o) for o in node["anyOf"] if o.get("type") != "null"]
        if value is None:
            return
        node = options[0]
    if node.get("type") == "array":
        assert isinstance(value, list), where
        if value:
            _keys_match(schema, node["items"], value[0], f"{where}[0]")
        return
    if node.get("type") == "object" or "properties" in node:
        assert isinstance(value, dict), where
        assert set(value) == set(node["properties"]), f"{where}: {set(value) ^ set(node['properties'])}"
        for key, child in node["properties"].items():
            _keys_match(schema, child, value[key], f"{where}.{key}")


def test_every_route_answers_what_its_schema_documents(tokens, api_get, matrix):
    schema = _schema()
    checked = 0
    for path, methods in schema["paths"].items():
        documented = methods["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        response = api_get(tokens["district_front"], _path_with_ids(path, matrix).removeprefix("/api/v1"))
        assert response.status_code == 200, (path, response.content)
        body = response.json()
        _keys_match(schema, documented, body, path)
        # A list has something in it, so that its items' keys are checked too.
        if isinstance(body, dict) and "items" in body:
            assert body["items"], f"{path}: no record to check the schema of"
        checked += 1
    assert checked == len(schema["paths"])


def test_docs_page_loads_its_scripts_from_the_portal():
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert "/static/ninja/swagger-ui-bundle.js" in assets
    assert "/static/ninja/swagger-ui-init.js" in assets
    assert "/static/ninja/swagger-ui.css" in assets
    # Nothing from another host: the district offices may have no internet.
    assert not [a for a in assets if a.startswith(("http:", "https:", "//"))]
    for asset in assets:
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not among the static files"
    # The site's own Content-Security-Policy, not a looser one: the page runs no inline script.
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy


def test_schema_and_docs_need_no_token_but_data_does(api_get):
    assert Client().get("/api/v1/openapi.json").status_code == 200
    response = api_get(None, "/units")
    assert response.status_code == 401
    assert response.json()["code"] == "token_missing"


def test_schema_names_the_codes_a_filter_takes(tokens, api_get):
    """Kinds and statuses are the stable codes of the pages' choices, listed in the schema."""
    schema = _schema()

    def codes(path: str, name: str) -> set[str]:
        parameter = next(p for p in schema["paths"][path]["get"]["parameters"] if p["name"] == name)
        options = [_resolve(schema, o) for o in parameter["schema"].get("anyOf", [parameter["schema"]])]
        return {value for option in options for value in option.get("enum", [])}

    assert codes("/api/v1/organizations", "kind") == set(OrgKind.values)
    assert codes("/api/v1/households", "status") == set(Status.values)
    assert codes("/api/v1/fund-entries", "entry_kind") == set(EntryKind.values)
    response = api_get(tokens["district_front"], "/organizations", kind=OrgKind.WOMEN)
    assert response.status_code == 200
    assert {row["kind"] for row in response.json()["items"]} == {OrgKind.WOMEN}
    receipts = api_get(tokens["district_front"], "/fund-entries", entry_kind="receipt").json()["items"]
    assert receipts and {row["kind"] for row in receipts} == {"receipt"}
