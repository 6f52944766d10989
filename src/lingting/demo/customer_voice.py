"""Demo steps of issue 17's customer voice: seed 004 篇1's service competitiveness index
over three choice-intention waves, and its fixed-customer panel called back twice.

Everything goes through the same services as the pages; a second run leaves it as it is.
"""

from __future__ import annotations

from datetime import date

from lingting.core.models import User
from lingting.engine.competitiveness import OperatorAnswers
from lingting.surveys.models import CompetitivenessWave
from lingting.surveys.services.competitiveness import WaveDetails, competitiveness_wave_save

# Three half-yearly 口碑测评 waves of a mobile market like seed 004's Shanghai: our share
# of each operator's users who would choose us, with the subscribers (万户) of the time.
# Retention rises wave by wave while the rivals' users drift a little, as in the seed
# (维系竞争力 +4.4%, 市场竞争力 −0.7%).
INDEX_WAVES = (
    (
        "2025年下半年口碑测评",
        (
            ("畅联", True, 980, 400, 322),
            ("移动", False, 2650, 400, 41),
            ("电信", False, 760, 300, 27),
        ),
    ),
    (
        "2026年上半年口碑测评",
        (
            ("畅联", True, 1010, 400, 335),
            ("移动", False, 2620, 400, 40),
            ("电信", False, 790, 300, 25),
        ),
    ),
    (
        "2026年下半年口碑测评",
        (
            ("畅联", True, 1045, 400, 351),
            ("移动", False, 2600, 400, 38),
            ("电信", False, 820, 300, 24),
        ),
    ),
)


def demo_competitiveness(*, users: dict[str, User], today: date) -> str:
    """The index over three waves, the last one this half-year."""
    if CompetitivenessWave.objects.exists():
        return "competitiveness index: already there"
    for number, (name, operators) in enumerate(INDEX_WAVES):
        months_ago = 6 * (len(INDEX_WAVES) - 1 - number)
        competitiveness_wave_save(
            actor=users["manager_chen"],
            wave=None,
            details=WaveDetails(
                name=name,
                surveyed_on=_months_before(today, months_ago).replace(day=15),
                note="三家运营商用户对畅联的选择意向（电话访问）",
            ),
            operators=[
                OperatorAnswers(
                    operator=operator,
                    subscribers=subscribers * 10_000,
                    asked=asked,
                    choosing_us=choosing,
                    ours=ours,
                )
                for operator, ours, subscribers, asked, choosing in operators
            ],
        )
    return f"competitiveness index: {len(INDEX_WAVES)} waves"


def _months_before(day: date, months: int) -> date:
    month = day.year * 12 + day.month - 1 - months
    return date(month // 12, month % 12 + 1, 1)
