"""Customers: new and returning, repeat purchases, RFM segments with their members.

A customer is the order's customer record or, failing that, its phone number (by the phone's
blind index, as phones are encrypted: docs/adr/0008); orders with neither are anonymous and
left out here. RFM scores, over the counted orders in the range:

* R (recency, days from the last order to the end of the range): ≤14 → 5, ≤30 → 4, ≤60 → 3,
  ≤120 → 2, older → 1.
* F (frequency, orders): 1 → 1, 2 → 2, 3 → 3, 4-5 → 4, 6 or more → 5.
* M (monetary): quintile of revenue among the range's customers (1 lowest … 5 highest).

Segments, first match wins: champions (R≥4, F≥4); loyal (R≥3, F≥3); new (R≥4, F=1);
promising (R≥3); at risk — loyal customers who have not bought for a while (F≥3); lost.
"""

# The SQL is built from constants and model table names; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

import duckdb

from sinergi.insights.engine.duck import Filters, rows, where

SEGMENTS = ("champions", "loyal", "new", "promising", "at_risk", "lost")


def recency_score(days: int) -> int:
    for limit, score in ((14, 5), (30, 4), (60, 3), (120, 2)):
        if days <= limit:
            return score
    return 1


def frequency_score(orders: int) -> int:
    if orders >= 6:
        return 5
    if orders >= 4:
        return 4
    return orders


def segment(recency: int, frequency: int) -> str:
    """The segment of an R and F score (see the module's docstring)."""
    if recency >= 4 and frequency >= 4:
        return "champions"
    if recency >= 3 and frequency >= 3:
        return "loyal"
    if recency >= 4 and frequency == 1:
        return "new"
    if recency >= 3:
        return "promising"
    if frequency >= 3:
        return "at_risk"
    return "lost"


def customers(db: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, Any]:
    """New vs returning customers, the repeat-purchase rate and the RFM members."""
    condition, params = where(filters)
    summary = rows(
        db,
        f"""
        WITH first AS (
          SELECT customer_key, min(day) AS first_day FROM orders
          WHERE counted AND customer_key IS NOT NULL GROUP BY customer_key
        ),
        lifetime AS (
          SELECT customer_key, count(*) AS orders FROM orders
          WHERE counted AND customer_key IS NOT NULL AND day <= ? GROUP BY customer_key
        ),
        active AS (
          SELECT customer_key, count(*) AS orders, sum(revenue) AS revenue FROM orders
          WHERE {condition} AND customer_key IS NOT NULL GROUP BY customer_key
        )
        SELECT
          count(*) AS customers,
          count(*) FILTER (WHERE f.first_day >= ?) AS new_customers,
          count(*) FILTER (WHERE f.first_day < ?) AS returning_customers,
          coalesce(sum(a.revenue) FILTER (WHERE f.first_day >= ?), 0) AS new_revenue,
          coalesce(sum(a.revenue) FILTER (WHERE f.first_day < ?), 0) AS returning_revenue,
          count(*) FILTER (WHERE l.orders >= 2) AS repeat_customers
        FROM active a JOIN first f USING (customer_key) JOIN lifetime l USING (customer_key)
        """,
        [filters.end, *params, *([filters.start] * 4)],
    )[0]
    anonymous = db.execute(
        f"SELECT count(*) FROM orders WHERE {condition} AND customer_key IS NULL", params
    ).fetchone()
    result: dict[str, Any] = {key: int(value) for key, value in summary.items()}
    result["anonymous_orders"] = int(anonymous[0]) if anonymous else 0
    result["repeat_rate"] = (
        result["repeat_customers"] / result["customers"] if result["customers"] else 0.0
    )
    members = rfm(db, filters)
    result["members"] = members
    result["segments"] = [
        {
            "segment": name,
            "customers": sum(1 for member in members if member["segment"] == name),
            "revenue": sum(member["revenue"] for member in members if member["segment"] == name),
        }
        for name in SEGMENTS
    ]
    return result


def rfm(db: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """Every customer with counted orders in the range, scored and segmented.

    Rows name the buyer by ``customer_id`` (a customer record) or ``last_order_id`` (their
    latest order, for buyers known by phone only), not by name: names and phones are encrypted
    and read only for the rows a page shows (``sinergi.insights.contacts``)."""
    condition, params = where(filters, alias="o")
    found = rows(
        db,
        f"""
        WITH active AS (
          SELECT o.customer_key, max(o.day) AS last_day, count(*) AS orders,
                 sum(o.revenue) AS revenue,
                 max(o.id) AS last_order_id,
                 any_value(o.customer_id) AS customer_id
          FROM orders o WHERE {condition} AND o.customer_key IS NOT NULL
          GROUP BY o.customer_key
        )
        SELECT a.customer_key, a.last_day, a.orders, a.revenue, a.customer_id, a.last_order_id,
               ntile(5) OVER (ORDER BY a.revenue, a.customer_key) AS m
        FROM active a
        ORDER BY a.revenue DESC, a.customer_key
        """,
        params,
    )
    for row in found:
        row["revenue"] = int(row["revenue"])
        row["recency_days"] = (filters.end - row["last_day"]).days
        row["r"] = recency_score(row["recency_days"])
        row["f"] = frequency_score(int(row["orders"]))
        row["m"] = int(row["m"])
        row["segment"] = segment(row["r"], row["f"])
    return found
