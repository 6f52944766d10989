"""Topics (客户之声): cluster recent contacts into topics, and put new ones in the nearest.

`topics_refresh` runs daily (`lingting topics_refresh`, the scheduler's job "topics"). It
re-clusters the contacts of the last `TOPIC_WEEKS` weeks when there are no topics yet, when
the topics are older than `RECLUSTER_DAYS`, or when asked to; otherwise it only puts the
contacts that have no topic yet in their nearest existing topic, so that topic ids, and the
contacts in each, stay the same between clusterings and weeks can be compared.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from lingting.core.services import audit_record
from lingting.engine import topics as engine
from lingting.interactions.engine_contacts import engine_contacts_for
from lingting.interactions.models import Contact, ContactTopic, Topic

TOPIC_WEEKS = 8  # the contacts a clustering reads: enough weeks for a baseline
RECLUSTER_DAYS = 28  # how long topics last before subjects that appeared since get their own
CHUNK = 2000
WRITE_BATCH = 5000


@dataclass(frozen=True, slots=True)
class TopicsRefreshed:
    reclustered: bool
    topics: int  # topics there are now
    assigned: int  # contacts given a topic by this run
    without_topic: int  # contacts read that got none (only greetings, or like no topic)


def topics_refresh(
    *, now: datetime, recluster: bool = False, weeks: int = TOPIC_WEEKS
) -> TopicsRefreshed:
    """Re-cluster the last `weeks` weeks of contacts if due (see the module), else assign
    the contacts of those weeks that have no topic yet. Safe to run twice."""
    oldest = Topic.objects.order_by("created_at").values_list("created_at", flat=True).first()
    if recluster or oldest is None or oldest < now - timedelta(days=RECLUSTER_DAYS):
        return _recluster(now=now, weeks=weeks)
    return _assign_new(now=now, weeks=weeks)


def _window(*, now: datetime, weeks: int) -> Iterator[int]:
    return iter(
        Contact.objects.filter(
            started_at__gte=now - timedelta(weeks=weeks), started_at__lt=now, turn_count__gt=0
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=CHUNK)
    )


def _texts(contact_ids: Iterator[int]) -> dict[str, str]:
    """What each contact's customer wanted (engine.contact_text), by row id, read in chunks
    so that only the texts stay in memory."""
    texts: dict[str, str] = {}
    chunk: list[int] = []
    for contact_id in contact_ids:
        chunk.append(contact_id)
        if len(chunk) == CHUNK:
            texts.update(_chunk_texts(chunk))
            chunk = []
    texts.update(_chunk_texts(chunk))
    return texts


def _chunk_texts(ids: list[int]) -> dict[str, str]:
    return {str(pk): engine.contact_text(c) for pk, c in engine_contacts_for(contact_ids=ids)}


def _recluster(*, now: datetime, weeks: int) -> TopicsRefreshed:
    texts = _texts(_window(now=now, weeks=weeks))
    model = engine.find_topics_in_texts(texts)
    with transaction.atomic():
        ContactTopic.objects.all().delete()
        Topic.objects.all().delete()
        for topic in model.topics:
            row = Topic.objects.create(
                label=topic.label,
                keywords=list(topic.keywords),
                centroid=dict(topic.centroid),
                idf={w: model.idf[w] for w in topic.centroid if w in model.idf},
                created_at=now,
            )
            _link(row, topic.members)
        audit_record(
            actor=None,
            action="topics.recluster",
            object_type="topic",
            object_id="all",
            after={"topics": len(model.topics), "contacts": len(texts), "weeks": weeks},
        )
    assigned = sum(len(t.members) for t in model.topics)
    return TopicsRefreshed(
        reclustered=True,
        topics=len(model.topics),
        assigned=assigned,
        without_topic=len(texts) - assigned,
    )


def _link(topic: Topic, members: tuple[str, ...] | list[str]) -> None:
    ContactTopic.objects.bulk_create(
        [ContactTopic(contact_id=int(pk), topic=topic) for pk in members],
        batch_size=WRITE_BATCH,
        # A run started by hand beside the scheduled one may have filed the contact already.
        ignore_conflicts=True,
    )


def _assign_new(*, now: datetime, weeks: int) -> TopicsRefreshed:
    rows = list(Topic.objects.all())
    new = (
        Contact.objects.filter(
            started_at__gte=now - timedelta(weeks=weeks),
            started_at__lt=now,
            turn_count__gt=0,
            topic_link__isnull=True,
        )
        .order_by("pk")
        .values_list("pk", flat=True)
        .iterator(chunk_size=CHUNK)
    )
    texts = _texts(iter(new))
    idf = {w: float(v) for row in rows for w, v in row.idf.items()}
    topics = [
        engine.Topic(
            id=row.pk,
            keywords=tuple(row.keywords),
            label=row.label,
            members=(),
            centroid={w: float(v) for w, v in row.centroid.items()},
        )
        for row in rows
    ]
    nearest = engine.assign_texts(texts, topics, idf)
    by_topic: dict[int, list[str]] = {}
    for contact_id, topic_id in nearest.items():
        if topic_id is not None:
            by_topic.setdefault(topic_id, []).append(contact_id)
    with transaction.atomic():
        for row in rows:
            _link(row, by_topic.get(row.pk, []))
    assigned = sum(len(members) for members in by_topic.values())
    return TopicsRefreshed(
        reclustered=False, topics=len(rows), assigned=assigned, without_topic=len(texts) - assigned
    )
