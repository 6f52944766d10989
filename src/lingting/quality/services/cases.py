"""The case library: filing excellent and poor contacts, and sharing them for training.

Seed 003 (质量分析动态管理): good and bad recordings are played to study groups; 002 §一.6: the
QA analyst "汇总、整理、编写案例分析". A shared case is read by every agent, with personal
numbers masked whoever reads it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.interactions.models import Contact
from lingting.quality.models import Case, CaseKind
from lingting.quality.permissions import may_curate_cases


@dataclass(frozen=True, slots=True)
class CaseInput:
    kind: str
    title: str
    note: str = ""
    tags: Sequence[str] = ()
    shared: bool = False


def case_save(
    *, actor: User, case_input: CaseInput, contact: Contact | None = None, case: Case | None = None
) -> Case:
    """File `contact` as a new case, or change `case`; sharing is stamped and audited."""
    if not may_curate_cases(actor):
        raise PermissionDenied
    problems = []
    if case_input.kind not in CaseKind.values:
        problems.append(_("请选择案例类型"))
    if not case_input.title.strip():
        problems.append(_("请填写标题"))
    if case is None and contact is None:
        problems.append(_("请指定联络"))
    if problems:
        raise ValidationError(problems)
    with transaction.atomic():
        if case is None:
            assert contact is not None
            case = Case(contact=contact, created_by=actor)
        was_shared = case.shared
        case.kind = case_input.kind
        case.title = case_input.title.strip()
        case.note = case_input.note.strip()
        case.tags = sorted({t.strip() for t in case_input.tags if t.strip()})
        case.shared = case_input.shared
        if case.shared and not was_shared:
            case.shared_at = timezone.now()
        case.save()
        if case.shared != was_shared:
            audit_record(
                actor=actor,
                action="case.share" if case.shared else "case.unshare",
                object_type="case",
                object_id=case.pk,
                before={"shared": was_shared},
                after={"shared": case.shared},
            )
    return case
