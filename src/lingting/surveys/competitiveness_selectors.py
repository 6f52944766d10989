"""Reads of the service competitiveness index: the stored waves in order, each with its index
and two parts (engine.competitiveness) and its change against the wave before."""

from __future__ import annotations

from dataclasses import dataclass

from lingting.engine.competitiveness import (
    Competitiveness,
    CompetitivenessChange,
    OperatorAnswers,
    competitiveness,
    competitiveness_trend,
)
from lingting.surveys.models import CompetitivenessWave, WaveOperator


@dataclass(frozen=True, slots=True)
class OperatorLine:
    """One operator's term of the formula: the share of its users choosing us × its
    subscribers."""

    row: WaveOperator

    @property
    def share(self) -> float:
        return self.row.choosing_us / self.row.asked

    @property
    def weighted(self) -> float:
        return self.share * self.row.subscribers


@dataclass(frozen=True, slots=True)
class WaveFigures:
    wave: CompetitivenessWave
    lines: list[OperatorLine]  # ours first, then the rivals, the largest first
    figures: Competitiveness
    change: CompetitivenessChange | None  # against the wave before (the first: None)

    @property
    def ours(self) -> OperatorLine:
        return next(line for line in self.lines if line.row.ours)

    @property
    def rivals(self) -> list[OperatorLine]:
        return [line for line in self.lines if not line.row.ours]

    @property
    def subscribers(self) -> int:
        return sum(line.row.subscribers for line in self.lines)

    @property
    def rival_subscribers(self) -> int:
        return sum(line.row.subscribers for line in self.rivals)


def competitiveness_waves() -> list[WaveFigures]:
    """Every wave by its survey date, with its figures and their change since the wave
    before. The services store a wave only when it gives an index, so every one has one."""
    waves = list(CompetitivenessWave.objects.prefetch_related("operators"))
    lines = [[OperatorLine(row) for row in _in_order(wave)] for wave in waves]
    figures = [competitiveness([_answers(line.row) for line in rows]) for rows in lines]
    changes = competitiveness_trend(figures)
    return [
        WaveFigures(*wave_figures)
        for wave_figures in zip(waves, lines, figures, changes, strict=True)
    ]


def competitiveness_wave(wave_id: int) -> WaveFigures | None:
    return next((w for w in competitiveness_waves() if w.wave.pk == wave_id), None)


def _in_order(wave: CompetitivenessWave) -> list[WaveOperator]:
    """Ours, then the rivals by subscribers, largest first: as the seed's formula reads."""
    return sorted(wave.operators.all(), key=lambda row: (not row.ours, -row.subscribers))


def _answers(row: WaveOperator) -> OperatorAnswers:
    return OperatorAnswers(
        operator=row.operator,
        subscribers=row.subscribers,
        asked=row.asked,
        choosing_us=row.choosing_us,
        ours=row.ours,
    )
