"""Who reads the quality reports, over which contacts, and who generates the stored ones."""

from __future__ import annotations

from django.db.models import Q

from lingting.core.models import Role, User
from lingting.core.permissions import contact_scope
from lingting.quality.permissions import may_manage_qa, may_read_qa_reports


def may_read_quality_reports(user: User) -> bool:
    """The quality reports (002 §七): center-wide for QA and managers, a team leader's own
    teams' contacts for a team leader; agents and others none."""
    return may_read_qa_reports(user) or user.role == Role.TEAM_LEADER


def report_scope(user: User, *, via: str = "") -> Q:
    """The contacts a quality report of `user` covers, as `contact_scope` builds filters:
    every contact for QA and managers, their teams' for a team leader, none otherwise."""
    if may_read_qa_reports(user):
        return Q()
    if user.role == Role.TEAM_LEADER:
        return contact_scope(user, via=via)
    return Q(pk__in=[])


def may_archive_reports(user: User) -> bool:
    """Generating the center's stored reports on demand: the QA supervisor's (002 §二.6)."""
    return may_manage_qa(user)
