"""Upgrading a PostgreSQL database that an older import filled with values no program can
read back: the migration clears them, records each in the audit trail, and the pages work."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse

from lingting.core.models import AuditEvent, User
from lingting.interactions.models import Contact, Turn

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="only PostgreSQL ever stored such values (SQLite's import stopped instead)",
)

migration = importlib.import_module("lingting.interactions.migrations.0007_clear_impossible_values")


def _store_as_an_older_import_did(contact: Contact) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE interactions_contact SET started_at = '0001-12-31 16:00:00+00 BC',"
            " ended_at = '10000-01-01 00:00:00+00', wait_s = 'Infinity'::float8 WHERE id = %s",
            [contact.pk],
        )
        cursor.execute(
            "UPDATE interactions_turn SET \"end\" = 'NaN'::float8 WHERE contact_id = %s",
            [contact.pk],
        )


def _clear() -> None:
    with connection.schema_editor() as editor:
        migration.clear_impossible_values(apps, editor)


@pytest.mark.django_db(transaction=False)
def test_impossible_values_are_cleared_audited_and_the_pages_work_again(
    make_contact: Any, client_for: Callable[[User], Client], qa_zhao: User
) -> None:
    broken = make_contact(wait_s=12.0)
    sound = make_contact(wait_s=8.0)
    answered_at = sound.answered_at
    _store_as_an_older_import_did(broken)
    client = client_for(qa_zhao)
    with pytest.raises(Exception, match="year"):  # what every reader of the list met
        client.get(reverse("interactions:contact_list"))

    _clear()

    broken.refresh_from_db()
    assert (broken.started_at, broken.ended_at, broken.wait_s) == (None, None, None)
    assert broken.answered_at is not None  # a good value of the same row stays
    assert list(Turn.objects.filter(contact=broken).values_list("end", flat=True)) == [
        None,
        None,
    ]
    sound.refresh_from_db()
    assert (sound.answered_at, sound.wait_s) == (answered_at, 8.0)
    trail = AuditEvent.objects.filter(
        action="contact.impossible_value_cleared", object_id=str(broken.pk)
    )
    assert {next(iter(e.before)) for e in trail} == {
        "started_at",
        "ended_at",
        "wait_s",
        "turn.end",
    }
    assert trail.filter(before__wait_s="Infinity").exists()
    assert client.get(reverse("interactions:contact_list")).status_code == 200
    detail = reverse("interactions:contact_detail", args=[broken.pk])
    assert client.get(detail).status_code == 200
