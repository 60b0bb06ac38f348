"""The JSON API against its own OpenAPI document: schemathesis sends a bounded number of
generated requests, valid and invalid, to every operation on both engines, and checks each
answer against the document; above all, none may be a server error."""
from __future__ import annotations

import hypothesis.errors
import schemathesis
from conftest import corpus_files
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import negative_data_rejection, positive_data_acceptance

from scrutiny.oversight.ingest import ingest_paths
from scrutiny.settings import Settings
from scrutiny.store import Store
from scrutiny.web import create_app

EXAMPLES = 150  # per operation, engine and mode (valid, invalid); the same ones each run


def _exercise(operation, mode: GenerationMode) -> None:
    """Send EXAMPLES generated requests to one operation and check every answer.

    Called per operation rather than through schemathesis's pytest plugin, whose lazy fixtures
    break on pytest 9."""
    # Every check but one: a request the schema allows may still be refused (422) for what a
    # schema cannot say (a force not among the 43, a field the letter lacks). And in an upload,
    # a "number" is a file's bytes like any other: it gets its outcome (200).
    excluded = [positive_data_acceptance]
    if operation.label == "POST /api/documents":
        excluded.append(negative_data_rejection)

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
    def check(case):
        case.call_and_validate(excluded_checks=excluded)

    try:
        check()
    except hypothesis.errors.Unsatisfiable:  # no invalid request exists (no inputs, or any string will do)
        assert mode == GenerationMode.NEGATIVE


def _every_operation(store: Store, mode: GenerationMode) -> None:
    list(ingest_paths(store, corpus_files()))
    schema = schemathesis.openapi.from_asgi("/openapi.json", create_app(store, Settings(max_upload_mb=1 / 4)))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 43  # 21 oversight, 13 office, 4 administration, 3 sources, 2 new reports (confirm, reject)
    for operation in operations:
        _exercise(operation, mode)


# A class for each mode: the suite's workers take a class apiece (`--dist loadscope`), so the
# two halves of this, the suite's longest test, run side by side.
class TestValidRequests:
    def test_no_generated_request_gets_a_server_error(self, store):
        _every_operation(store, GenerationMode.POSITIVE)


class TestInvalidRequests:
    def test_no_generated_request_gets_a_server_error(self, store):
        _every_operation(store, GenerationMode.NEGATIVE)


# What a download's name says it is, and the media type its answer must declare.
DOWNLOADS = {".csv": "text/csv", ".ics": "text/calendar", ".pdf": "application/pdf", ".html": "text/html",
             ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _names_a_model(schema: dict) -> bool:
    """A model by name ($ref), or a list of one: not `{}`, nor an object with no properties."""
    return "$ref" in schema or (schema.get("type") == "array" and _names_a_model(schema.get("items", {})))


def test_every_answer_in_the_openapi_document_says_what_it_is(tmp_path):
    app = create_app(Store(f"sqlite:///{tmp_path / 'openapi.db'}"), Settings())
    document = TestClient(app).get("/openapi.json").json()
    unnamed, mistyped = [], []
    for path, operations in document["paths"].items():
        expected = next((media for suffix, media in DOWNLOADS.items() if path.endswith(suffix)), "application/json")
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for status, answer in operation["responses"].items():
                if not status.startswith("2"):
                    continue
                content = answer.get("content", {})
                if list(content) != [expected]:
                    mistyped.append(f"{label} {status}: {list(content)}, not {expected}")
                elif expected == "application/json" and not _names_a_model(content[expected].get("schema", {})):
                    unnamed.append(f"{label} {status}: {content[expected].get('schema')}")
    assert unnamed == []
    assert mistyped == []
    assert document["paths"]["/api/export.csv"]["get"]["responses"]["200"]["content"] == {
        "text/csv": {"schema": {"type": "string"}}}
