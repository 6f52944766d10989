"""The contact list, as a page and in the API, and one's notifications ask as many queries
for 200 rows as for 20."""

from __future__ import annotations

import pytest

from lingting.core.models import AuditEvent, Notification, User
from lingting.quality.models import ScorecardVersion
from tests.conftest import Org
from tests.web.listing import rows
from tests.web.listing.conftest import ClientOf
from tests.web.listing.counting import assert_queries_flat
from tests.web.listing.rows import row_name


@pytest.mark.parametrize("url", ["/contacts/", "/api/contacts"])
def test_contact_list(
    url: str, client_of: ClientOf, org: Org, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    """Contacts of three agents in two teams; the first page (of 50) shows the newest."""

    def add_rows(numbers: range) -> None:
        rows.contacts(org, standard_version, numbers, agent=["A1001", "A1002", "A1003"])

    assert_queries_flat(client_of(qa_zhao, url), url, add_rows=add_rows, shown=rows.contact_name)


def test_a_contacts_score_history(
    client_of: ClientOf, org: Org, qa_zhao: User, standard_version: ScorecardVersion
) -> None:
    """The contact page's trail of score changes (the latest 50), each with who made it."""
    contact = rows.contacts(org, standard_version, [0])[0]
    url = f"/contacts/{contact.pk}/"

    def add_rows(numbers: range) -> None:
        AuditEvent.objects.bulk_create(
            AuditEvent(
                actor=qa_zhao,
                action="contact.rescore",
                object_type="contact",
                object_id=str(contact.pk),
                before={"score": 70},
                after={"score": 72},
                note=row_name("rescore", n),
            )
            for n in numbers
        )

    assert_queries_flat(
        client_of(qa_zhao, url), url, add_rows=add_rows, shown=lambda n: row_name("rescore", n)
    )


@pytest.mark.parametrize("url", ["/notifications/", "/api/notifications"])
def test_notifications(url: str, client_of: ClientOf, qa_zhao: User) -> None:
    def add_rows(numbers: range) -> None:
        Notification.objects.bulk_create(
            Notification(user=qa_zhao, text=row_name("notice", n), url="/quality/disputes/")
            for n in numbers
        )

    assert_queries_flat(
        client_of(qa_zhao, url), url, add_rows=add_rows, shown=lambda n: row_name("notice", n)
    )
