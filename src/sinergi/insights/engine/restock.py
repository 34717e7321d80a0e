"""Restock advice: daily demand per variant, a forecast, stock cover and a reorder quantity.

Uses counted orders of every channel (stock is shared by all channels) up to the end of the
range. The ``MODELLED`` best-selling variants of the last 28 days get the Holt-Winters model;
the others the simple average (see ``sinergi.insights.forecast``).
"""

# The SQL is built from constants and model table names; values are bound parameters.

from __future__ import annotations

from datetime import timedelta
from typing import Any

import duckdb
import numpy as np

from sinergi.insights.engine.duck import Filters, rows
from sinergi.insights.forecast import (
    SIMPLE_WINDOW,
    average_forecast,
    demand_forecast,
    reorder_quantity,
    stock_cover_days,
)

HISTORY_DAYS = 182
MODELLED = 20


def restock(db: duckdb.DuckDBPyConnection, filters: Filters) -> list[dict[str, Any]]:
    """One row per variant that sold in the history window, most urgent first."""
    as_of = filters.end
    first = as_of - timedelta(days=HISTORY_DAYS - 1)
    daily = rows(
        db,
        """
        SELECT variant_id, day, sum(quantity) AS quantity FROM lines
        WHERE counted AND variant_id IS NOT NULL AND day BETWEEN ? AND ?
        GROUP BY variant_id, day
        """,
        [first, as_of],
    )
    variants = {
        row["variant_id"]: row
        for row in rows(
            db,
            """
            SELECT v.variant_id, v.product, v.variant, v.sku,
                   coalesce(s.on_hand - s.reserved, 0) AS available
            FROM raw_variants v LEFT JOIN raw_stock s ON s.variant_id = v.variant_id
            """,
        )
    }
    series: dict[int, np.ndarray] = {}
    for row in daily:
        values = series.setdefault(row["variant_id"], np.zeros(HISTORY_DAYS))
        values[(row["day"] - first).days] = int(row["quantity"])
    recent = sorted(series, key=lambda key: (-series[key][-SIMPLE_WINDOW:].sum(), key))
    modelled = set(recent[:MODELLED])
    result = []
    for variant_id in recent:
        values = series[variant_id]
        history = values[int(np.argmax(values > 0)) :]
        forecast = demand_forecast(history) if variant_id in modelled else average_forecast(history)
        info = variants.get(variant_id, {})
        available = int(info.get("available") or 0)
        cover = stock_cover_days(forecast, available)
        result.append(
            {
                "variant_id": variant_id,
                "product": info.get("product", ""),
                "variant": info.get("variant", ""),
                "sku": info.get("sku", ""),
                "available": available,
                "sold_28": int(values[-SIMPLE_WINDOW:].sum()),
                "per_day": forecast.per_day,
                "forecast_14": sum(forecast.daily),
                "method": forecast.method,
                "cover_days": cover,
                "reorder": reorder_quantity(forecast, history, available),
            }
        )
    result.sort(
        key=lambda row: (
            row["cover_days"] if row["cover_days"] is not None else float("inf"),
            row["product"],
            row["variant_id"],
        )
    )
    return result
