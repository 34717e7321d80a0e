"""Revenue, orders and average order value over time, compared with earlier periods; the
channel mix and its trend."""

# The SQL is built from constants and model table names; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import duckdb

from sinergi.insights.engine.duck import Filters, rows, where

GRAINS = ("day", "week", "month")


def bucket_start(day: date, grain: str) -> date:
    """The first day of the day/week (Monday)/month holding ``day``."""
    if grain == "week":
        return day - timedelta(days=day.weekday())
    if grain == "month":
        return day.replace(day=1)
    return day


def buckets(filters: Filters, grain: str) -> list[date]:
    """Every bucket the range touches, in order, so that empty ones show as zero."""
    result: list[date] = []
    current = bucket_start(filters.start, grain)
    while current <= filters.end:
        result.append(current)
        if grain == "month":
            current = (current.replace(day=28) + timedelta(days=4)).replace(day=1)
        else:
            current += timedelta(days=7 if grain == "week" else 1)
    return result


def totals(db: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, int]:
    """Revenue, counted orders, average order value; returned and cancelled orders apart."""
    condition, params = where(filters)
    channel_sql = " AND channel = ?" if filters.channel else ""
    extra: list[Any] = [filters.channel] if filters.channel else []
    row = db.execute(
        f"""
        SELECT
          (SELECT coalesce(sum(revenue), 0) FROM orders WHERE {condition}),
          (SELECT count(*) FROM orders WHERE {condition}),
          (SELECT count(*) FROM orders WHERE status = 'returned' AND day BETWEEN ? AND ?
             {channel_sql}),
          (SELECT coalesce(sum(revenue), 0) FROM orders WHERE status = 'returned'
             AND day BETWEEN ? AND ? {channel_sql}),
          (SELECT count(*) FROM orders WHERE status = 'cancelled' AND day BETWEEN ? AND ?
             {channel_sql})
        """,
        [
            *params,
            *params,
            filters.start,
            filters.end,
            *extra,
            filters.start,
            filters.end,
            *extra,
            filters.start,
            filters.end,
            *extra,
        ],
    ).fetchone()
    assert row is not None
    revenue, orders = int(row[0]), int(row[1])
    return {
        "revenue": revenue,
        "orders": orders,
        "aov": round(revenue / orders) if orders else 0,
        "returned_orders": int(row[2]),
        "returned_revenue": int(row[3]),
        "cancelled_orders": int(row[4]),
    }


def series(db: duckdb.DuckDBPyConnection, filters: Filters, grain: str) -> list[dict[str, Any]]:
    """Revenue, orders and average order value per bucket (empty buckets are zero)."""
    condition, params = where(filters)
    found = {
        row["bucket"]: row
        for row in rows(
            db,
            f"""
            SELECT CAST(date_trunc('{grain}', day) AS DATE) AS bucket,
                   sum(revenue) AS revenue, count(*) AS orders
            FROM orders WHERE {condition} GROUP BY 1
            """,
            params,
        )
    }
    result = []
    for bucket in buckets(filters, grain):
        row = found.get(bucket, {})
        revenue, orders = int(row.get("revenue") or 0), int(row.get("orders") or 0)
        result.append(
            {
                "bucket": bucket,
                "revenue": revenue,
                "orders": orders,
                "aov": round(revenue / orders) if orders else 0,
            }
        )
    return result


def sales(db: duckdb.DuckDBPyConnection, filters: Filters, grain: str) -> dict[str, Any]:
    """The sales page: totals now, the previous period, the same period last year; series."""
    last_year = filters.last_year()
    current = series(db, filters, grain)
    before = series(db, last_year, grain)
    for index, row in enumerate(current):
        row["revenue_last_year"] = before[index]["revenue"] if index < len(before) else None
    return {
        "grain": grain,
        "current": totals(db, filters),
        "previous": totals(db, filters.previous()),
        "last_year": totals(db, last_year),
        "series": current,
    }


def channels(db: duckdb.DuckDBPyConnection, filters: Filters, grain: str) -> dict[str, Any]:
    """Revenue and orders per channel (the mix) and per channel per bucket (the trend)."""
    condition, params = where(filters)
    mix = rows(
        db,
        f"""
        SELECT channel, sum(revenue) AS revenue, count(*) AS orders
        FROM orders WHERE {condition} GROUP BY channel ORDER BY revenue DESC, channel
        """,
        params,
    )
    total = sum(int(row["revenue"]) for row in mix)
    for row in mix:
        row["revenue"] = int(row["revenue"])
        row["share"] = row["revenue"] / total if total else 0.0
        row["aov"] = round(row["revenue"] / row["orders"]) if row["orders"] else 0
    previous_condition, previous_params = where(filters.previous())
    before = {
        row["channel"]: int(row["revenue"])
        for row in rows(
            db,
            f"SELECT channel, sum(revenue) AS revenue FROM orders WHERE {previous_condition} "
            "GROUP BY channel",
            previous_params,
        )
    }
    for row in mix:
        row["revenue_previous"] = before.get(row["channel"], 0)
    trend_rows = rows(
        db,
        f"""
        SELECT CAST(date_trunc('{grain}', day) AS DATE) AS bucket, channel,
               sum(revenue) AS revenue
        FROM orders WHERE {condition} GROUP BY 1, 2
        """,
        params,
    )
    cells = {(row["bucket"], row["channel"]): int(row["revenue"]) for row in trend_rows}
    all_buckets = buckets(filters, grain)
    trend = {
        row["channel"]: [cells.get((bucket, row["channel"]), 0) for bucket in all_buckets]
        for row in mix
    }
    return {"grain": grain, "mix": mix, "total": total, "buckets": all_buckets, "trend": trend}
