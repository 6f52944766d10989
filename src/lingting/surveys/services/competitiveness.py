"""Writes of the service competitiveness index (服务竞争力指数): choice-intention survey
waves with each operator's subscribers and answers, typed in or tallied from the wave's
answers file. A wave is stored only when the engine can give its index (`WaveError`
otherwise, and nothing is stored); every change is audited."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import transaction

from lingting.core.models import User
from lingting.core.services import audit_record
from lingting.engine.competitiveness import (
    ChoiceAnswer,
    Competitiveness,
    OperatorAnswers,
    OperatorSubscribers,
    competitiveness,
    read_choice_answers,
    tally_answers,
)
from lingting.engine.reader import LineError
from lingting.surveys.models import CompetitivenessWave, WaveOperator

ErrorSink = Callable[[LineError], None]


@dataclass(frozen=True, slots=True)
class WaveDetails:
    name: str
    surveyed_on: date
    note: str = ""


@dataclass(slots=True)
class AnswersReport:
    read: int = 0  # the file's non-blank lines but the header
    rejected: int = 0


def competitiveness_wave_save(
    *,
    actor: User,
    wave: CompetitivenessWave | None,
    details: WaveDetails,
    operators: Sequence[OperatorAnswers],
) -> CompetitivenessWave:
    """Create `wave` (None) or replace its details and operators; raises `WaveError`,
    storing nothing, when they give no index."""
    return _store(
        actor=actor,
        wave=wave,
        details=details,
        operators=operators,
        action="competitiveness_wave.save",
    )


def competitiveness_wave_import(
    *,
    actor: User,
    wave: CompetitivenessWave | None,
    details: WaveDetails,
    operators: Sequence[OperatorSubscribers],
    path: str,
    on_error: ErrorSink | None = None,
) -> tuple[CompetitivenessWave, AnswersReport]:
    """Create or replace a wave whose operators' counts are tallied from the answers file
    at `path` (engine.competitiveness.read_choice_answers); a line that cannot be read is
    reported to `on_error` and left out of the counts. Raises `UnreadableFileError` for a
    file that cannot be read at all, `WaveError` when the counts give no index: in both
    cases nothing is stored."""
    report = AnswersReport()

    def answers() -> Iterator[ChoiceAnswer]:
        for item in read_choice_answers(path):
            report.read += 1
            if isinstance(item, LineError):
                report.rejected += 1
                if on_error is not None:
                    on_error(item)
            else:
                yield item[1]

    counted = tally_answers(answers(), operators)
    stored = _store(
        actor=actor,
        wave=wave,
        details=details,
        operators=counted,
        action="competitiveness_wave.import",
        note=f"{os.path.basename(path)}: {report.read} lines, {report.rejected} rejected",
    )
    return stored, report


def competitiveness_wave_delete(*, actor: User, wave: CompetitivenessWave) -> None:
    with transaction.atomic():
        before = _snapshot(wave)
        wave_id = wave.pk
        wave.delete()
        audit_record(
            actor=actor,
            action="competitiveness_wave.delete",
            object_type="competitiveness_wave",
            object_id=wave_id,
            before=before,
        )


def _store(
    *,
    actor: User,
    wave: CompetitivenessWave | None,
    details: WaveDetails,
    operators: Sequence[OperatorAnswers],
    action: str,
    note: str = "",
) -> CompetitivenessWave:
    figures = competitiveness(operators)  # refuses before anything is written
    with transaction.atomic():
        if wave is None:
            wave = CompetitivenessWave(created_by=actor)
            before = None
        else:
            wave = CompetitivenessWave.objects.select_for_update().get(pk=wave.pk)
            before = _snapshot(wave)
        wave.name, wave.surveyed_on, wave.note = details.name, details.surveyed_on, details.note
        wave.save()
        wave.operators.all().delete()
        WaveOperator.objects.bulk_create(
            WaveOperator(
                wave=wave,
                operator=o.operator.strip(),
                ours=o.ours,
                subscribers=o.subscribers,
                asked=o.asked,
                choosing_us=o.choosing_us,
            )
            for o in operators
        )
        audit_record(
            actor=actor,
            action=action,
            object_type="competitiveness_wave",
            object_id=wave.pk,
            before=before,
            after={**_snapshot(wave), **_rounded(figures)},
            note=note,
        )
    return wave


def _snapshot(wave: CompetitivenessWave) -> dict[str, Any]:
    return {
        "name": wave.name,
        "surveyed_on": wave.surveyed_on.isoformat(),
        "note": wave.note,
        "operators": [
            {
                "operator": o.operator,
                "ours": o.ours,
                "subscribers": o.subscribers,
                "asked": o.asked,
                "choosing_us": o.choosing_us,
            }
            for o in wave.operators.all()
        ],
    }


def _rounded(figures: Competitiveness) -> dict[str, float | None]:
    market = None if figures.market is None else round(figures.market, 2)
    return {
        "index": round(figures.index, 2),
        "retention": round(figures.retention, 2),
        "market": market,
    }
