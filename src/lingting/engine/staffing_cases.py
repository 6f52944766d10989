"""The cases of `lingting erlang` (FORMATS.md, "Staffing"): one JSON object per line in,
one result object per line out.

A case is checked whole before anything is computed, and a bad one is refused with a reason
a planner can act on ("targets.max_abandon is for erlang_a"), never half-answered. Numbers
must be JSON numbers: "20" in quotes is refused rather than guessed at.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from lingting.engine.erlang import AbandonmentFigures, ErlangError, QueueFigures, ServiceLevelBasis
from lingting.engine.staffing import (
    BlockingFigures,
    Figures,
    Model,
    Queue,
    Targets,
    evaluate,
    scheduled_agents,
    staff,
)

TARGET_NAMES = ("service_level", "asa_s", "max_occupancy", "max_abandon", "max_blocking")


class CaseError(ValueError):
    """A case that cannot be computed; the message says which field and why."""


@dataclass(frozen=True, slots=True)
class StaffingCase:
    id: str | int
    queue: Queue
    agents: int | None  # evaluate this many, or
    targets: Targets | None  # find the fewest that meet these
    shrinkage: float | None


def case_id(raw: Any) -> str | int | None:
    """The case's id where it has a usable one, for the errors file."""
    if isinstance(raw, dict):
        value = raw.get("id")
        if isinstance(value, str | int) and not isinstance(value, bool):
            return value
    return None


def parse_case(raw: Any) -> StaffingCase:
    if not isinstance(raw, dict):
        raise CaseError("a case must be a JSON object")
    identifier = case_id(raw)
    if identifier is None:
        raise CaseError("id is missing (a string that names the case)")
    model = _model(raw.get("model"))
    agents = raw.get("agents")
    targets = raw.get("targets")
    if (agents is None) == (targets is None):
        raise CaseError("give either agents (to evaluate) or targets (to staff), not both")
    queue = Queue(
        model=model,
        traffic=_traffic(raw),
        aht_s=_optional_number(raw, "aht_s", above=0),
        patience_s=_patience(raw, model),
        answer_within_s=_optional_number(raw, "answer_within_s", at_least=0),
        basis=_basis(raw.get("service_level_basis")),
        short_abandon_s=_optional_number(raw, "short_abandon_s", at_least=0) or 0.0,
    )
    if model is Model.ERLANG_A and queue.aht_s is None:
        raise CaseError("erlang_a needs aht_s: patience is in seconds, the load in Erlangs")
    shrinkage = _optional_number(raw, "shrinkage", at_least=0)
    if shrinkage is not None and shrinkage >= 1:
        raise CaseError(f"shrinkage must be below 1 (a share of paid time), not {shrinkage}")
    return StaffingCase(
        id=identifier,
        queue=queue,
        agents=None if agents is None else _agents(agents),
        targets=None if targets is None else _targets(targets),
        shrinkage=shrinkage,
    )


def solve_case(case: StaffingCase) -> dict[str, Any]:
    """The result line of a parsed case; CaseError where the numbers cannot be met."""
    try:
        if case.targets is not None:
            figures = staff(case.queue, case.targets).figures
        else:
            assert case.agents is not None
            figures = evaluate(case.queue, case.agents)
    except ErlangError as exc:
        raise CaseError(str(exc)) from exc
    result: dict[str, Any] = {
        "id": case.id,
        "traffic_erlangs": case.queue.traffic,
        "agents": figures.agents,
    }
    if case.shrinkage is not None:
        result["scheduled_agents"] = scheduled_agents(figures.agents, case.shrinkage)
    result.update(_figures(figures))
    return result


def _figures(figures: Figures) -> dict[str, Any]:
    if isinstance(figures, BlockingFigures):
        return {"blocking_probability": figures.blocking_probability}
    shared = {"waiting_probability": figures.waiting_probability}
    if isinstance(figures, QueueFigures):
        return shared | {
            "service_level": figures.service_level,
            "asa_s": figures.asa_s,
            "occupancy": figures.occupancy,
        }
    assert isinstance(figures, AbandonmentFigures)
    return shared | {
        "abandon_probability": figures.abandon_probability,
        "service_level": figures.service_level,
        "asa_s": figures.asa_s,
        "mean_wait_s": figures.mean_wait_s,
        "occupancy": figures.occupancy,
    }


def _model(value: Any) -> Model:
    try:
        return Model(value)
    except ValueError:
        names = ", ".join(model.value for model in Model)
        raise CaseError(f"model must be one of {names}, not {value!r}") from None


def _basis(value: Any) -> ServiceLevelBasis:
    if value is None:
        return ServiceLevelBasis.OFFERED
    try:
        return ServiceLevelBasis(value)
    except ValueError:
        names = ", ".join(basis.value for basis in ServiceLevelBasis)
        raise CaseError(f"service_level_basis must be one of {names}, not {value!r}") from None


def _traffic(raw: dict[str, Any]) -> float:
    """The offered load: traffic_erlangs, or calls × aht_s ÷ interval_s."""
    direct = _optional_number(raw, "traffic_erlangs", at_least=0)
    calls = _optional_number(raw, "calls", at_least=0)
    if (direct is None) == (calls is None):
        raise CaseError("give the load as calls (with interval_s and aht_s) or traffic_erlangs")
    if direct is not None:
        return direct
    assert calls is not None
    interval = _optional_number(raw, "interval_s", above=0)
    aht = _optional_number(raw, "aht_s", above=0)
    if interval is None or aht is None:
        raise CaseError("calls need interval_s and aht_s to make a load")
    return calls * aht / interval


def _patience(raw: dict[str, Any], model: Model) -> float | None:
    patience = _optional_number(raw, "patience_s", above=0)
    if model is Model.ERLANG_A and patience is None:
        raise CaseError("erlang_a needs patience_s, the callers' mean patience in seconds")
    return patience


def _agents(value: Any) -> int:
    if _is_number(value) and float(value).is_integer() and value >= 0:
        return int(value)
    raise CaseError(f"agents must be a whole number, 0 or more, not {value!r}")


def _targets(value: Any) -> Targets:
    if not isinstance(value, dict) or not value:
        raise CaseError("targets must be an object naming at least one target")
    unknown = sorted(set(value) - set(TARGET_NAMES))
    if unknown:
        raise CaseError(f"unknown target {unknown[0]!r} (targets are {', '.join(TARGET_NAMES)})")
    numbers = {name: _optional_number(value, name, label=f"targets.{name}") for name in value}
    return Targets(**numbers)


def _optional_number(
    raw: dict[str, Any],
    name: str,
    *,
    above: float | None = None,
    at_least: float | None = None,
    label: str | None = None,
) -> float | None:
    value = raw.get(name)
    if value is None:
        return None
    label = label or name
    if not _is_number(value) or not math.isfinite(value):
        raise CaseError(f"{label} must be a number, not {value!r}")
    if above is not None and not value > above:
        raise CaseError(f"{label} must be above {above:g}, not {value}")
    if at_least is not None and not value >= at_least:
        raise CaseError(f"{label} must be {at_least:g} or more, not {value}")
    return float(value)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
