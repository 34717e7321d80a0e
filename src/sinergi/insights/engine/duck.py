"""The DuckDB side: one in-memory connection per computation, the shop's Arrow tables
registered in it, and the views every metric starts from.

Which orders count (written on every page): cancelled and returned orders are left out of
revenue, order counts and everything derived from them; returned orders are reported on their
own. Revenue of an order is its goods value after the order discount (subtotal - discount),
without shipping. A product's revenue is the sum of its lines (before order discounts).
"""

# The SQL is built from constants and model table names; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import duckdb

from sinergi.insights.engine.load import ShopData

NOT_COUNTED = ("cancelled", "returned")


@dataclass(frozen=True)
class Filters:
    """A date range (both ends included, the shop's calendar days) and optionally one channel."""

    start: date
    end: date
    channel: str = ""

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def previous(self) -> Filters:
        """The period of the same length just before."""
        return Filters(
            self.start - timedelta(days=self.days), self.start - timedelta(days=1), self.channel
        )

    def last_year(self) -> Filters:
        """The same calendar days one year earlier (29 February becomes 28 February)."""
        return Filters(_year_back(self.start), _year_back(self.end), self.channel)

    def key(self) -> str:
        return f"{self.start.isoformat()}:{self.end.isoformat()}:{self.channel}"


def _year_back(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def where(filters: Filters, *, alias: str = "") -> tuple[str, list[Any]]:
    """The SQL condition (and parameters) selecting counted orders inside ``filters``."""
    prefix = f"{alias}." if alias else ""
    sql = f"{prefix}counted AND {prefix}day BETWEEN ? AND ?"
    params: list[Any] = [filters.start, filters.end]
    if filters.channel:
        sql += f" AND {prefix}channel = ?"
        params.append(filters.channel)
    return sql, params


def connect(data: ShopData) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the shop's tables and the base views ``orders`` and ``lines``."""
    db = duckdb.connect(":memory:")
    db.execute("SET threads TO 2")
    for name in ("orders", "lines", "variants", "stock", "customers"):
        db.register(f"raw_{name}", getattr(data, name))
    offset = data.utc_offset_seconds
    db.execute(
        f"""
        CREATE VIEW orders AS
        SELECT id, channel, status,
               status NOT IN {NOT_COUNTED} AS counted,
               CAST(make_timestamp((placed + {offset}) * 1000000) AS DATE) AS day,
               subtotal - discount AS revenue,
               CASE WHEN customer_id IS NOT NULL THEN 'c' || customer_id
                    WHEN coalesce(customer_phone_digest, '') <> ''
                      THEN 'p' || customer_phone_digest END
                 AS customer_key,
               customer_id
        FROM raw_orders
        """
    )
    db.execute(
        f"""
        CREATE VIEW lines AS
        SELECT l.order_id, l.variant_id, l.quantity, l.line_total, l.unit_cost,
               coalesce('p' || v.product_id, 'n' || l.product_name) AS product_key,
               coalesce(v.product, l.product_name) AS product,
               CAST(make_timestamp((l.placed + {offset}) * 1000000) AS DATE) AS day,
               l.channel, l.status NOT IN {NOT_COUNTED} AS counted
        FROM raw_lines l
        LEFT JOIN raw_variants v ON v.variant_id = l.variant_id
        """
    )
    return db


def rows(
    db: duckdb.DuckDBPyConnection, sql: str, params: list[Any] | None = None
) -> list[dict[str, Any]]:
    """A query's rows as dictionaries."""
    cursor = db.execute(sql, params or [])
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
