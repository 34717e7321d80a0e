"""Benchmark: the insights of one big shop, and of 10k shops together, end to end.

    uv run python -m bench.insights                       # 10M order lines, 10k shops
    uv run python -m bench.insights --lines 1000000       # scaled down
    uv run python -m bench.insights --lines 300000 --shops 1000 --naive-limit 300000

Generates (once per size; kept for reruns) one shop with ``--lines`` order lines (about three
per order, two years, 1,000 variants, 50k customers) and ``--shops`` small shops with
``--shop-orders`` orders each, in a PostgreSQL database of its own (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/sinergi_bench_insights``, created and migrated if
missing), with INSERT … SELECT generate_series. Then, in the same process, over the same data:

* **ceiling**: hand-written DuckDB queries over tables already in DuckDB's memory (revenue and
  orders per day, per product, per channel, per customer);
* **Sinergi, end to end, no copy**: the shop's stamp query, the ADBC Arrow load of orders,
  lines, variants, stock and customers, and the engine's functions for the same four
  aggregations (which also compute shares, ABC classes, RFM scores, filled-in empty days);
* **Sinergi, cold, first ever**: the same with the shop's columnar copy (``engine.snapshot``)
  made from nothing (full read + writing the copy);
* **Sinergi, after a delta**: ``--delta`` orders placed and returned through the commerce
  services (not timed), then the copy refreshed with only those orders (plus the small tables)
  and the four aggregations; and the same with the copy unchanged;
* **Sinergi, cached page**: the same page again (stamp query + Django cache hit);
* **Sinergi, every page**: all seven insights pages (incl. basket pairs and Holt-Winters
  restock forecasts) from the loaded data — reported, not in a ratio;
* **naive peer, ORM aggregates**: the same four aggregations as Django ORM ``values()`` +
  ``annotate()`` queries (PostgreSQL does the work);
* **naive peer, ORM rows**: the lines iterated through the ORM and summed in Python — on the
  first ``--naive-limit`` lines, extrapolated linearly when the shop has more (marked);
* **ecosystem**: revenue, orders and average order value per shop per month for every shop —
  Sinergi (ADBC + DuckDB) vs DuckDB in memory vs the ORM ``values("organisation", month)``.

Prints a table and writes bench/results/insights.json. Loopback only; stops by itself.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from collections import defaultdict
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sinergi_bench_insights")
os.environ.setdefault("SINERGI_SECRET_KEY", "bench-only-secret-key-not-for-production-use")

import django

from bench import server

RESULTS = Path(__file__).resolve().parent / "results"
VARIANTS = 1_000
CUSTOMERS = 50_000
SPAN_SECONDS = 2 * 365 * 86_400
FIRST_DAY = "2024-12-01 00:00:00+07"
RANGE = (date(2024, 11, 1), date(2026, 12, 31))


def _org_insert(cursor: Any, slug: str) -> int:
    cursor.execute(
        """
        INSERT INTO accounts_organisation (name, slug, kind, is_verified, description, kbli_code,
            size_class, address, phone, email, website, sales_channels, created_at, province_id)
        VALUES (%s, %s, 'shop', false, '', '', 'small', '', '', '', '', '[]', now(), '34')
        RETURNING id
        """,
        [slug, slug],
    )
    return int(cursor.fetchone()[0])


def big_shop_generate(lines: int) -> int:
    """One shop with about ``lines`` order lines; kept and reused on the next run."""
    from django.db import connection, transaction  # noqa: PLC0415

    slug = f"bench-insights-{lines}"
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM accounts_organisation WHERE slug = %s", [slug])
        row = cursor.fetchone()
        if row:
            return int(row[0])
    orders = max(lines // 3, 1)
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # The rows are consistent by construction: skip the per-row foreign-key triggers,
        # which otherwise take most of the time at COMMIT (a superuser setting, own database).
        cursor.execute("SET LOCAL session_replication_role = replica")
        org = _org_insert(cursor, slug)
        cursor.execute(
            "INSERT INTO commerce_location (name, is_default, organisation_id) "
            "VALUES ('Toko', true, %s) RETURNING id",
            [org],
        )
        location = cursor.fetchone()[0]
        cursor.execute(
            """
            INSERT INTO commerce_product (name, slug, description, is_active, created_at,
                                          organisation_id)
            SELECT 'Produk ' || g, 'produk-' || g, '', true, now(), %s
            FROM generate_series(0, %s) g
            """,
            [org, VARIANTS // 2 - 1],
        )
        cursor.execute(
            """
            INSERT INTO commerce_variant (sku, name, price, cost_price, is_active,
                low_stock_threshold, position, organisation_id, product_id)
            SELECT 'SKU-' || g, CASE WHEN g %% 2 = 0 THEN 'S' ELSE 'L' END,
                   10000 + (g %% 20) * 2500,
                   CASE WHEN g %% 4 = 0 THEN NULL ELSE (10000 + (g %% 20) * 2500) * 6 / 10 END,
                   true, 3, 0, %s, p.id
            FROM generate_series(0, %s) g
            JOIN commerce_product p ON p.organisation_id = %s AND p.slug = 'produk-' || (g / 2)
            """,
            [org, VARIANTS - 1, org],
        )
        cursor.execute(
            """
            INSERT INTO commerce_stockbalance (on_hand, reserved, location_id, organisation_id,
                                               variant_id)
            SELECT (id %% 50), 0, %s, %s, id FROM commerce_variant WHERE organisation_id = %s
            """,
            [location, org, org],
        )
        cursor.execute(
            """
            INSERT INTO commerce_customer (name, phone, phone_digest, address, created_at,
                                           organisation_id)
            SELECT 'Pelanggan ' || g, '+62812' || lpad(g::text, 8, '0'), '', '', now(), %s
            FROM generate_series(1, %s) g
            """,
            [org, CUSTOMERS],
        )
        cursor.execute("SELECT min(id) FROM commerce_variant WHERE organisation_id = %s", [org])
        first_variant = cursor.fetchone()[0]
        cursor.execute("SELECT min(id) FROM commerce_customer WHERE organisation_id = %s", [org])
        first_customer = cursor.fetchone()[0]
        cursor.execute("SELECT coalesce(max(id), 0) FROM commerce_order")
        base = cursor.fetchone()[0]
        # Lines first (foreign keys are checked at commit), then orders whose subtotal is the
        # sum of their lines. Line i of order o: variant by a multiplicative hash.
        cursor.execute(
            """
            INSERT INTO commerce_orderline (product_name, variant_name, sku, quantity, unit_price,
                unit_cost, line_total, order_id, organisation_id, variant_id)
            SELECT 'Produk ' || (v / 2), '', 'SKU-' || v, q, 10000 + (v %% 20) * 2500,
                   CASE WHEN v %% 4 = 0 THEN NULL ELSE (10000 + (v %% 20) * 2500) * 6 / 10 END,
                   q * (10000 + (v %% 20) * 2500), %s + o, %s, %s + v
            FROM generate_series(1, %s) o,
                 LATERAL generate_series(1, 1 + (o %% 5)) i,
                 LATERAL (SELECT ((o::bigint * 7919 + i * 104729) %% %s)::int AS v,
                                 1 + ((o + i) %% 3) AS q) x
            """,
            [base, org, first_variant, orders, VARIANTS],
        )
        cursor.execute(
            """
            INSERT INTO commerce_order (id, number, channel, customer_name, customer_phone,
                customer_phone_digest, address, delivery_note, status, payment_method,
                is_credit, subtotal,
                shipping_fee, discount, total, amount_paid, note, placed_at, customer_id,
                location_id, organisation_id)
            SELECT s.order_id, 'B' || (s.order_id - %s),
                   (ARRAY['whatsapp','storefront','instagram','shopee','tokopedia','walk_in',
                          'tiktok_shop','facebook','phone','whatsapp'])[1 + (s.order_id %% 10)],
                   '', '', '', '', '',
                   CASE WHEN s.order_id %% 20 = 0 THEN 'cancelled'
                        WHEN s.order_id %% 33 = 0 THEN 'returned' ELSE 'completed' END,
                   'cash', false, s.subtotal, 0, 0, s.subtotal, s.subtotal, '',
                   timestamptz %s
                     + (((s.order_id::bigint * 2654435761) %% %s) * interval '1 second'),
                   CASE WHEN s.order_id %% 5 = 0 THEN NULL
                        ELSE %s + ((s.order_id * 7919) %% %s) END,
                   %s, %s
            FROM (SELECT order_id, sum(line_total) AS subtotal FROM commerce_orderline
                  WHERE organisation_id = %s GROUP BY order_id) s
            """,
            [base, FIRST_DAY, SPAN_SECONDS, first_customer, CUSTOMERS, location, org, org],
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('commerce_order', 'id'), "
            "(SELECT max(id) FROM commerce_order))"
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {slug} in {time.perf_counter() - started:.1f} s")
    return org


def ecosystem_generate(shops: int, per_shop: int) -> None:
    """``shops`` small shops with ``per_shop`` orders each (no lines: the ecosystem view reads
    orders only); kept and reused."""
    from django.db import connection, transaction  # noqa: PLC0415

    prefix = f"bench-eco-{per_shop}-"
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM accounts_organisation WHERE slug LIKE %s", [prefix + "%"]
        )
        if cursor.fetchone()[0] >= shops:
            return
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_organisation WHERE slug LIKE %s", [prefix + "%"])
        cursor.execute(
            """
            INSERT INTO accounts_organisation (name, slug, kind, is_verified, description,
                kbli_code, size_class, address, phone, email, website, sales_channels,
                created_at, province_id)
            SELECT %s || g, %s || g, 'shop', false, '', '', 'micro', '', '', '', '', '[]',
                   now(), (ARRAY['34','73','94','31','51'])[1 + g %% 5]
            FROM generate_series(1, %s) g
            """,
            [prefix, prefix, shops],
        )
        cursor.execute(
            """
            INSERT INTO commerce_location (name, is_default, organisation_id)
            SELECT 'Toko', true, id FROM accounts_organisation WHERE slug LIKE %s
            """,
            [prefix + "%"],
        )
        cursor.execute(
            """
            INSERT INTO commerce_order (number, channel, customer_name, customer_phone,
                customer_phone_digest, address, delivery_note, status, payment_method,
                is_credit, subtotal, shipping_fee,
                discount, total, amount_paid, note, placed_at, location_id, organisation_id)
            SELECT 'E' || g, 'whatsapp', '', '', '', '', '',
                   CASE WHEN g %% 20 = 0 THEN 'cancelled' ELSE 'completed' END, 'cash', false,
                   s, 0, 0, s, s, '',
                   timestamptz %s + (((l.id * 131 + g * 2654435761) %% %s) * interval '1 second'),
                   l.id, l.organisation_id
            FROM commerce_location l
            JOIN accounts_organisation o ON o.id = l.organisation_id AND o.slug LIKE %s,
                 generate_series(1, %s) g,
                 LATERAL (SELECT 5000 + ((g * 7919 + l.id) %% 40) * 2500 AS s) x
            """,
            [FIRST_DAY, SPAN_SECONDS, prefix + "%", per_shop],
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"generated {shops} shops x {per_shop} orders in {time.perf_counter() - started:.1f} s")


def _best(function: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(repeat):
        started = time.perf_counter()
        result = function()
        best = min(best, time.perf_counter() - started)
    return best, result


CEILING_SQL = (
    "SELECT day, sum(revenue), count(*) FROM m_orders WHERE counted GROUP BY day",
    "SELECT product_id, sum(quantity), sum(line_total), count(DISTINCT l.order_id) "
    "FROM m_lines l WHERE counted GROUP BY product_id",
    "SELECT channel, sum(revenue), count(*) FROM m_orders WHERE counted GROUP BY channel",
    "SELECT customer_id, count(*), sum(revenue), max(day) FROM m_orders "
    "WHERE counted AND customer_id IS NOT NULL GROUP BY customer_id",
)


def _ceiling(data: Any) -> Callable[[], Any]:
    """DuckDB tables already in memory, with the day and product resolved."""
    from sinergi.insights.engine import connect  # noqa: PLC0415

    db = connect(data)
    db.execute("CREATE TABLE m_orders AS SELECT * FROM orders")
    db.execute(
        "CREATE TABLE m_lines AS SELECT l.order_id, v.product_id, l.quantity, l.line_total, "
        "o.counted FROM raw_lines l JOIN m_orders o ON o.id = l.order_id "
        "JOIN raw_variants v USING (variant_id)"
    )
    return lambda: [db.execute(sql).fetchall() for sql in CEILING_SQL]


def _sinergi_core(data: Any) -> Any:
    from sinergi.insights.engine import Filters, connect, customers, products, sales  # noqa: PLC0415  # noqa: PLC0415

    filters = Filters(*RANGE)
    db = connect(data)
    try:
        return (
            sales.series(db, filters, "day"),
            products.products(db, filters),
            sales.channels(db, filters, "month")["mix"],
            customers.rfm(db, filters),
        )
    finally:
        db.close()


def _orm_aggregates(org: int) -> Any:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from django.db.models import Count, F, Max, Sum  # noqa: PLC0415
    from django.db.models.functions import TruncDate  # noqa: PLC0415

    from sinergi.commerce.models import Order, OrderLine  # noqa: PLC0415
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    zone = ZoneInfo("Asia/Jakarta")
    out = ("cancelled", "returned")
    with tenant_context(org):
        counted = Order.objects.exclude(status__in=out)
        revenue = Sum(F("subtotal") - F("discount"))
        return (
            list(
                counted.annotate(day=TruncDate("placed_at", tzinfo=zone))
                .values("day")
                .annotate(revenue=revenue, orders=Count("id"))
            ),
            list(
                OrderLine.objects.exclude(order__status__in=out)
                .values("variant__product_id")
                .annotate(q=Sum("quantity"), r=Sum("line_total"), o=Count("order", distinct=True))
            ),
            list(counted.values("channel").annotate(revenue=revenue, orders=Count("id"))),
            list(
                counted.exclude(customer_id=None)
                .values("customer_id")
                .annotate(orders=Count("id"), revenue=revenue, last=Max("placed_at"))
            ),
        )


def _orm_rows(org: int, limit: int) -> tuple[int, Any]:
    from zoneinfo import ZoneInfo  # noqa: PLC0415

    from sinergi.commerce.models import OrderLine  # noqa: PLC0415
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    zone = ZoneInfo("Asia/Jakarta")
    per_day: dict[Any, int] = defaultdict(int)
    per_product: dict[Any, list[int]] = defaultdict(lambda: [0, 0])
    per_channel: dict[str, int] = defaultdict(int)
    per_customer: dict[Any, int] = defaultdict(int)
    seen = 0
    with tenant_context(org):
        query = OrderLine.objects.select_related("order", "variant").order_by("pk")[:limit]
        for line in query.iterator(chunk_size=5_000):
            seen += 1
            order = line.order
            if order.status in ("cancelled", "returned"):
                continue
            per_day[order.placed_at.astimezone(zone).date()] += line.line_total
            product = per_product[line.variant.product_id if line.variant else line.product_name]
            product[0] += line.quantity
            product[1] += line.line_total
            per_channel[order.channel] += line.line_total
            if order.customer_id:
                per_customer[order.customer_id] += line.line_total
    return seen, (per_day, per_product, per_channel, per_customer)


def _ecosystem(repeat: int, org_count: int) -> dict[str, Any]:
    from django.db.models import Count, F, Sum  # noqa: PLC0415
    from django.db.models.functions import TruncMonth  # noqa: PLC0415

    from sinergi.commerce.models import Order  # noqa: PLC0415
    from sinergi.core.tenancy import across_tenants  # noqa: PLC0415
    from sinergi.insights.engine.ecosystem import ecosystem_load, shops_monthly  # noqa: PLC0415

    def sinergi() -> Any:
        orders, shops = ecosystem_load()
        return orders.num_rows, shops_monthly(orders, shops)

    t_sinergi, (order_rows, result) = _best(sinergi, repeat)
    orders, _shops = ecosystem_load()
    import duckdb  # noqa: PLC0415

    db = duckdb.connect(":memory:")
    db.execute("SET threads TO 2")
    db.register("o", orders)
    db.execute(
        "CREATE TABLE m AS SELECT organisation_id, CAST(date_trunc('month', "
        "make_timestamp((placed + 25200) * 1000000)) AS DATE) AS month, status, revenue "
        "FROM o"
    )
    t_ceiling, _ = _best(
        lambda: db.execute(
            "SELECT organisation_id, month, sum(revenue), count(*), round(sum(revenue)/count(*)) "
            "FROM m WHERE status NOT IN ('cancelled', 'returned') GROUP BY 1, 2"
        ).fetchall(),
        repeat,
    )

    def orm() -> Any:
        with across_tenants(reason="benchmark of the ecosystem view"):
            return list(
                Order.objects.exclude(status__in=("cancelled", "returned"))
                .annotate(month=TruncMonth("placed_at"))
                .values("organisation_id", "month")
                .annotate(revenue=Sum(F("subtotal") - F("discount")), orders=Count("id"))
            )

    t_orm, _ = _best(orm, 1)
    return {
        "shops": org_count,
        "orders": order_rows,
        "rows_out": len(result),
        "sinergi_s": t_sinergi,
        "ceiling_s": t_ceiling,
        "orm_aggregate_s": t_orm,
        "sinergi_vs_ceiling": t_sinergi / t_ceiling,
        "orm_vs_sinergi": t_orm / t_sinergi,
    }


def _changes(org: int) -> Callable[[int], None]:
    """``count`` order changes through the commerce services: nine in ten new orders (stock
    received first), one in ten completed orders returned."""
    from sinergi.accounts.api import Organisation  # noqa: PLC0415
    from sinergi.commerce.api import (  # noqa: PLC0415
        Order,
        Variant,
        order_place,
        order_return,
        stock_receive,
    )
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    organisation = Organisation.objects.get(pk=org)
    with tenant_context(org):
        variants = list(Variant.objects.order_by("pk")[:20])
    made = [0]

    def change(count: int) -> None:
        with tenant_context(org):
            for variant in variants:
                stock_receive(organisation=organisation, variant=variant, quantity=count * 3)
            returns = list(
                Order.objects.filter(status="completed").order_by("pk")[
                    made[0] : made[0] + count // 10
                ]
            )
        for order in returns:
            order_return(organisation=organisation, order=order)
        for index in range(count - len(returns)):
            n = made[0] + index
            order_place(
                organisation=organisation,
                channel="whatsapp",
                lines=[(variants[(n + i) % len(variants)].pk, 1 + i) for i in range(1 + n % 3)],
            )
        made[0] += count

    return change


def main() -> None:  # noqa: PLR0915 - the benchmark reads top to bottom, step by step
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=10_000_000)
    parser.add_argument("--shops", type=int, default=10_000)
    parser.add_argument("--shop-orders", type=int, default=100)
    parser.add_argument("--naive-limit", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--delta", type=int, default=100)
    args = parser.parse_args()

    server.database_create()
    django.setup()
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    from django.conf import settings  # noqa: PLC0415
    from django.core.cache import cache  # noqa: PLC0415
    from django.core.management import call_command  # noqa: PLC0415

    from sinergi.insights import selectors  # noqa: PLC0415
    from sinergi.insights.engine import Filters, shop_load, shop_stamp, snapshot  # noqa: PLC0415

    settings.SINERGI_INSIGHTS_DIR = tempfile.mkdtemp(prefix="sinergi-bench-insights-")

    call_command("migrate", verbosity=0)
    from sinergi.core.models import Province  # noqa: PLC0415
    from sinergi.core.places import regions_load  # noqa: PLC0415

    if not Province.objects.exists():
        regions_load()
    org = big_shop_generate(args.lines)
    if args.shops:
        ecosystem_generate(args.shops, args.shop_orders)

    # Sinergi end to end, cold: stamp, ADBC load, the four aggregations.
    def end_to_end() -> Any:
        shop_stamp(org)
        return _sinergi_core(shop_load(org))

    t_stamp, _ = _best(lambda: shop_stamp(org), args.repeat)
    t_load, data = _best(lambda: shop_load(org), args.repeat)
    t_e2e, _ = _best(end_to_end, args.repeat)
    t_compute, _ = _best(lambda: _sinergi_core(data), args.repeat)
    ceiling = _ceiling(data)
    t_ceiling, _ = _best(ceiling, args.repeat)

    # The columnar copy: first ever (nothing on disk), unchanged, and after a delta.
    def first_ever() -> Any:
        shutil.rmtree(snapshot.root(), ignore_errors=True)
        shop_stamp(org)
        return _sinergi_core(snapshot.shop_data(org))

    def from_copy() -> Any:
        shop_stamp(org)
        return _sinergi_core(snapshot.shop_data(org))

    t_first, _ = _best(first_ever, 1)
    t_unchanged, _ = _best(from_copy, args.repeat)
    changes = _changes(org)
    t_delta = float("inf")
    for _ in range(args.repeat):
        changes(args.delta)  # not timed
        t_delta = min(t_delta, _best(from_copy, 1)[0])
    copy_lines = snapshot.shop_data(org).lines.num_rows

    filters = Filters(*RANGE)
    from sinergi.insights.forecast import demand_forecast  # noqa: PLC0415

    demand_forecast(__import__("numpy").tile([1.0, 2.0, 0.0, 1.0, 3.0, 5.0, 4.0], 5))  # imports
    cache.clear()
    selectors._loaded.clear()
    selectors.KEEP_MAX_LINES = 10**9  # the big shop stays loaded between pages
    selectors.STAMP_SECONDS = 10  # the stamp kept between requests
    started = time.perf_counter()
    for page in selectors.PAGES:
        selectors.insights_page(organisation_id=org, page=page, filters=filters, grain="month")
    t_pages_cold = time.perf_counter() - started
    t_cached, _ = _best(
        lambda: selectors.insights_page(
            organisation_id=org, page="sales", filters=filters, grain="month"
        ),
        args.repeat,
    )

    selectors.STAMP_SECONDS = 0  # every request re-reads the stamp
    t_cached_stamp, _ = _best(
        lambda: selectors.insights_page(
            organisation_id=org, page="sales", filters=filters, grain="month"
        ),
        args.repeat,
    )
    t_orm, _ = _best(lambda: _orm_aggregates(org), 1)
    started = time.perf_counter()
    seen, _ = _orm_rows(org, args.naive_limit)
    t_rows_measured = time.perf_counter() - started
    lines = data.lines.num_rows
    t_rows = t_rows_measured * lines / max(seen, 1)

    ecosystem = _ecosystem(args.repeat, args.shops) if args.shops else None

    shutil.rmtree(snapshot.root(), ignore_errors=True)
    result = {
        "hardware": {
            "machine": platform.machine(),
            "processor": platform.processor(),
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
        },
        "lines": lines,
        "orders": data.orders.num_rows,
        "stamp_s": t_stamp,
        "load_s": t_load,
        "compute_s": t_compute,
        "end_to_end_s": t_e2e,
        "copy_first_ever_s": t_first,
        "copy_unchanged_s": t_unchanged,
        "copy_after_delta_s": t_delta,
        "delta_orders": args.delta,
        "copy_lines_after_deltas": copy_lines,
        "ceiling_s": t_ceiling,
        "all_pages_cold_s": t_pages_cold,
        "cached_page_s": t_cached,
        "cached_page_stamp_read_s": t_cached_stamp,
        "orm_aggregate_s": t_orm,
        "orm_rows_s": t_rows,
        "orm_rows_measured_lines": seen,
        "orm_rows_extrapolated": seen < lines,
        "end_to_end_vs_ceiling": t_e2e / t_ceiling,
        "compute_vs_ceiling": t_compute / t_ceiling,
        "orm_aggregate_vs_end_to_end": t_orm / t_e2e,
        "orm_rows_vs_end_to_end": t_rows / t_e2e,
        "orm_aggregate_vs_cached": t_orm / t_cached,
        "first_ever_vs_ceiling": t_first / t_ceiling,
        "unchanged_vs_ceiling": t_unchanged / t_ceiling,
        "after_delta_vs_ceiling": t_delta / t_ceiling,
        "cached_stamp_read_vs_ceiling": t_cached_stamp / t_ceiling,
        "orm_aggregate_vs_first_ever": t_orm / t_first,
        "orm_aggregate_vs_unchanged": t_orm / t_unchanged,
        "orm_aggregate_vs_after_delta": t_orm / t_delta,
        "orm_aggregate_vs_cached_stamp_read": t_orm / t_cached_stamp,
        "ecosystem": ecosystem,
    }
    RESULTS.mkdir(exist_ok=True)
    name = "insights.json" if args.lines == 10_000_000 else f"insights-{args.lines}.json"
    (RESULTS / name).write_text(json.dumps(result, indent=2, default=str))

    print(
        f"\nInsights of one shop: {lines:,} lines, {data.orders.num_rows:,} orders "
        f"({os.cpu_count()} CPUs, PostgreSQL via loopback)"
    )
    table = [
        ("ceiling: DuckDB, data in memory", t_ceiling, ""),
        (
            "Sinergi compute only (DuckDB over Arrow)",
            t_compute,
            f"{t_compute / t_ceiling:.1f}x ceiling",
        ),
        ("Sinergi stamp query", t_stamp, ""),
        ("Sinergi ADBC load (5 tables)", t_load, ""),
        ("Sinergi end to end, no copy (full read)", t_e2e, f"{t_e2e / t_ceiling:.1f}x ceiling"),
        (
            "Sinergi cold, first ever (copy made)",
            t_first,
            f"{t_first / t_ceiling:.1f}x ceiling, ORM aggr. {t_orm / t_first:.1f}x",
        ),
        (
            "Sinergi copy unchanged",
            t_unchanged,
            f"{t_unchanged / t_ceiling:.1f}x ceiling, ORM aggr. {t_orm / t_unchanged:.1f}x",
        ),
        (
            f"Sinergi after {args.delta} changed orders",
            t_delta,
            f"{t_delta / t_ceiling:.1f}x ceiling, ORM aggr. {t_orm / t_delta:.1f}x",
        ),
        ("Sinergi all 7 pages, cold", t_pages_cold, "incl. basket + Holt-Winters"),
        ("Sinergi cached page (stamp kept 10 s)", t_cached, ""),
        (
            "Sinergi cached page (stamp re-read)",
            t_cached_stamp,
            f"{t_cached_stamp / t_ceiling:.3f}x ceiling, "
            f"{t_orm / t_cached_stamp:,.0f}x faster than ORM aggregates",
        ),
        ("peer: ORM aggregates (PostgreSQL)", t_orm, f"{t_orm / t_e2e:.1f}x Sinergi cold"),
        (
            "peer: ORM rows + Python" + (" (extrapolated)" if seen < lines else ""),
            t_rows,
            f"{t_rows / t_e2e:.1f}x Sinergi cold",
        ),
    ]
    for label, seconds, note in table:
        print(f"  {label:<48} {seconds * 1000:>11,.1f} ms  {note}")
    if ecosystem:
        print(
            f"\nEcosystem: {ecosystem['shops']:,} shops, {ecosystem['orders']:,} orders "
            f"(all shops' orders), monthly revenue/orders/AOV per shop"
        )
        print(
            f"  {'ceiling: DuckDB, data in memory':<48} {ecosystem['ceiling_s'] * 1000:>11,.1f} ms"
        )
        print(
            f"  {'Sinergi, ADBC + DuckDB':<48} {ecosystem['sinergi_s'] * 1000:>11,.1f} ms  "
            f"{ecosystem['sinergi_vs_ceiling']:.1f}x ceiling"
        )
        print(
            f"  {'peer: ORM aggregates':<48} {ecosystem['orm_aggregate_s'] * 1000:>11,.1f} ms  "
            f"{ecosystem['orm_vs_sinergi']:.1f}x Sinergi"
        )
    print(f"\nwritten to {RESULTS / name}")


if __name__ == "__main__":
    main()
