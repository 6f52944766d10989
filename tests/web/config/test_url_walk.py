"""Every URL pattern, walked with hostile input, answers below 500; the API answers in JSON.

The world is the small demo (one object of nearly every kind), walked as the administrator and
as an agent. Each route is requested with hostile values in its path parameters and in every
query or form parameter it reads: the names the view reads are discovered by watching its
QueryDicts during a plain request, the API's from its OpenAPI schema, and a list of names the
code base reads anywhere is sent on every route as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import quote

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.datastructures import MultiValueDict

from lingting.core.models import User

pytestmark = pytest.mark.django_db(transaction=False)

SMALL_DEMO = ("--months", "1", "--days", "1", "--calls-per-agent-day", "2", "--no-jddc")

# Dates past the calendar's edge, impossible dates, non-finite and huge numbers, non-numeric
# ids, negatives and a NUL byte: the values that once answered 500.
HOSTILE = (
    "0001-01-01",
    "9999-12-31T23:59:59",
    "2026-13-45",
    "inf",
    "nan",
    "1e400",
    "abc",
    str(2**63),
    "-1",
    "1\x00",
)
# One of each kind, for the parameter-by-parameter requests.
ONE_BY_ONE = ("0001-01-01", "9999-12-31T23:59:59", "nan", str(2**63), "abc")
# What an `int` path converter lets through (digits only) beyond any stored id.
HOSTILE_PATH_INT = (str(2**63), "9" * 40, "0")
HOSTILE_PATH_STR = ("nan", "inf", "0001-01-01", "%00", str(2**63), "abc")

# Names the code base reads somewhere: sent on every route, so a view that reads one only on
# a branch the plain request did not take still meets it.
COMMON_PARAMS = (
    "agent",
    "as_of",
    "by",
    "contact",
    "date",
    "date_from",
    "date_to",
    "day",
    "days",
    "fcr_days",
    "from",
    "item",
    "kind",
    "limit",
    "month",
    "offset",
    "page",
    "period",
    "q",
    "queue",
    "score_band",
    "seed",
    "since",
    "status",
    "tag",
    "team",
    "to",
    "type",
    "until",
    "updated_since",
    "version",
    "week",
    "year",
)

# Path parameters that name a stored object: the walker fills them with a real id so the
# view gets past its lookup and reads its query parameters.
VALID_PATH: dict[tuple[str, str], Callable[[], Any]] = {}


def _first_pk(model_path: str) -> Callable[[], Any]:
    def first() -> Any:
        from django.apps import apps

        model = apps.get_model(model_path)
        found = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return found if found is not None else 1

    return first


for prefix, name, model in [
    ("contacts/", "contact_id", "interactions.Contact"),
    ("quality/", "plan_id", "quality.SamplingPlan"),
    ("quality/", "assignment_id", "quality.ReviewAssignment"),
    ("quality/", "evaluation_id", "quality.Evaluation"),
    ("quality/", "dispute_id", "quality.Dispute"),
    ("quality/", "session_id", "quality.CalibrationSession"),
    ("quality/", "contact_id", "interactions.Contact"),
    ("quality/", "case_id", "quality.Case"),
    ("coaching/", "plan_id", "coaching.ImprovementPlan"),
    ("coaching/", "training_id", "coaching.Training"),
    ("performance/", "target_id", "performance.KpiTarget"),
    ("reports/", "report_id", "reports.GeneratedReport"),
    ("tickets/", "order_id", "tickets.WorkOrder"),
    ("tickets/", "type_id", "tickets.WorkOrderType"),
    ("tickets/", "department_id", "tickets.Department"),
    ("webhooks/", "endpoint_id", "webhooks.WebhookEndpoint"),
    ("webhooks/", "delivery_id", "webhooks.WebhookDelivery"),
    ("api/contacts/", "contact_id", "interactions.Contact"),
    ("api/quality/", "plan_id", "quality.SamplingPlan"),
    ("api/quality/", "assignment_id", "quality.ReviewAssignment"),
    ("api/quality/", "evaluation_id", "quality.Evaluation"),
    ("api/quality/", "dispute_id", "quality.Dispute"),
    ("api/quality/", "session_id", "quality.CalibrationSession"),
    ("api/quality/", "contact_id", "interactions.Contact"),
    ("api/quality/", "case_id", "quality.Case"),
    ("api/webhooks/", "endpoint_id", "webhooks.WebhookEndpoint"),
]:
    VALID_PATH[(prefix, name)] = _first_pk(model)

VALID_WORDS: dict[str, str] = {
    "kind": "monthly",
    "fmt": "xlsx",
    "action": "reply",
    "year": "2026",
}

PARAMETER = re.compile(r"<(?:(?P<converter>\w+):)?(?P<name>\w+)>")


def url_patterns() -> Iterator[str]:
    def walk(patterns: list[URLPattern | URLResolver], prefix: str) -> Iterator[str]:
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                yield from walk(pattern.url_patterns, route)
            else:
                yield route

    yield from walk(get_resolver().url_patterns, "")


def _valid(route: str, name: str) -> str:
    for (prefix, param), first in VALID_PATH.items():
        if param == name and route.startswith(prefix):
            return str(first())
    if name == "number":  # a work order's number in the API
        from lingting.workorders.models import WorkOrder

        order = WorkOrder.objects.order_by("pk").first()
        return order.number if order else "X"
    return VALID_WORDS.get(name, "1")


def fill(route: str, hostile: dict[str, str]) -> str:
    """The route with each parameter replaced: hostile where given, else a valid value."""

    def value(match: re.Match[str]) -> str:
        name = match["name"]
        if name in hostile:
            return hostile[name]
        return quote(_valid(route, name), safe="")

    return "/" + PARAMETER.sub(value, route)


def path_variants(route: str) -> Iterator[str]:
    """The route filled validly, then once per hostile value in each of its parameters."""
    yield fill(route, {})
    for match in PARAMETER.finditer(route):
        converter = match["converter"] or "str"
        values = HOSTILE_PATH_INT if converter == "int" else HOSTILE_PATH_STR
        for bad in values:
            yield fill(route, {match["name"]: bad if bad == "%00" else quote(bad, safe="")})


@contextmanager
def reading_recorded() -> Iterator[set[str]]:
    """The keys any QueryDict (GET or POST) was asked for while the block ran."""
    read: set[str] = set()
    originals = {name: getattr(MultiValueDict, name) for name in ("get", "getlist", "__getitem__")}

    def recording(original: Callable[..., Any]) -> Callable[..., Any]:
        def method(self: MultiValueDict[str, Any], key: str, *args: Any) -> Any:
            read.add(key)
            return original(self, key, *args)

        return method

    for name, original in originals.items():
        setattr(MultiValueDict, name, recording(original))
    try:
        yield read
    finally:
        for name, original in originals.items():
            setattr(MultiValueDict, name, original)


def api_query_parameters() -> dict[str, set[str]]:
    """The API's query parameters per route, from its own OpenAPI schema."""
    schema = Client().get("/api/openapi.json").json()
    found: dict[str, set[str]] = {}
    for path, operations in schema["paths"].items():
        route = re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/"))
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "query":
                    found.setdefault(route, set()).add(parameter["name"])
    return found


