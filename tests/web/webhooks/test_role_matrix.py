"""Every role against every webhook page, page action and API call: the administrator
opens and does each (200, a 302 back to the endpoint's page after a page action, 201 for a
new endpoint through the API); every other role is refused (403), whatever else it may
see — webhooks send the centre's data out of it (`lingting.webhooks.permissions`)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

from lingting.core.models import Role, User
from lingting.webhooks.models import WebhookDelivery
from lingting.webhooks.services import EndpointSpec, webhook_endpoint_create, webhook_ping
from tests.conftest import Org
from tests.web.conftest import Api
from tests.web.webhooks.webhook_receiver import Receiver, receiver_fixture  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db
ROLES = (
    "agent_li",
    "leader_wang",
    "qa_sun",
    "qa_zhao",
    "ops_zhou",
    "planner_qian",
    "admin_ma",
)


def _by_role(codes: Any) -> dict[str, int]:
    return dict(zip(ROLES, codes, strict=True))


@pytest.fixture
def people(org: Org) -> dict[str, User]:
    org.users["admin_ma"] = User.objects.create_user("admin_ma", role=Role.ADMIN)
    return org.users


@pytest.fixture
def urls(people: dict[str, User], receiver: Receiver) -> dict[str, str]:
    """An endpoint pointed at the test receiver, with one delivery (a ping) to send again."""
    admin = people["admin_ma"]
    spec = EndpointSpec(name="CRM", url=receiver.url, events=["*"])
    endpoint, _secret = webhook_endpoint_create(actor=admin, spec=spec)
    webhook_ping(actor=admin, endpoint=endpoint)
    delivery = WebhookDelivery.objects.get()
    return {
        "list": reverse("webhooks:list"),
        "create": reverse("webhooks:create"),
        "detail": reverse("webhooks:detail", args=[endpoint.pk]),
        "edit": reverse("webhooks:edit", args=[endpoint.pk]),
        "ping": reverse("webhooks:ping", args=[endpoint.pk]),
        "rotate": reverse("webhooks:rotate", args=[endpoint.pk]),
        "redeliver": reverse("webhooks:redeliver", args=[delivery.pk]),
        "api": "/webhooks/",
        "api_endpoint": f"/webhooks/{endpoint.pk}",
        "api_ping": f"/webhooks/{endpoint.pk}/ping",
    }


#                  agent_li leader_wang qa_sun qa_zhao ops_zhou planner admin
EXPECTED = {
    "list":            (403, 403, 403, 403, 403, 403, 200),
    "create":          (403, 403, 403, 403, 403, 403, 200),
    "detail":          (403, 403, 403, 403, 403, 403, 200),
    "edit":            (403, 403, 403, 403, 403, 403, 200),
    "ping":            (403, 403, 403, 403, 403, 403, 302),
    "rotate":          (403, 403, 403, 403, 403, 403, 302),
    "redeliver":       (403, 403, 403, 403, 403, 403, 302),
    "api_list":        (403, 403, 403, 403, 403, 403, 200),
    "api_create":      (403, 403, 403, 403, 403, 403, 201),
    "api_update":      (403, 403, 403, 403, 403, 403, 200),
    "api_ping":        (403, 403, 403, 403, 403, 403, 200),
}  # fmt: skip
PAGE_POSTS = ("ping", "rotate", "redeliver")


def _status(user: User, kind: str, urls: dict[str, str], receiver: Receiver) -> int:
    spec: dict[str, Any] = {"name": "CRM", "url": receiver.url, "events": ["*"]}
    if kind.startswith("api"):
        api = Api(user)
        if kind == "api_list":
            return api.get(urls["api"]).status_code
        if kind == "api_create":
            return api.post(urls["api"], spec).status_code
        if kind == "api_update":
            return api.put(urls["api_endpoint"], spec).status_code
        return api.post(urls["api_ping"], {}).status_code
    client = Client()
    client.force_login(user)
    if kind in PAGE_POSTS:
        return client.post(urls[kind]).status_code
    return client.get(urls[kind]).status_code


@pytest.mark.parametrize("kind", EXPECTED)
def test_only_the_administrator_manages_webhooks(
    people: dict[str, User], urls: dict[str, str], receiver: Receiver, kind: str
) -> None:
    got = []
    for role in ROLES:  # each on the same endpoint, undone after
        with transaction.atomic():
            got.append(_status(people[role], kind, urls, receiver))
            transaction.set_rollback(True)

    assert _by_role(got) == _by_role(EXPECTED[kind])
