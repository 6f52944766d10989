"""Reading contacts as stored: one contact a user may read, local days, queue names.

The contact list and the contact page, which show scores, are quality's
(`lingting.quality.selectors.contacts`, `lingting.quality.selectors.contact_page`).
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.http import Http404
from django.utils import timezone

from lingting.core.models import User
from lingting.core.permissions import readable_contact_scope
from lingting.interactions.models import Contact, Queue


def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def readable_contact(*, user: User, contact_id: int) -> Contact:
    """One contact `user` may read; Http404 for any other id (a contact out of scope is
    not told apart from one that does not exist)."""
    contact = Contact.objects.filter(readable_contact_scope(user), pk=contact_id).first()
    if contact is None:
        raise Http404("no such contact")
    return contact


def queue_names() -> dict[str, str]:
    """Each ACD group's name as every page, export and API shows it (`Queue.__str__`: its name,
    else its code), by code: for tables whose rows carry only the code (KPIs, the assessment,
    satisfaction)."""
    return {queue.code: str(queue) for queue in Queue.objects.only("code", "name")}