class Walk:
    def __init__(self, client: Client) -> None:
        self.client = client
        self.failures: list[str] = []
        self.requests = 0

    def check(self, method: str, url: str, data: dict[str, str] | None = None) -> Any:
        self.requests += 1
        call = self.client.get if method == "GET" else self.client.post
        try:
            response = call(url, data or {})
        except Exception as error:  # the test client re-raises what a view let through
            self.failures.append(f"{method} {url} {data or ''}: {type(error).__name__}: {error}")
            return None
        if response.status_code >= 500:
            self.failures.append(f"{method} {url} {data or ''}: {response.status_code}")
        elif url.startswith("/api/") and response.status_code >= 400:
            content_type = response.get("Content-Type", "")
            if not content_type.startswith("application/json"):
                self.failures.append(
                    f"{method} {url} {data or ''}: {response.status_code} as {content_type!r}"
                )
        return response


def walk_as(user: User, api_params: dict[str, set[str]]) -> Walk:
    client = Client(raise_request_exception=True)
    client.force_login(user)
    walk = Walk(client)
    for route in url_patterns():
        if route.startswith("logout") or "setlang" in route:
            continue  # signing out would end the walk's session
        plain = fill(route, {})
        for url in path_variants(route):
            walk.check("GET", url)
        for method in ("GET", "POST"):
            with reading_recorded() as read:
                first = walk.check(method, plain)
            if first is None or first.status_code in (401, 403, 405):
                continue  # refused before any input is read (the right comes first)
            names = (read | api_params.get(route, set())) - {"csrfmiddlewaretoken"}
            for bad in HOSTILE:
                # All at once first (a form validates every field). A refusal (4xx) may come
                # from the first parameter the view read and hide the others: then each read
                # parameter alone, on GET, with the values of a different kind.
                everything = dict.fromkeys(COMMON_PARAMS, bad) | dict.fromkeys(names, bad)
                answer = walk.check(method, plain, everything)
                refused = answer is not None and answer.status_code >= 400
                if method == "GET" and refused and len(names) > 1 and bad in ONE_BY_ONE:
                    for name in sorted(names):
                        walk.check(method, plain, {name: bad})
    return walk


