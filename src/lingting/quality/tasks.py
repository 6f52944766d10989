"""Background scoring, run by the database-backed task worker (`lingting worker`).

The tasks score with the version in force and never activate one: `lingting import` and
`lingting rescore` see to it that one is (`scorecard_version_ensure_current`), and
activating a version enqueues `rescore_all` — so the services import this module, never
the other way round.
"""

from __future__ import annotations

import logging

from django.db.models import QuerySet
from django.tasks import task

from lingting.interactions.engine_contacts import contacts_without_current_score
from lingting.interactions.models import Contact
from lingting.interactions.services.import_batches import StoredContacts
from lingting.interactions.services.listening import recordings_listen
from lingting.quality.models import ScorecardVersion
from lingting.quality.selectors.scorecards import current_scorecard_version, versions_in_force_for
from lingting.quality.services.judge import contacts_judge
from lingting.quality.services.scoring import contacts_score

RESCORE_CHUNK = 2000

logger = logging.getLogger(__name__)


@task()
def score_contacts(contact_ids: list[int]) -> int:
    """Score these contacts with the active version of their scorecard (their queue's,
    else the standard one)."""
    if _version_in_force() is None:
        return 0
    return sum(
        contacts_score(contact_ids=ids, version=version)
        for version, ids in versions_in_force_for(contact_ids)
    )


@task()
def rescore_queue(queue_id: int) -> int:
    """Score a queue's contacts again with the scorecard now in force for it (its queue's
    scorecard was changed), a chunk per transaction."""
    return _score_in_chunks(Contact.objects.filter(queue_id=queue_id, turn_count__gt=0))


def _score_in_chunks(contacts: QuerySet[Contact]) -> int:
    """Score `contacts` a chunk per transaction, in rising id order, each passed once: a
    contact the scorecard leaves without a current result (it cannot happen today, but a
    loop must not depend on that) does not hold the loop."""
    scored = 0
    last_id = 0
    while True:
        chunk = list(
            contacts.filter(id__gt=last_id)
            .order_by("id")
            .values_list("id", flat=True)[:RESCORE_CHUNK]
        )
        if not chunk:
            return scored
        scored += score_contacts.call(chunk)
        last_id = chunk[-1]


def _version_in_force() -> ScorecardVersion | None:
    version = current_scorecard_version()
    if version is None:
        # Its activation will score every contact; nothing is lost by waiting for it.
        logger.warning("no scorecard is active yet: contacts are scored once one is")
    return version


@task()
def listen_and_score(contact_ids: list[int]) -> int:
    """Hear the recordings of these newly stored contacts, then score them: the rules on
    sound (dead air, interruptions, volume) judge what was heard, so scoring waits for it.
    A contact without a recording, or one heard since its file last changed, is scored at
    once."""
    recordings_listen(contact_ids=contact_ids)
    return int(score_contacts.call(contact_ids))


def score_after_import(*, in_process: bool) -> StoredContacts:
    """What an import calls once each batch commits: hear and score its new and changed
    transcripts here (`lingting import --sync`, the demo) or in the task worker."""

    def score(contact_ids: list[int]) -> None:
        if in_process:
            listen_and_score.call(contact_ids)
        else:
            listen_and_score.enqueue(contact_ids)

    return score


@task()
def rescore_all(version_id: int) -> int:
    """Score every contact that has a transcript with `version`, a chunk per transaction."""
    version = ScorecardVersion.objects.get(pk=version_id)
    scored = 0
    last_id = 0
    while version.is_active:
        chunk = list(
            Contact.objects.filter(id__gt=last_id, turn_count__gt=0)
            .order_by("id")
            .values_list("id", flat=True)[:RESCORE_CHUNK]
        )
        if not chunk:
            break
        scored += contacts_score(contact_ids=chunk, version=version)
        last_id = chunk[-1]
        # A newer activation enqueues its own re-score: stop this one as soon as it is stale.
        version.refresh_from_db(fields=["is_active"])
    return scored


@task()
def score_missing() -> int:
    """Score every contact with a transcript and no current result, a chunk per
    transaction: the safety net for contacts whose scoring was never sent (the process that
    stored them died first) or was lost (a crashed worker). Run by `lingting rescore
    --missing` and swept by the scheduler (LINGTING_SCHEDULE)."""
    version = _version_in_force()
    if version is None:
        return 0
    return _score_in_chunks(contacts_without_current_score())


@task()
def judge_contacts(contact_ids: list[int]) -> int:
    """Pre-score the manual items of contacts just handed to reviewers with the model judge
    (nothing when it is off): slow, remote and optional, so never on the scoring path."""
    return contacts_judge(contact_ids=contact_ids)
