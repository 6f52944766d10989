"""Each list is read by a named user: a page signs in with a session, the API sends a key."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

import pytest
from django.test import Client

from lingting.core.models import User
from lingting.quality.models import ScorecardVersion
from tests.conftest import Org
from tests.web.conftest import Api
from tests.web.listing.counting import AddRows, assert_queries_flat
from tests.web.listing.rows import Center


class AssertFlat(Protocol):
    def __call__(self, user: User, url: str, *, add_rows: AddRows, shown: str) -> None: ...


@pytest.fixture
def assert_flat(client_for: Callable[[User], Client]) -> AssertFlat:
    """`assert_queries_flat` for `url` as `user` reads it (under /api/, with their key)."""

    def check(user: User, url: str, *, add_rows: AddRows, shown: str) -> None:
        client = Api(user).client if url.startswith("/api/") else client_for(user)
        assert_queries_flat(client, url, add_rows=add_rows, shown=shown)

    return check


@pytest.fixture
def center(org: Org, standard_version: ScorecardVersion) -> Center:
    return Center(org=org, version=standard_version)