def walk_the_demo_as(username: str) -> None:
    """Every route, walked with hostile input as `username` of the small demo: no answer
    above 499, the API's refusals in JSON."""
    call_command("demo", *SMALL_DEMO)
    walk = walk_as(User.objects.get(username=username), api_query_parameters())
    assert walk.requests > 1000
    assert not walk.failures, "\n".join(walk.failures)


def test_every_route_answers_hostile_input_without_a_server_error() -> None:
    # The agent's walk is tests/web/config/test_url_walk_agent.py: a module of its own, so
    # that two workers walk at once.
    walk_the_demo_as("admin")


def test_api_errors_are_json_even_for_unknown_paths_and_methods(
    client_for: Any, agent_li: User
) -> None:
    client = client_for(agent_li)
    for method, url in [
        ("get", "/api/no-such-thing"),
        ("get", "/api/contacts/999999999"),
        ("delete", "/api/contacts"),
        ("put", "/api/kpis/"),
    ]:
        response = getattr(client, method)(url)
        assert response.status_code in (404, 405), url
        assert response["Content-Type"].startswith("application/json"), url
        assert "detail" in response.json()


def test_a_refused_user_learns_nothing_from_how_bad_input_is_read(
    client_for: Any, agent_li: User, ops_zhou: User
) -> None:
    """The award confirmation once answered 500 to any signed-in user for `agent=abc`, before
    it asked whether the user may confirm awards: the right comes first, then the input."""
    hostile = {"agent": "abc", "month": "0001-01", "kind": "best"}
    refused = client_for(agent_li).post("/performance/assessment/awards/", hostile)
    assert refused.status_code == 403
    bad = client_for(ops_zhou).post("/performance/assessment/awards/", hostile)
    assert bad.status_code == 400
    assert "month" in bad.content.decode()


def test_a_bad_parameter_is_a_400_page_that_says_which(client_for: Any, qa_zhao: User) -> None:
    response = client_for(qa_zhao).get("/contacts/", {"date_from": "0001-01-01"})
    assert response.status_code in (200, 400)
    assert response.status_code != 500
    refused = client_for(qa_zhao).post("/quality/access/", {"user": str(2**63)})
    assert refused.status_code == 400
    assert "user" in refused.content.decode()
    nul = client_for(qa_zhao).get("/contacts/", {"q": "停电\x00"})
    assert nul.status_code == 400
