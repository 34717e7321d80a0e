"""Every table on the insights pages, as columns that both the pages' exports (CSV, XLSX)
and the tests use."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.insights.contacts import members_named
from sinergi.insights.segments import ADVICE


@dataclass(frozen=True)
class Column:
    key: str
    label: str | Promise


@dataclass(frozen=True)
class Table:
    """One exportable table: the page it comes from, its rows, its columns; ``personal`` tables
    hold customers' names and phone numbers and only the owner may export them."""

    name: str
    page: str
    title: str | Promise
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]]
    columns: tuple[Column, ...]
    personal: bool = False


def _customers(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            **member,
            "segment_label": str(ADVICE[member["segment"]].label),
            "action": str(ADVICE[member["segment"]].action),
        }
        # Names and phones are encrypted; the export reads them for every member it holds.
        for member in members_named(data.get("members", []))
    ]


TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            "sales",
            "sales",
            _("Sales over time"),
            lambda d: d.get("series", []),
            (
                Column("bucket", _("Period from")),
                Column("revenue", _("Revenue (Rp)")),
                Column("orders", _("Orders")),
                Column("aov", _("Average order (Rp)")),
                Column("revenue_last_year", _("Revenue a year earlier (Rp)")),
            ),
        ),
        Table(
            "products",
            "products",
            _("Products"),
            lambda d: d.get("products", []),
            (
                Column("rank", _("Rank")),
                Column("product", _("Product")),
                Column("quantity", _("Quantity")),
                Column("revenue", _("Revenue (Rp)")),
                Column("share", _("Share of revenue")),
                Column("abc", _("ABC class")),
                Column("orders", _("Orders")),
                Column("margin", _("Margin (Rp)")),
                Column("margin_rate", _("Margin rate")),
            ),
        ),
        Table(
            "slow_movers",
            "products",
            _("Slow movers"),
            lambda d: d.get("slow", []),
            (
                Column("product", _("Product")),
                Column("variant", _("Variant")),
                Column("sku", _("SKU")),
                Column("available", _("Available")),
                Column("last_day", _("Last sold")),
                Column("days_since", _("Days since")),
                Column("stock_value", _("Stock value at price (Rp)")),
            ),
        ),
        Table(
            "channels",
            "channels",
            _("Channels"),
            lambda d: d.get("mix", []),
            (
                Column("channel", _("Channel")),
                Column("revenue", _("Revenue (Rp)")),
                Column("orders", _("Orders")),
                Column("share", _("Share of revenue")),
                Column("aov", _("Average order (Rp)")),
                Column("revenue_previous", _("Revenue in the previous period (Rp)")),
            ),
        ),
        Table(
            "customers",
            "customers",
            _("Customer segments"),
            _customers,
            (
                Column("name", _("Name")),
                Column("phone", _("Phone")),
                Column("segment_label", _("Segment")),
                Column("orders", _("Orders")),
                Column("revenue", _("Revenue (Rp)")),
                Column("last_day", _("Last order")),
                Column("recency_days", _("Days since")),
                Column("r", "R"),
                Column("f", "F"),
                Column("m", "M"),
                Column("action", _("Suggested action")),
            ),
            personal=True,
        ),
        Table(
            "basket",
            "basket",
            _("Bought together"),
            lambda d: d.get("pairs", []),
            (
                Column("product_a", _("Product A")),
                Column("product_b", _("Product B")),
                Column("orders", _("Orders with both")),
                Column("support", _("Support")),
                Column("confidence_ab", _("Confidence A→B")),
                Column("confidence_ba", _("Confidence B→A")),
                Column("lift", _("Lift")),
            ),
        ),
        Table(
            "restock",
            "restock",
            _("Restock advice"),
            lambda d: d.get("restock", []),
            (
                Column("product", _("Product")),
                Column("variant", _("Variant")),
                Column("sku", _("SKU")),
                Column("available", _("Available")),
                Column("sold_28", _("Sold in 28 days")),
                Column("per_day", _("Forecast per day")),
                Column("cover_days", _("Stock cover (days)")),
                Column("reorder", _("Suggested reorder")),
                Column("method", _("Forecast method")),
            ),
        ),
    )
}

_FORMULA = re.compile(r"^[=@\t\r]|^[+-](?![\d ])")


def _cell(value: Any) -> Any:
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, str) and _FORMULA.match(value):
        # Spreadsheet programs run cells that start like a formula.
        return "'" + value
    return value


def table_csv(table: Table, data: dict[str, Any]) -> bytes:
    """The table as CSV (UTF-8 with a byte-order mark, which Excel needs)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([str(column.label) for column in table.columns])
    for row in table.rows(data):
        writer.writerow(
            ["" if row.get(c.key) is None else _cell(row.get(c.key)) for c in table.columns]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def table_xlsx(table: Table, data: dict[str, Any]) -> bytes:
    """The table as an Excel workbook with one sheet."""
    from openpyxl import Workbook  # noqa: PLC0415

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(str(table.title)[:31])
    sheet.append([str(column.label) for column in table.columns])
    for row in table.rows(data):
        values = []
        for column in table.columns:
            value = row.get(column.key)
            values.append(value if isinstance(value, date) else _cell(value))
        sheet.append(values)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
