"""Reading spreadsheets: header detection, row numbers, money, dates — pure, no database."""

from datetime import datetime

import pytest

from sinergi.commerce.imports import marketplace
from sinergi.commerce.imports.tables import (
    JAKARTA,
    TableError,
    parse_datetime,
    parse_quantity,
    parse_rupiah,
    table_read,
)
from tests.commerce.imports_support import csv_to_xlsx, fixture_bytes


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        (12500, 12500),
        (12500.0, 12500),
        ("Rp 12.500", 12500),
        ("12,500", 12500),
        ("1.250.000", 1250000),
        ("IDR 85.000,00", 85000),
        ("0", 0),
    ],
)
def test_rupiah_amounts_in_the_ways_exports_write_them(cell, expected):
    assert parse_rupiah(cell) == expected


@pytest.mark.parametrize("cell", ["", "12.5", "abc", "-5", 12.5, "1.2.3"])
def test_what_is_not_an_amount_is_refused(cell):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_rupiah(cell)


@pytest.mark.parametrize("cell", ["0", "-1", "dua", "1.5", ""])
def test_quantities_are_whole_and_positive(cell):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_quantity(cell)


def test_dates_are_read_as_jakarta_time():
    assert parse_datetime("02-01-2024 10:15:30") == datetime(2024, 1, 2, 10, 15, 30, tzinfo=JAKARTA)
    assert parse_datetime("2024-01-01 09:15") == datetime(2024, 1, 1, 9, 15, tzinfo=JAKARTA)


def test_header_below_title_lines_is_found_and_rows_keep_spreadsheet_numbers():
    table = marketplace.marketplace_read(
        fixture_bytes("tokopedia_orders.csv"), "laporan.csv", "tokopedia"
    )
    assert [row.number for row in table.rows] == [6, 7, 8]
    assert table.rows[0].text("order") == "INV/20240102/MPL/3600000001"


def test_xlsx_reads_like_csv():
    content = csv_to_xlsx(fixture_bytes("tokopedia_orders.csv"))
    table = marketplace.marketplace_read(content, "laporan.xlsx", "tokopedia")
    assert [row.number for row in table.rows] == [6, 7, 8]
    assert table.rows[1].text("quantity") == "2"


def test_a_file_without_the_columns_says_which_are_missing():
    with pytest.raises(TableError, match=r"No\. Pesanan"):
        marketplace.marketplace_read(b"a,b\n1,2\n", "x.csv", "shopee")


def test_other_file_types_are_refused():
    with pytest.raises(TableError, match=r"\.csv or \.xlsx"):
        table_read(b"x", "orders.pdf", columns={"a": ("a",)}, required=["a"])


def test_a_damaged_workbook_is_a_clear_error():
    with pytest.raises(TableError, match="Excel"):
        marketplace.marketplace_read(b"PK\x03\x04 not really", "x.xlsx", "shopee")


def test_shopee_rows_are_grouped_into_orders_with_our_statuses():
    table = marketplace.marketplace_read(fixture_bytes("shopee_orders.csv"), "x.csv", "shopee")
    orders = {o.external_id: o for o in marketplace.marketplace_orders(table, "shopee")}

    first = orders["240101ABCD01"]
    assert first.status == "completed"
    assert first.rows == [2, 3]
    assert [(line.sku, line.quantity, line.unit_price) for line in first.lines] == [
        ("KMJ-M", 2, 145000),
        ("KMJ-L", 1, 145000),
    ]
    assert (first.shipping_fee, first.total) == (10000, 445000)
    assert first.customer_phone == "+6281234567890"
    assert orders["240101ABCD02"].customer_phone == ""  # masked by Shopee
    assert orders["240101ABCD03"].status == "cancelled"
    assert orders["240101ABCD05"].errors == [
        {"row": 8, "message": 'Jumlah: "dua" is not a whole number above zero.'}
    ]


def test_tiktok_description_line_is_skipped_and_subtotals_become_unit_prices():
    table = marketplace.marketplace_read(fixture_bytes("tiktok_orders.csv"), "x.csv", "tiktok_shop")
    orders = marketplace.marketplace_orders(table, "tiktok_shop")
    assert [o.external_id for o in orders] == ["576461234567890001", "576461234567890002"]
    assert orders[0].lines[0].unit_price == 145000
    assert (orders[0].status, orders[1].status) == ("completed", "paid")
    assert orders[0].customer_phone == "+6281355556666"


def test_unknown_status_is_a_row_error_not_a_guess():
    content = fixture_bytes("tiktok_orders.csv").replace(b"Awaiting shipment", b"Teleported")
    table = marketplace.marketplace_read(content, "x.csv", "tiktok_shop")
    orders = marketplace.marketplace_orders(table, "tiktok_shop")
    assert orders[1].errors == [{"row": 4, "message": 'Unknown order status "Teleported".'}]
