"""Products: best sellers, ABC classes, margin where the cost is known, slow movers."""

# The SQL is built from constants and model table names; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

from datetime import timedelta
from typing import Any

import duckdb

from sinergi.insights.engine.duck import Filters, rows, where

# ABC: products sorted by revenue, highest first. A product is class A while the revenue of
# the products before it is under 80% of the total, B while under 95%, C after that.
ABC_A = 0.80
ABC_B = 0.95
SLOW_DAYS = 30


def products(db: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """Every product sold in the range with quantity, revenue, orders, ABC class and margin."""
    condition, params = where(filters)
    found = rows(
        db,
        f"""
        WITH sold AS (
          SELECT product_key, any_value(product) AS product,
                 sum(quantity) AS quantity, sum(line_total) AS revenue,
                 count(DISTINCT order_id) AS orders,
                 sum(CASE WHEN unit_cost IS NOT NULL THEN line_total END) AS costed_revenue,
                 sum(quantity * unit_cost) AS cost
          FROM lines WHERE {condition} GROUP BY product_key
        )
        SELECT *,
               coalesce(sum(revenue) OVER (ORDER BY revenue DESC, product, product_key
                   ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), 0) AS revenue_before,
               sum(revenue) OVER () AS revenue_total
        FROM sold ORDER BY revenue DESC, product, product_key
        """,
        params,
    )
    result = []
    for rank, row in enumerate(found, start=1):
        total = int(row["revenue_total"] or 0)
        before = int(row["revenue_before"])
        share_before = before / total if total else 1.0
        abc = "A" if share_before < ABC_A else "B" if share_before < ABC_B else "C"
        costed = int(row["costed_revenue"]) if row["costed_revenue"] is not None else None
        margin = costed - int(row["cost"]) if costed is not None else None
        result.append(
            {
                "rank": rank,
                "product": row["product"],
                "quantity": int(row["quantity"]),
                "revenue": int(row["revenue"]),
                "orders": int(row["orders"]),
                "share": int(row["revenue"]) / total if total else 0.0,
                "abc": abc,
                "margin": margin,
                "margin_rate": margin / costed if margin is not None and costed else None,
            }
        )
    return result


def abc_summary(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How many products and how much revenue in each class."""
    total = sum(item["revenue"] for item in items)
    summary = []
    for name in ("A", "B", "C"):
        members = [item for item in items if item["abc"] == name]
        revenue = sum(item["revenue"] for item in members)
        summary.append(
            {
                "abc": name,
                "products": len(members),
                "revenue": revenue,
                "share": revenue / total if total else 0.0,
            }
        )
    return summary


def slow_movers(
    db: duckdb.DuckDBPyConnection, filters: Filters, days: int = SLOW_DAYS
) -> list[dict[str, Any]]:
    """Variants with stock available and no counted sale (any channel) in the ``days`` days up
    to the end of the range, oldest last sale first."""
    found = rows(
        db,
        """
        WITH last_sale AS (
          SELECT variant_id, max(day) AS last_day FROM lines
          WHERE counted AND day <= ? AND variant_id IS NOT NULL GROUP BY variant_id
        )
        SELECT v.variant_id, v.product, v.variant, v.sku, v.price,
               s.on_hand - s.reserved AS available, l.last_day
        FROM raw_variants v
        JOIN raw_stock s ON s.variant_id = v.variant_id
        LEFT JOIN last_sale l ON l.variant_id = v.variant_id
        WHERE s.on_hand - s.reserved > 0 AND (l.last_day IS NULL OR l.last_day <= ?)
        ORDER BY l.last_day NULLS FIRST, v.product, v.variant, v.variant_id
        """,
        [filters.end, filters.end - timedelta(days=days)],
    )
    for row in found:
        row["available"] = int(row["available"])
        row["stock_value"] = row["available"] * int(row["price"])
        row["days_since"] = (filters.end - row["last_day"]).days if row["last_day"] else None
    return found
