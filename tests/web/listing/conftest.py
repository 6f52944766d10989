"""A client for each list: a page's signs in with a session, the API's sends a key."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from lingting.core.models import User
from tests.web.conftest import Api

ClientOf = Callable[[User, str], Client]


@pytest.fixture
def client_of(client_for: Callable[[User], Client]) -> ClientOf:
    """The client `user` reads `url` with: under /api/, the API's with their key."""

    def made(user: User, url: str) -> Client:
        return Api(user).client if url.startswith("/api/") else client_for(user)

    return made
