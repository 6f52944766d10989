"""Schemathesis against /api/openapi.json: the API keeps the contract its schema states.

Every operation is called in-process through the WSGI application with generated input, valid
(positive) and invalid (negative), as an administrator and as an agent; a response must not be
a server error, and its status code, content type and body must be the ones the schema
documents. Bounded and derandomized so it runs the same way, quickly, on every CI run; what it
writes stays inside the test's database transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from lingting.core.models import Role, User
from lingting.core.services import api_token_create
from lingting.quality.models import SampleDraw, SamplingPlan
from tests.conftest import Org
from tests.web.conftest import Api

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]
EXAMPLES_PER_OPERATION = 8


@pytest.fixture
def world(org: Org, make_contact: Any) -> Org:
    """A few contacts, so that generated ids sometimes name something that exists."""
    for number in range(3):
        make_contact(f"C-SCHEMA-{number}")
    org.users["admin"] = User.objects.create_user("admin_api", role=Role.ADMIN)
    return org


def _summary(error: BaseException) -> str:
    """The failure's first lines: what was received and how to reproduce it."""
    return " | ".join(line.strip() for line in str(error).splitlines() if line.strip())[:1500]


@contextmanager
def connection_kept_open() -> Iterator[None]:
    """As Django's test client does: a request through the WSGI handler must not close the
    database connection at its end, or the test's transaction (PostgreSQL) is gone."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def run_schema(user: User) -> list[str]:
    _, key = api_token_create(user=user, name="schemathesis")
    headers = {"Authorization": f"Bearer {key}"}
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", WSGIHandler())
    failures: list[str] = []
    for result in schema.get_all_operations():
        operation = result.ok()
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @settings(
                max_examples=EXAMPLES_PER_OPERATION,
                derandomize=True,
                deadline=None,
                database=None,
                phases=[Phase.explicit, Phase.generate],
                suppress_health_check=list(HealthCheck),
            )
            @given(case=operation.as_strategy(generation_mode=mode))
            def call(case: schemathesis.Case) -> None:
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS, headers=headers)

            try:
                call()
            except (Exception, BaseExceptionGroup) as error:
                failures.append(f"{operation.label} [{mode.value}]: {_summary(error)}")
    return failures


def test_the_api_keeps_its_schema_for_an_administrator(world: Org) -> None:
    with connection_kept_open():
        failures = run_schema(world.users["admin"])
    assert not failures, "\n".join(failures)


def test_the_api_keeps_its_schema_for_an_agent(world: Org) -> None:
    with connection_kept_open():
        failures = run_schema(world.users["agent_li"])
    assert not failures, "\n".join(failures)


def test_input_out_of_range_is_refused_at_the_edge_not_computed(world: Org, qa_zhao: User) -> None:
    """The cases Schemathesis once found, kept as plain examples."""
    supervisor = Api(qa_zhao)
    for path in [
        f"/contacts/{2**63}",
        f"/contacts?queue_id={2**63}",
        f"/contacts?offset={2**63}",
        "/contacts?date_from=0001-01-01",
        "/tickets/changes?updated_since=0001-01-01T00:00:00",
        "/kpis/?fcr_days=nan",
        "/kpis/?fcr_days=-5",
        "/kpis/?service_level_seconds=inf",
    ]:
        response = supervisor.client.get(f"/api{path}")
        assert response.status_code == 422, path
        assert response["Content-Type"].startswith("application/json"), path

    plan = {"name": "抽检", "method": "random", "sample_size": 3, "reviewers": {"qa_sun": 1}}
    for wrong in [
        {"method": "bogus"},
        {"schedule": "hourly"},
        {"sample_size": 2_100_000_000_000},
        {"lookback_days": -1},
        {"min_per_agent_month": -3},
        {"reviewers": {"qa_sun": -1}},
    ]:
        assert supervisor.post("/quality/plans", plan | wrong).status_code == 422, wrong
    assert not SamplingPlan.objects.exists()

    made = supervisor.post("/quality/plans", plan).json()
    not_an_object = supervisor.client.post(
        f"/api/quality/plans/{made['id']}/draws", "42", content_type="application/json"
    )
    assert not_an_object.status_code == 400
    assert not SampleDraw.objects.exists()


def test_every_refusal_is_documented_with_its_body(world: Org) -> None:
    schema = Client().get("/api/openapi.json").json()
    detail = schema["paths"]["/api/contacts/{contact_id}"]["get"]["responses"]
    assert {"200", "400", "401", "403", "404", "422"} <= set(detail)
    invalid = detail["422"]["content"]["application/json"]["schema"]["$ref"]
    assert invalid == "#/components/schemas/ValidationErrorOut"
    kpis = schema["paths"]["/api/kpis/"]["get"]["parameters"]
    fcr = next(p for p in kpis if p["name"] == "fcr_days")["schema"]
    assert fcr["exclusiveMinimum"] == 0
    assert fcr["maximum"] == 365


def test_each_operation_is_named_by_its_view_once_across_the_api(world: Org) -> None:
    """Generated clients name their methods by operationId: one name per operation, and the
    same name wherever the code behind it lives."""
    schema = Client().get("/api/openapi.json").json()
    names = [op["operationId"] for ops in schema["paths"].values() for op in ops.values()]

    assert len(names) == len(set(names))
    assert {"contact_list", "order_create"} <= set(names)
