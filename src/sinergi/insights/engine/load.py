"""One shop's commerce data, loaded in bulk as Arrow tables (see ``source``)."""

# The SQL is built from constants and model table names; values are bound parameters.
# ruff: noqa: S608

from __future__ import annotations

import threading
import zoneinfo
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb
import pyarrow as pa
from django.db import connections

from sinergi.insights.engine.source import ALIAS, Source, fetch, source_default, table

DEFAULT_TIME_ZONE = "Asia/Jakarta"
LOAD_THREADS = 2

ORDERS = pa.schema(
    [
        ("id", pa.int64()),
        ("placed", pa.int64()),  # seconds since the epoch, UTC
        ("channel", pa.string()),
        ("status", pa.string()),
        ("customer_id", pa.int64()),
        # The blind index of the buyer's phone (docs/adr/0008): names and phones are encrypted,
        # so the engine groups orders without a customer record by this and never reads them.
        ("customer_phone_digest", pa.string()),
        ("subtotal", pa.int64()),
        ("discount", pa.int64()),
    ]
)
LINES = pa.schema(
    [
        ("order_id", pa.int64()),
        ("variant_id", pa.int64()),
        ("product_name", pa.string()),
        ("quantity", pa.int64()),
        ("line_total", pa.int64()),
        ("unit_cost", pa.int64()),
    ]
)
# Lines as kept: each with its order's time, channel and status, so that the engine's queries
# over lines need no join with the orders.
WIDE_LINES = pa.schema(
    [
        *LINES,
        ("placed", pa.int64()),
        ("channel", pa.string()),
        ("status", pa.string()),
    ]
)
VARIANTS = pa.schema(
    [
        ("variant_id", pa.int64()),
        ("product_id", pa.int64()),
        ("product", pa.string()),
        ("variant", pa.string()),
        ("sku", pa.string()),
        ("price", pa.int64()),
        ("cost_price", pa.int64()),
    ]
)
STOCK = pa.schema([("variant_id", pa.int64()), ("on_hand", pa.int64()), ("reserved", pa.int64())])
# Ids only: names and phones are encrypted; the pages read those of the rows they show.
CUSTOMERS = pa.schema([("id", pa.int64())])


def _epoch(vendor: str, column: str) -> str:
    if vendor == "postgresql":
        return f"FLOOR(EXTRACT(EPOCH FROM {column}))::bigint"
    return f"CAST(strftime('%%s', {column}) AS INTEGER)"


@dataclass(frozen=True)
class ShopData:
    """Everything insights reads about one shop, as Arrow tables, plus its clock."""

    organisation_id: int
    time_zone: str
    orders: pa.Table
    lines: pa.Table
    variants: pa.Table
    stock: pa.Table
    customers: pa.Table

    @property
    def utc_offset_seconds(self) -> int:
        """Indonesia's zones keep one offset all year (no daylight saving)."""
        offset = datetime.now(UTC).astimezone(zoneinfo.ZoneInfo(self.time_zone)).utcoffset()
        return int(offset.total_seconds()) if offset else 0


def shop_time_zone(organisation_id: int) -> str:
    """The shop's time zone, from its province (WIB, WITA or WIT); WIB when unknown."""
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            f"SELECT p.time_zone FROM {table('Organisation', 'accounts')} o "
            f"LEFT JOIN {table('Province', 'core')} p ON p.code = o.province_id WHERE o.id = %s",
            [organisation_id],
        )
        row = cursor.fetchone()
    return (row[0] if row and row[0] else None) or DEFAULT_TIME_ZONE


def shop_revision(organisation_id: int) -> tuple[int, int]:
    """The shop's order revision as (epoch, revision): commerce bumps it in every transaction
    that changes one of the shop's orders (``OrderRevision``). (0, 0) before the first change.
    One primary-key-sized lookup."""
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(
            f"SELECT epoch, revision FROM {table('OrderRevision')} WHERE organisation_id = %s",
            [organisation_id],
        )
        row = cursor.fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def shop_stamp(organisation_id: int) -> str:
    """A cheap, exact fingerprint of the shop's orders and stock: the shop's order revision
    (which every order change bumps, see ``shop_revision``) and its last stock movement. Two
    index lookups, whatever the size of the shop."""
    stock_sql = f"SELECT MAX(created_at) FROM {table('StockMovement')} WHERE organisation_id = %s"
    with connections[ALIAS].cursor() as cursor:
        cursor.execute(stock_sql, [organisation_id])
        stock = cursor.fetchone()
    epoch, revision = shop_revision(organisation_id)
    return f"{epoch}|{revision}|{stock[0] if stock else None}"


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _load_pool() -> ThreadPoolExecutor:
    """Long-lived loader threads, so that each keeps its ADBC connection between loads."""
    global _pool  # noqa: PLW0603 - one pool per process, made on first use
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=LOAD_THREADS, thread_name_prefix="insights")
        return _pool


