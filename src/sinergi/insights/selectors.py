"""Reads for the insights pages: each page's numbers, computed by the engine and cached.

The cache key holds the shop's stamp (``shop_stamp``: the shop's order revision, which commerce
bumps in every transaction that changes an order, and its last stock movement), so any order
change or stock movement makes the next request compute afresh; nothing has to be deleted. The
shop's orders and lines come from its columnar copy on disk (``engine.snapshot``), refreshed
with only the orders changed since. The loaded Arrow tables of the last few shops are also kept
in this process, so that opening several pages or changing the filter reads nothing again.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.core.cache import cache

from sinergi.insights.engine import Filters, ShopData, connect, shop_load, shop_stamp, snapshot
from sinergi.insights.engine import basket as basket_engine
from sinergi.insights.engine import customers as customers_engine
from sinergi.insights.engine import products as products_engine
from sinergi.insights.engine import restock as restock_engine
from sinergi.insights.engine import sales as sales_engine
from sinergi.insights.engine.duck import rows

CACHE_SECONDS = 60 * 60
# The stamp is two index lookups: it is read on every request unless this is set above 0.
STAMP_SECONDS = 0
KEPT_SHOPS = 4
KEEP_MAX_LINES = 2_000_000
PAGES = ("overview", "sales", "products", "channels", "customers", "basket", "restock")

_loaded: OrderedDict[tuple[int, str], ShopData] = OrderedDict()
_lock = threading.Lock()


def _shop_data(organisation_id: int, stamp: str) -> ShopData:
    key = (organisation_id, stamp)
    with _lock:
        if key in _loaded:
            _loaded.move_to_end(key)
            return _loaded[key]
    # Inside a transaction (uncommitted rows may be rolled back) the database is read directly.
    data = snapshot.shop_data(organisation_id) if snapshot.usable() else shop_load(organisation_id)
    if data.lines.num_rows > KEEP_MAX_LINES:
        return data  # a very large shop is not kept in memory; its results are still cached
    with _lock:
        _loaded[key] = data
        for old in [k for k in _loaded if k[0] == organisation_id and k != key]:
            del _loaded[old]
        while len(_loaded) > KEPT_SHOPS:
            _loaded.popitem(last=False)
    return data


def _compute(page: str, data: ShopData, filters: Filters, grain: str) -> dict[str, Any]:
    db = connect(data)
    try:
        has_orders = bool(db.execute("SELECT count(*) FROM orders").fetchone()[0])  # type: ignore[index]
        result: dict[str, Any] = {"has_orders": has_orders, "time_zone": data.time_zone}
        if not has_orders:
            return result
        builders: dict[str, Callable[[], dict[str, Any]]] = {
            "overview": lambda: _overview(db, filters, grain),
            "sales": lambda: sales_engine.sales(db, filters, grain),
            "products": lambda: {
                "products": (items := products_engine.products(db, filters)),
                "abc": products_engine.abc_summary(items),
                "slow": products_engine.slow_movers(db, filters),
            },
            # Daily lines per channel are spiky: a trend over more than two weeks is weekly.
            "channels": lambda: sales_engine.channels(
                db, filters, "week" if grain == "day" and filters.days > 14 else grain
            ),
            "customers": lambda: customers_engine.customers(db, filters),
            "basket": lambda: basket_engine.pairs(db, filters),
            "restock": lambda: {"restock": restock_engine.restock(db, filters)},
        }
        result.update(builders[page]())
        return result
    finally:
        db.close()


def _overview(db: Any, filters: Filters, grain: str) -> dict[str, Any]:
    overview = sales_engine.sales(db, filters, grain)
    overview["top_products"] = products_engine.products(db, filters)[:5]
    overview["channel_mix"] = sales_engine.channels(db, filters, grain)["mix"]
    customers = customers_engine.customers(db, filters)
    overview["customers"] = {k: v for k, v in customers.items() if k != "members"}
    overview["last_order_day"] = rows(db, "SELECT max(day) AS day FROM orders")[0]["day"]
    return overview


def insights_page(
    *, organisation_id: int, page: str, filters: Filters, grain: str = "day"
) -> dict[str, Any]:
    """The numbers of one insights page for one shop, from the cache when nothing changed."""
    if page not in PAGES:
        raise ValueError(f"unknown insights page {page!r}")
    stamp = _stamp(organisation_id)
    result = _cached(organisation_id, stamp, page, filters, grain)
    if page == "overview" and result.get("has_orders"):
        # Restock advice uses every channel up to the end of the range, whatever the filter:
        # one forecast serves the overview and the restock page.
        advice = _cached(organisation_id, stamp, "restock", filters, grain)["restock"]
        result["restock"] = [row for row in advice if row["reorder"] > 0][:5]
    return result


def _stamp(organisation_id: int) -> str:
    """The shop's stamp, read on every request (two index lookups); kept for
    ``STAMP_SECONDS`` when that is set above 0."""
    if STAMP_SECONDS <= 0:
        return shop_stamp(organisation_id)
    key = f"insights:stamp:{organisation_id}"
    stamp = cache.get(key)
    if stamp is None:
        stamp = shop_stamp(organisation_id)
        cache.set(key, stamp, STAMP_SECONDS)
    return str(stamp)


def _cached(
    organisation_id: int, stamp: str, page: str, filters: Filters, grain: str
) -> dict[str, Any]:
    digest = hashlib.sha1(stamp.encode(), usedforsecurity=False).hexdigest()[:16]
    scope = f"{filters.end.isoformat()}" if page == "restock" else f"{filters.key()}:{grain}"
    key = f"insights:v1:{organisation_id}:{digest}:{page}:{scope}"
    found = cache.get(key)
    if found is not None:
        return dict(found)
    result = _compute(page, _shop_data(organisation_id, stamp), filters, grain)
    cache.set(key, result, CACHE_SECONDS)
    return result


def default_filters(today: date, *, days: int = 30) -> Filters:
    """The last ``days`` days up to today (the shop's today)."""
    return Filters(today - timedelta(days=days - 1), today)
