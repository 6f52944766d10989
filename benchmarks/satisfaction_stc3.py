"""Does `satisfaction_predicted` agree with people? Spearman against STC-3's annotators.

    .venv/bin/python benchmarks/satisfaction_stc3.py [--data DIR]

STC-3 DCH-1 (../shared/data/stc3/, see its README): 390 Weibo customer↔helpdesk dialogues,
each judged by 19 annotators for the customer's satisfaction (S, −2..2). Prints Spearman's ρ
between the annotators' mean S and (a) `satisfaction_predicted`, (b) the standard
scorecard's score, plus how the predictions spread. Issue 15's target: ρ ≥ 0.3.

STC-3 is for evaluation only: nothing in Lingting is fitted or tuned to these annotations.
"""

from __future__ import annotations

import argparse
import statistics
from datetime import UTC
from pathlib import Path

import orjson
from scipy.stats import spearmanr

from lingting.engine.contacts import contact_from_record
from lingting.engine.meaning import contact_meaning
from lingting.engine.scorecard_yaml import builtin_scorecard

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "stc3"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args()
    judged = _mean_satisfaction(args.data / "stc3-nddq-test-annotations.json")
    scorecard = builtin_scorecard().compile()
    predicted: list[float] = []
    scores: list[float] = []
    people: list[float] = []
    unpredicted = 0
    for line in (args.data / "stc3_dch1_test_cn.jsonl").read_bytes().splitlines():
        contact = contact_from_record(orjson.loads(line), tz=UTC)
        mean_s = judged.get(contact.id.removeprefix("STC3-"))
        if mean_s is None:
            continue
        satisfaction = contact_meaning(contact).satisfaction
        if satisfaction is None:
            unpredicted += 1
            continue
        predicted.append(satisfaction.value)
        scores.append(scorecard.score(contact).score)
        people.append(mean_s)
    rho_predicted = spearmanr(predicted, people).statistic
    rho_score = spearmanr(scores, people).statistic
    print(
        f"{len(people)} dialogues with annotators' satisfaction ({unpredicted} without a customer)"
    )
    print(
        f"Spearman ρ, satisfaction_predicted vs annotators' mean S: {rho_predicted:.3f}"
        "  (target ≥ 0.3)"
    )
    print(f"Spearman ρ, standard scorecard score vs annotators' mean S: {rho_score:.3f}")
    quartiles = statistics.quantiles(predicted, n=4)
    print(f"predicted: mean {statistics.mean(predicted):.2f}, quartiles {quartiles}")


def _mean_satisfaction(path: Path) -> dict[str, float]:
    dialogues = orjson.loads(path.read_bytes())
    return {
        str(dialogue["id"]): statistics.mean(a["quality"]["S"] for a in dialogue["annotations"])
        for dialogue in dialogues
    }


if __name__ == "__main__":
    main()
