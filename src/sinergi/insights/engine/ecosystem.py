"""Many shops at once, for the ecosystem views (partners and government see aggregates, never
a shop's customers): every shop's counted orders read in bulk as Arrow, and revenue, orders and
average order value per shop per month computed in DuckDB, each shop in its own time zone."""

# The SQL is built from constants and model table names; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

import duckdb
import pyarrow as pa

from sinergi.insights.engine.duck import NOT_COUNTED, rows
from sinergi.insights.engine.load import DEFAULT_TIME_ZONE, _epoch
from sinergi.insights.engine.source import Source, fetch, source_default, table

ORDERS = pa.schema(
    [
        ("organisation_id", pa.int64()),
        ("placed", pa.int64()),
        ("status", pa.string()),
        ("revenue", pa.int64()),
    ]
)
SHOPS = pa.schema([("organisation_id", pa.int64()), ("time_zone", pa.string())])
OFFSETS = {"Asia/Jakarta": 7 * 3600, "Asia/Makassar": 8 * 3600, "Asia/Jayapura": 9 * 3600}


def ecosystem_load(*, source: Source | None = None) -> tuple[pa.Table, pa.Table]:
    """Every shop's orders (id of the shop, time, status, revenue) and time zone."""
    source = source or source_default()
    orders = fetch(
        source,
        f"SELECT organisation_id, {_epoch(source.vendor, 'placed_at')}, status, "
        f"subtotal - discount FROM {table('Order')}",
        (),
        ORDERS,
    )
    shops = fetch(
        source,
        f"SELECT o.id, p.time_zone FROM {table('Organisation', 'accounts')} o "
        f"LEFT JOIN {table('Province', 'core')} p ON p.code = o.province_id "
        "WHERE o.kind = 'shop'",
        (),
        SHOPS,
    )
    return orders, shops


def shops_monthly(orders: pa.Table, shops: pa.Table) -> list[dict[str, Any]]:
    """Revenue, counted orders and average order value per shop per month."""
    db = duckdb.connect(":memory:")
    try:
        db.execute("SET threads TO 2")
        db.register("raw_orders", orders)
        db.register("raw_shops", shops)
        cases = " ".join(f"WHEN '{zone}' THEN {offset}" for zone, offset in OFFSETS.items())
        return rows(
            db,
            f"""
            SELECT o.organisation_id,
                   CAST(date_trunc('month', make_timestamp((o.placed + CASE
                       coalesce(s.time_zone, '{DEFAULT_TIME_ZONE}') {cases} ELSE 25200 END)
                       * 1000000)) AS DATE) AS month,
                   sum(o.revenue) AS revenue, count(*) AS orders,
                   round(sum(o.revenue) / count(*)) AS aov
            FROM raw_orders o LEFT JOIN raw_shops s USING (organisation_id)
            WHERE o.status NOT IN {NOT_COUNTED}
            GROUP BY 1, 2 ORDER BY 1, 2
            """,
        )
    finally:
        db.close()
