"""The work-order tests start from what the migrations seed: the ten 95598 order types and
seed 004's escalation ladder."""

from __future__ import annotations

import pytest

from lingting.workorders.seeds import escalation_ladder_ensure, workorder_types_ensure


@pytest.fixture(autouse=True)
def seeded(db: None) -> None:
    """Seeded again for each test: a test that commits (a live server, a transactional
    test) ends with a flush, and pytest may run it before these."""
    workorder_types_ensure()
    escalation_ladder_ensure()
