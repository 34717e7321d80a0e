"""Products often bought together: pairs of products in the same counted order.

support = orders with both / orders in the range; confidence A→B = orders with both / orders
with A; lift = confidence A→B / share of orders with B (above 1: bought together more often
than chance). Pairs seen in fewer than ``MIN_ORDERS`` orders are left out.
"""

# The SQL is built from constants and model table names; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

from typing import Any

import duckdb

from sinergi.insights.engine.duck import Filters, rows, where

MIN_ORDERS = 2
LIMIT = 50


def pairs(db: duckdb.DuckDBPyConnection, filters: Filters) -> dict[str, Any]:
    """The most frequent pairs, with support, confidence both ways and lift."""
    condition, params = where(filters)
    found = rows(
        db,
        f"""
        WITH items AS (
          SELECT DISTINCT order_id, product_key, product FROM lines WHERE {condition}
        ),
        counts AS (SELECT product_key, count(*) AS orders FROM items GROUP BY product_key),
        total AS (SELECT count(DISTINCT order_id) AS orders FROM items),
        together AS (
          SELECT a.product_key AS key_a, b.product_key AS key_b,
                 any_value(a.product) AS product_a, any_value(b.product) AS product_b,
                 count(*) AS orders
          FROM items a JOIN items b ON a.order_id = b.order_id AND a.product_key < b.product_key
          GROUP BY 1, 2 HAVING count(*) >= {MIN_ORDERS}
        )
        SELECT t.product_a, t.product_b, t.orders,
               ca.orders AS orders_a, cb.orders AS orders_b, total.orders AS total
        FROM together t
        JOIN counts ca ON ca.product_key = t.key_a
        JOIN counts cb ON cb.product_key = t.key_b
        CROSS JOIN total
        ORDER BY t.orders DESC, t.product_a, t.product_b
        LIMIT {LIMIT}
        """,
        params,
    )
    total_row = db.execute(
        f"SELECT count(DISTINCT order_id) FROM lines WHERE {condition}", params
    ).fetchone()
    for row in found:
        together, total = int(row["orders"]), int(row["total"])
        row["support"] = together / total
        row["confidence_ab"] = together / int(row["orders_a"])
        row["confidence_ba"] = together / int(row["orders_b"])
        row["lift"] = together * total / (int(row["orders_a"]) * int(row["orders_b"]))
    return {"pairs": found, "orders": int(total_row[0]) if total_row else 0}
