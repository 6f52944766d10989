"""Customers for callback campaigns read from the billing or CRM export (issue 17): the
fields, what a left-out field means, and each broken line's number and reason."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import orjson
import pytest

from lingting.engine.customer_records import (
    MAX_ATTRIBUTES,
    CustomerRecord,
    customer_record,
    read_customer_records,
)
from lingting.engine.reader import LineError, UnreadableFileError
from lingting.engine.records import RecordError

CSV_TEXT = (
    "code,name,phone,region,usage_last_month,products,installed_on,套餐\n"
    "C1001,张伟,+86 138-0013-8000,青阳,0,宽带|4G,2026-10-15,88元\n"
    "C1002,李娜,13900139000,东区,,,,\n"
)
CSV_CUSTOMERS = [
    (
        2,
        CustomerRecord(
            code="C1001",
            name="张伟",
            phone="13800138000",
            region="青阳",
            usage_last_month=0.0,
            products=("宽带", "4G"),
            days={"installed_on": date(2026, 10, 15)},
            attributes={"套餐": "88元"},
        ),
    ),
    (3, CustomerRecord(code="C1002", name="李娜", phone="13900139000", region="东区")),
]


def write_lines(path: Path, records: list[dict[str, object] | str]) -> str:
    lines = [r if isinstance(r, str) else orjson.dumps(r).decode() for r in records]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def test_a_utf8_csv_with_chinese_names_is_read_line_by_line(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(CSV_TEXT, encoding="utf-8")

    assert list(read_customer_records(str(path))) == CSV_CUSTOMERS


def test_a_gbk_csv_from_an_older_billing_system_reads_the_same(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(CSV_TEXT, encoding="gbk")

    assert list(read_customer_records(str(path))) == CSV_CUSTOMERS


def test_a_json_lines_export_is_read_with_blank_lines_skipped(tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "customers.jsonl",
        [
            {
                "code": "C2001",
                "name": "王芳",
                "phone": "0086 139 0013 9000",
                "usage_last_month": 12.5,
                "products": ["宽带", "IPTV"],
                "contract_ends_on": "2026/12/31",
                "last_complaint_on": "2026-11-02",
                "last_fault_on": "2026-11-20",
            },
            "",
            {"code": 2002, "phone": 13700137000},
        ],
    )

    assert list(read_customer_records(path)) == [
        (
            1,
            CustomerRecord(
                code="C2001",
                name="王芳",
                phone="13900139000",
                usage_last_month=12.5,
                products=("宽带", "IPTV"),
                days={
                    "contract_ends_on": date(2026, 12, 31),
                    "last_complaint_on": date(2026, 11, 2),
                    "last_fault_on": date(2026, 11, 20),
                },
            ),
        ),
        (3, CustomerRecord(code="2002", phone="13700137000")),
    ]


def test_each_broken_line_is_reported_with_its_number_and_the_others_come_through(
    tmp_path: Path,
) -> None:
    path = write_lines(
        tmp_path / "customers.jsonl",
        [
            {"code": "C1"},
            '{"code": "C2", "name": ',
            {"code": "C3", "installed_on": "15.10.2026"},
            {"code": "C4", "usage_last_month": -3},
            {"code": "C5", "phone": "请勿来电"},
            {"name": "没有编号"},
            {"code": "C7"},
        ],
    )

    items = list(read_customer_records(path))

    assert items[0] == (1, CustomerRecord(code="C1"))
    assert items[-1] == (7, CustomerRecord(code="C7"))
    errors = [item for item in items if isinstance(item, LineError)]
    assert [error.line for error in errors] == [2, 3, 4, 5, 6]
    assert errors[0].reason.startswith("not JSON")
    assert [error.reason for error in errors[1:]] == [
        "'installed_on' is not a date like 2026-10-01: '15.10.2026'",
        "'usage_last_month' must be a number from 0 to 1e+11",
        "'phone' is not a phone number: '请勿来电'",
        "missing 'code' (the customer's number, as contacts carry it)",
    ]
    assert "没有编号" in errors[4].text


def test_a_broken_csv_line_has_the_line_number_a_spreadsheet_shows(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(
        "code,name,usage_last_month\nC1,张伟,0\nC2,李娜,很多\n,无编号,1\nC4,赵磊,3\n",
        encoding="gbk",
    )

    items = list(read_customer_records(str(path)))

    assert items[0] == (2, CustomerRecord(code="C1", name="张伟", usage_last_month=0.0))
    assert isinstance(items[1], LineError)
    assert items[1].line == 3
    assert items[1].reason == "'usage_last_month' is not a number: '很多'"
    assert isinstance(items[2], LineError)
    assert items[2].line == 4
    assert "missing 'code'" in items[2].reason
    assert items[3] == (5, CustomerRecord(code="C4", name="赵磊", usage_last_month=3.0))


def test_a_csv_without_a_code_column_is_refused_whole(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text("name,phone\n张伟,13800138000\n", encoding="utf-8")

    with pytest.raises(UnreadableFileError, match="no code column"):
        list(read_customer_records(str(path)))


@pytest.mark.parametrize(
    "spelled",
    ["+86 138-0013-8000", "138 0013 8000", "0086-13800138000", "8613800138000", "(138)00138000"],
)
def test_a_phone_however_it_is_written_is_stored_as_its_digits(spelled: str) -> None:
    assert customer_record({"code": "C1", "phone": spelled}).phone == "13800138000"


def test_a_landline_with_its_area_code_keeps_every_digit() -> None:
    assert customer_record({"code": "C1", "phone": "0591-8765 4321"}).phone == "059187654321"


@pytest.mark.parametrize("spelled", ["12345", "无", "1" * 21])
def test_a_phone_that_is_not_a_number_is_refused(spelled: str) -> None:
    with pytest.raises(RecordError, match="'phone' is not a phone number"):
        customer_record({"code": "C1", "phone": spelled})


@pytest.mark.parametrize(
    ("products", "expected"),
    [
        ("宽带|4G", ("宽带", "4G")),
        ("宽带; 4G ;宽带", ("宽带", "4G")),
        ("宽带、IPTV，4G,IPTV", ("宽带", "IPTV", "4G")),
        (["宽带", " 4G ", "宽带", ""], ("宽带", "4G")),
    ],
)
def test_products_as_text_or_a_list_keep_their_order_without_duplicates(
    products: object, expected: tuple[str, ...]
) -> None:
    assert customer_record({"code": "C1", "products": products}).products == expected


@pytest.mark.parametrize("products", [{"宽带": 1}, ["宽带", 4], 4])
def test_products_that_are_neither_text_nor_a_list_of_texts_are_refused(products: object) -> None:
    with pytest.raises(RecordError, match="'products' must be text or a list of texts"):
        customer_record({"code": "C1", "products": products})


def test_other_fields_are_kept_as_text_attributes_and_empty_ones_dropped() -> None:
    record = customer_record(
        {
            "code": "C1",
            "套餐": " 88元 ",
            "积分": 1200,
            "月费": 88.0,
            "余额": 1234567.89,
            "折扣": 0.85,
            "备注": "",
            "经理": None,
        }
    )

    assert record.attributes == {
        "套餐": "88元",
        "积分": "1200",
        "月费": "88",
        "余额": "1234567.89",
        "折扣": "0.85",
    }


@pytest.mark.parametrize("value", [True, ["a"], {"a": 1}])
def test_an_attribute_that_is_neither_text_nor_a_number_is_refused(value: object) -> None:
    with pytest.raises(RecordError, match="'标签' must be text or a number"):
        customer_record({"code": "C1", "标签": value})


def test_more_other_fields_than_the_limit_are_refused() -> None:
    fields: dict[str, object] = {f"f{n}": "x" for n in range(MAX_ATTRIBUTES + 1)}

    with pytest.raises(RecordError, match=f"more than {MAX_ATTRIBUTES} other fields"):
        customer_record({"code": "C1", **fields})


def test_a_field_left_out_or_empty_leaves_what_is_stored_unchanged() -> None:
    left_out = customer_record({"code": "C1"})
    empty = customer_record(
        {
            "code": "C1",
            "name": "",
            "phone": "",
            "region": " ",
            "usage_last_month": "",
            "products": "",
            "installed_on": "",
        }
    )

    assert left_out == empty == CustomerRecord(code="C1")
    assert (left_out.name, left_out.phone, left_out.region) == ("", "", "")
    assert left_out.usage_last_month is None
    assert left_out.products is None
    assert left_out.days == {}
    assert left_out.attributes == {}


def test_zero_usage_is_a_value_not_a_field_left_out() -> None:
    assert customer_record({"code": "C1", "usage_last_month": 0}).usage_last_month == 0.0
    assert customer_record({"code": "C1", "usage_last_month": "0"}).usage_last_month == 0.0


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"code": "  "}, "missing 'code'"),
        ({"code": "C" * 129}, "'code' is longer than 128"),
        ({"code": "C1", "name": "张" * 129}, "'name' is longer than 128"),
        ({"code": "C1", "region": 3.5}, "'region' must be text"),
        ({"code": "C1", "usage_last_month": "nan"}, "'usage_last_month' must be a number from 0"),
        ({"code": "C1", "usage_last_month": True}, "'usage_last_month' must be a number"),
        ({"code": "C1", "usage_last_month": "12GB"}, "'usage_last_month' is not a number"),
        ({"code": "C1", "contract_ends_on": "2026-02-30"}, "'contract_ends_on' is not a date"),
        ({"code": "C1", "last_fault_on": 20261101}, "'last_fault_on' is not a date"),
        ({"code": "C1", "products": "宽带|" + "x" * 129}, "a product name is longer than 128"),
    ],
)
def test_a_bad_record_names_the_field_and_says_why(fields: dict[str, object], reason: str) -> None:
    with pytest.raises(RecordError, match=reason):
        customer_record(fields)
