"""The contact list, as a page and in the API, and one's notifications ask as many queries
for 200 rows as for 20."""

from __future__ import annotations

import pytest

from lingting.core.models import Notification, User
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