def shop_load(
    organisation_id: int,
    *,
    source: Source | None = None,
    time_zone: str | None = None,
    changed_since: int | None = None,
) -> ShopData:
    """Read the shop's orders, lines, variants, stock and customers: one query per table.

    With ``changed_since`` (an order revision), only the orders changed after it and all the
    lines of those orders are read (``snapshot`` adds them to its copy)."""
    source = source or source_default()
    vendor = source.vendor
    # The id goes into the SQL as a literal integer: ADBC's PostgreSQL driver streams a query
    # without bound parameters with COPY, which is about twice as fast.
    shop = f"organisation_id = {int(organisation_id)}"
    orders_where = lines_where = shop
    if changed_since is not None:
        orders_where = f"{shop} AND revision > {int(changed_since)}"
        lines_where = (
            f"{shop} AND order_id IN (SELECT id FROM {table('Order')} WHERE {orders_where})"
        )
    queries: dict[str, tuple[str, pa.Schema]] = {
        "lines": (
            "SELECT order_id, variant_id, CASE WHEN variant_id IS NULL THEN product_name END, "
            f"quantity, line_total, unit_cost FROM {table('OrderLine')} WHERE {lines_where}",
            LINES,
        ),
        "orders": (
            f"SELECT id, {_epoch(vendor, 'placed_at')}, channel, status, customer_id, "
            # The buyer's phone matters only when no customer record is linked.
            "CASE WHEN customer_id IS NULL THEN customer_phone_digest END, "
            f"subtotal, discount FROM {table('Order')} WHERE {orders_where}",
            ORDERS,
        ),
        "variants": (
            "SELECT v.id, v.product_id, p.name, v.name, v.sku, v.price, v.cost_price "
            f"FROM {table('Variant')} v JOIN {table('Product')} p ON p.id = v.product_id "
            f"WHERE v.{shop}",
            VARIANTS,
        ),
        "stock": (
            "SELECT variant_id, SUM(on_hand), SUM(reserved) "
            f"FROM {table('StockBalance')} WHERE {shop} GROUP BY variant_id",
            STOCK,
        ),
        "customers": (
            f"SELECT id FROM {table('Customer')} WHERE {shop}",
            CUSTOMERS,
        ),
    }
    if source.use_adbc:
        # Two connections read at once (lines on one, the rest on the other): the database
        # scans lines and orders in parallel and ADBC releases the GIL while it streams.
        futures = {
            name: _load_pool().submit(fetch, source, sql, (), schema)
            for name, (sql, schema) in queries.items()
        }
        tables = {name: future.result() for name, future in futures.items()}
    else:
        tables = {name: fetch(source, sql, (), schema) for name, (sql, schema) in queries.items()}
    orders = tables["orders"]
    lines = lines_widen(tables["lines"], orders)
    variants, stock, customers = tables["variants"], tables["stock"], tables["customers"]
    return ShopData(
        organisation_id=organisation_id,
        time_zone=time_zone or shop_time_zone(organisation_id),
        orders=orders,
        lines=lines,
        variants=variants,
        stock=stock,
        customers=customers,
    )


def lines_widen(lines: pa.Table, orders: pa.Table) -> pa.Table:
    """The lines (``LINES``) with their order's time, channel and status (``WIDE_LINES``); a
    line whose order is not in ``orders`` is left out."""
    db = duckdb.connect(":memory:")
    try:
        db.execute("SET threads TO 2")
        db.register("l", lines)
        db.register("o", orders)
        wide = db.sql(
            "SELECT l.*, o.placed, o.channel, o.status FROM l JOIN o ON o.id = l.order_id"
        ).to_arrow_table()
    finally:
        db.close()
    return wide.rename_columns(WIDE_LINES.names).cast(WIDE_LINES)
