"""The engine's value classes behave as the named tuples they replaced: by value."""

import pickle

from lingting.engine.contacts import Turn
from lingting.engine.results import Evidence
from lingting.engine.rules.verdicts import PASS, Verdict


def test_records_with_the_same_fields_are_equal_and_hash_alike() -> None:
    one = Evidence(2, "agent", 0, 4, "您好", 1.5)
    assert one == Evidence(2, "agent", 0, 4, "您好", 1.5)
    assert one != Evidence(2, "agent", 0, 4, "您好")
    assert one != Turn(2, "agent", "您好")  # another class is never equal
    assert len({one, Evidence(2, "agent", 0, 4, "您好", 1.5)}) == 1


def test_a_record_reads_as_its_fields() -> None:
    turn = Turn(0, "customer", "我要投诉", 1.0, 2.5)
    assert repr(turn) == "Turn(index=0, speaker='customer', text='我要投诉', start=1.0, end=2.5)"
    index, speaker, text, start, end = turn
    assert (index, speaker, text, start, end) == (0, "customer", "我要投诉", 1.0, 2.5)


def test_replace_copies_with_changes_and_leaves_the_original() -> None:
    turn = Turn(0, "customer", "我要投诉")
    changed = turn._replace(text="算了", end=3.0)
    assert changed == Turn(0, "customer", "算了", None, 3.0)
    assert turn.text == "我要投诉"


def test_records_survive_pickling() -> None:
    """Results cross process boundaries (task workers, the parallel scorer's parts)."""
    verdict = Verdict("fail", (Evidence(1, "agent", 0, 2, "喂"),), "说了禁语", 2)
    assert pickle.loads(pickle.dumps(verdict)) == verdict


def test_verdicts_key_a_cache_by_value() -> None:
    """The scorer caches results by a contact's verdicts: a fresh verdict equal to a
    cached one finds it, one differing in any field does not."""
    cache = {(PASS, Verdict("na", detail="没有时间信息")): "cached"}
    assert cache.get((Verdict("pass"), Verdict("na", detail="没有时间信息"))) == "cached"
    assert cache.get((Verdict("pass"), Verdict("na", detail="没有客户"))) is None
    assert cache.get((Verdict("pass", hits=1), Verdict("na", detail="没有时间信息"))) is None
    evidence = (Evidence(0, "agent", 0, 1, "喂"),)
    assert Verdict("fail", evidence) == Verdict("fail", evidence)
    assert Verdict("fail", evidence) != Verdict("fail")
