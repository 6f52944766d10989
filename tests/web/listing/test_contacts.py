"""The contact list, as a page and in the API, and one's notifications ask as many queries
for 200 rows as for 20."""

from __future__ import annotations

import pytest

from lingting.core.models import AuditEvent, Notification, User
from tests.web.listing import rows
from tests.web.listing.conftest import AssertFlat
from tests.web.listing.rows import Center, row_name


@pytest.mark.parametrize("url", ["/contacts/", "/api/contacts"])
def test_contact_list_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, center: Center, qa_zhao: User
) -> None:
    """Contacts of three agents in two teams; the first page (of 50) shows the newest."""

    def add_rows(numbers: range) -> None:
        rows.contacts(center, numbers, agent=["A1001", "A1002", "A1003"])

    assert_flat(qa_zhao, url, add_rows=add_rows, shown=rows.CONTACT)


def test_a_contacts_score_history_queries_do_not_grow(
    assert_flat: AssertFlat, center: Center, qa_zhao: User
) -> None:
    """The contact page's trail of score changes (the latest 50), each with who made it."""
    contact = rows.contacts(center, [0])[0]
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

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="rescore-{n:03d}")


@pytest.mark.parametrize("url", ["/notifications/", "/api/notifications"])
def test_notifications_queries_do_not_grow(
    url: str, assert_flat: AssertFlat, qa_zhao: User
) -> None:
    def add_rows(numbers: range) -> None:
        Notification.objects.bulk_create(
            Notification(user=qa_zhao, text=row_name("notice", n), url="/quality/disputes/")
            for n in numbers
        )

    assert_flat(qa_zhao, url, add_rows=add_rows, shown="notice-{n:03d}")
