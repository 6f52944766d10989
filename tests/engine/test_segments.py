"""Segments of customers by rules (issue 17): the fields and operators, `not`, comments,
errors that name their line, the text written back, and the days a `within N` covers."""

from __future__ import annotations

from datetime import date

import pytest

from lingting.engine.segments import (
    MAX_CONDITIONS,
    MAX_DAYS,
    Condition,
    FieldKind,
    SegmentRuleError,
    format_segment_rules,
    parse_segment_rules,
)

TODAY = date(2026, 12, 7)

SEED_003 = """
# zero-usage broadband customers who did not complain lately
usage_last_month = 0
product has 宽带   # only broadband
not complained within 30

installed_on within 30
"""


def one(line: str) -> Condition:
    (condition,) = parse_segment_rules(line)
    return condition


def test_the_docstring_example_reads_as_its_conditions_skipping_comments_and_blanks() -> None:
    assert parse_segment_rules(SEED_003) == (
        Condition("usage_last_month", "=", 0.0),
        Condition("product", "has", "宽带"),
        Condition("complained", "within", 30, negated=True),
        Condition("installed_on", "within", 30),
    )


def test_an_empty_segment_or_only_comments_has_no_conditions() -> None:
    assert parse_segment_rules("") == ()
    assert parse_segment_rules("# to be written\n\n   \n") == ()


@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">="])
def test_usage_compares_with_a_number(op: str) -> None:
    condition = one(f"usage_last_month {op} 12.5")

    assert condition == Condition("usage_last_month", op, 12.5)
    assert condition.kind is FieldKind.NUMBER


@pytest.mark.parametrize("name", ["installed_on", "contract_ends_on"])
@pytest.mark.parametrize("op", ["=", "!=", "<", "<=", ">", ">="])
def test_a_day_field_compares_with_a_day(name: str, op: str) -> None:
    assert one(f"{name} {op} 2026-11-01") == Condition(name, op, date(2026, 11, 1))


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("installed_on", FieldKind.PAST_DAY),
        ("contract_ends_on", FieldKind.FUTURE_DAY),
        ("complained", FieldKind.EVENT),
        ("fault_closed", FieldKind.EVENT),
        ("low_score", FieldKind.EVENT),
        ("contacted", FieldKind.EVENT),
    ],
)
def test_days_and_events_take_within_a_number_of_days(name: str, kind: FieldKind) -> None:
    condition = one(f"{name} within 60")

    assert condition == Condition(name, "within", 60)
    assert condition.kind is kind


def test_a_product_is_tested_with_has() -> None:
    assert one("product has 4G") == Condition("product", "has", "4G")


@pytest.mark.parametrize("op", ["=", "!="])
def test_region_and_attributes_compare_as_text_with_inner_spaces_kept(op: str) -> None:
    assert one(f"region {op} 青阳 东区") == Condition("region", op, "青阳 东区")
    attribute = one(f"attribute.套餐 {op} 88元")
    assert attribute == Condition("attribute.套餐", op, "88元")
    assert attribute.kind is FieldKind.TEXT


def test_not_turns_any_condition_round() -> None:
    assert one("not region = 青阳") == Condition("region", "=", "青阳", negated=True)
    assert one("not  usage_last_month > 0") == Condition("usage_last_month", ">", 0.0, True)


def test_an_error_names_the_line_and_the_problem() -> None:
    text = "usage_last_month = 0\n# a comment\n\nbalance > 3\n"

    with pytest.raises(SegmentRuleError, match=r"^line 4 \('balance > 3'\): unknown field"):
        parse_segment_rules(text)


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("balance > 3", "unknown field 'balance'"),
        ("attribute. = x", "unknown field 'attribute.'"),
        ("product = 宽带", "the operator must be one of has, not '='"),
        ("complained > 2026-11-01", "the operator must be one of within, not '>'"),
        ("region > 青阳", "the operator must be one of = !=, not '>'"),
        ("usage_last_month within 30", "not 'within'"),
        ("attribute.套餐 has 88元", "the operator must be one of = !=, not 'has'"),
        ("installed_on within thirty", "within takes a number of days from 1 to"),
        ("installed_on within 0", "within takes a number of days"),
        (f"installed_on within {MAX_DAYS + 1}", "within takes a number of days"),
        ("complained within 7.5", "within takes a number of days"),
        ("complained within -7", "within takes a number of days"),
        ("complained within ３０", "within takes a number of days"),
        ("installed_on >= 2026-02-30", "'2026-02-30' is not a day like 2026-11-01"),
        ("contract_ends_on < next month", "'next month' is not a day"),
        ("usage_last_month = zero", "'zero' is not a number"),
        ("usage_last_month < nan", "'nan' is not a number"),
        ("usage_last_month < inf", "'inf' is not a number"),
        ("region =", "region =: a value is missing"),
        ("product has   # forgot the name", "product has: a value is missing"),
        ("complained", "write a field, an operator and a value"),
    ],
)
def test_a_bad_line_says_what_is_wrong(line: str, problem: str) -> None:
    with pytest.raises(SegmentRuleError, match=r"^line 2 ") as raised:
        parse_segment_rules(f"usage_last_month = 0\n{line}")

    assert problem in str(raised.value)


def test_a_segment_has_at_most_the_limit_of_conditions() -> None:
    lines = "\n".join(f"contacted within {n}" for n in range(1, MAX_CONDITIONS + 1))

    assert len(parse_segment_rules(lines)) == MAX_CONDITIONS
    with pytest.raises(SegmentRuleError, match=f"more than {MAX_CONDITIONS} conditions"):
        parse_segment_rules(lines + "\nregion = 青阳")


def test_the_written_text_reads_back_as_the_same_conditions() -> None:
    text = """
    usage_last_month = 0
    usage_last_month < 1234567
    usage_last_month >= 0.25
    not installed_on within 30
    contract_ends_on <= 2027-01-31
    complained within 30
    not fault_closed within 7
    low_score within 90
    contacted within 14
    product has 宽带
    region != 青阳 东区
    attribute.套餐 = 88元
    """
    conditions = parse_segment_rules(text)

    written = format_segment_rules(conditions)

    assert parse_segment_rules(written) == conditions
    assert written.splitlines()[:3] == [
        "usage_last_month = 0",
        "usage_last_month < 1234567",
        "usage_last_month >= 0.25",
    ]
    assert "contract_ends_on <= 2027-01-31" in written
    assert "not installed_on within 30" in written


def test_within_a_past_day_covers_the_last_n_days_up_to_today() -> None:
    assert one("installed_on within 30").days_between(TODAY) == (date(2026, 11, 7), TODAY)
    assert one("not complained within 7").days_between(TODAY) == (date(2026, 11, 30), TODAY)


def test_within_a_contract_end_covers_the_next_n_days_from_today() -> None:
    assert one("contract_ends_on within 60").days_between(TODAY) == (TODAY, date(2027, 2, 5))


def test_only_a_within_condition_has_days_between() -> None:
    with pytest.raises(ValueError, match="is not a 'within N' condition"):
        one("installed_on >= 2026-11-01").days_between(TODAY)
