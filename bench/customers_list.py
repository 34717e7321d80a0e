"""Benchmark: a shop's customers list with names and phones encrypted at rest.

    uv run python -m bench.customers_list                  # 5,000 customers
    uv run python -m bench.customers_list --customers 20000

One shop with ``--customers`` customers and two orders each, in a PostgreSQL database of its own
(``DATABASE_URL``, default ``postgres://postgres@127.0.0.1:5432/sinergi_bench_customers``,
created and migrated if missing; the shop is made again on every run). Side by side:

* **ceiling, plain text**: what the page cost before encryption — the same page (first 50 by
  name with orders, spent, owed, last order) as one SQL query over a plain-text copy of the
  names and phones (a temporary table with an index on (shop, name)), and the search
  (``ILIKE``) over it;
* **Sinergi, cold**: the list selector behind the page (every name decrypted and sorted in
  Python, then one query for the page's 50 rows) with nothing decrypted in memory yet — the
  first request of a fresh process;
* **Sinergi, warm**: the same, the process having read the names before (the in-memory map of
  tokens to text) — every later request;
* **Sinergi, search**: a search by part of a name and by phone digits (names and phones
  decrypted), cold and warm;
* **naive peer**: every customer loaded as a model instance with its figures (encrypted
  fields, e.g. django-fernet-fields) and sorted in Python, then the page cut.

Prints a table and writes bench/results/customers_list.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/sinergi_bench_customers")
os.environ.setdefault("SINERGI_SECRET_KEY", "bench-only-secret-key-not-for-production-use")

import django

from bench import server

RESULTS = Path(__file__).resolve().parent / "results"
PAGE = 50


def _timed(work: Callable[[], Any], runs: int, before: Callable[[], None] | None = None) -> float:
    """The median wall time of ``work`` in milliseconds over ``runs`` runs."""
    times = []
    for _ in range(runs):
        if before is not None:
            before()
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def _shop(count: int) -> Any:
    """A fresh shop with ``count`` customers (two orders each) and a plain-text copy of the
    names and phones for the ceiling."""
    from django.db import connection  # noqa: PLC0415

    from sinergi.accounts.models import Organisation  # noqa: PLC0415
    from sinergi.commerce.models import Customer, Location, Order  # noqa: PLC0415
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    for old in Organisation.objects.filter(slug="bench-customers"):
        _shop_remove(old)
    shop = Organisation.objects.create(name="Bench customers", slug="bench-customers", kind="shop")
    first = ("Sri", "Dewi", "Budi", "Agus", "Siti", "Joko", "Rina", "Made", "Putu", "Wayan")
    last = ("Lestari", "Santoso", "Wahyuni", "Saputra", "Hidayat", "Sari", "Pratama", "Nugroho")
    people = [
        (f"{first[i % 10]} {last[(i // 10) % 8]} {i}", f"+62812{i:08d}") for i in range(count)
    ]
    with tenant_context(shop.pk):
        location = Location.objects.create(organisation=shop, name="Toko", is_default=True)
        customers = Customer.objects.bulk_create(
            [Customer(organisation=shop, name=name, phone=phone) for name, phone in people],
            batch_size=2000,
        )
        Order.objects.bulk_create(
            [
                Order(
                    organisation=shop,
                    number=f"B-{c.pk}-{n}",
                    channel="whatsapp",
                    customer=c,
                    location=location,
                    subtotal=50_000,
                    total=50_000,
                    amount_paid=50_000 * n,
                )
                for c in customers
                for n in (0, 1)
            ],
            batch_size=2000,
        )
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_customer")
        cursor.execute(
            "CREATE TABLE bench_plain_customer (id bigint PRIMARY KEY, organisation_id bigint, "
            "name text, phone text)"
        )
        cursor.executemany(
            "INSERT INTO bench_plain_customer VALUES (%s, %s, %s, %s)",
            [
                (c.pk, shop.pk, name, phone)
                for c, (name, phone) in zip(customers, people, strict=True)
            ],
        )
        cursor.execute("CREATE INDEX ON bench_plain_customer (organisation_id, name)")
        cursor.execute("ANALYZE bench_plain_customer")
    return shop


def _shop_remove(shop: Any) -> None:
    from sinergi.commerce.models import Customer, Location, Order  # noqa: PLC0415
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    with tenant_context(shop.pk):
        Order.objects.all().delete()
        Customer.objects.all().delete()
        Location.objects.all().delete()
    shop.delete()


_PLAIN_PAGE = """
SELECT c.id, c.name, c.phone,
       COUNT(o.id) FILTER (WHERE o.status <> 'cancelled'),
       COALESCE(SUM(o.amount_paid), 0),
       COALESCE(SUM(o.total - o.amount_paid) FILTER (WHERE o.amount_paid < o.total
                AND o.status NOT IN ('cancelled', 'returned')), 0),
       MAX(o.placed_at)
FROM bench_plain_customer c LEFT JOIN commerce_order o ON o.customer_id = c.id
WHERE c.organisation_id = %s {search}
GROUP BY c.id, c.name, c.phone ORDER BY c.name, c.id LIMIT 50
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--customers", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    server.database_create()
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415
    from django.core.paginator import Paginator  # noqa: PLC0415
    from django.db import connection  # noqa: PLC0415

    from sinergi.commerce import selectors_web  # noqa: PLC0415
    from sinergi.core.crypto import plain_cache_clear  # noqa: PLC0415
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    call_command("migrate", verbosity=0)
    shop = _shop(args.customers)

    def plain(search: str = "") -> Callable[[], Any]:
        def run() -> Any:
            where = "AND (c.name ILIKE %s OR c.phone LIKE %s)" if search else ""
            params: list[Any] = [shop.pk] + ([f"%{search}%", f"%{search}%"] if search else [])
            with connection.cursor() as cursor:
                cursor.execute(_PLAIN_PAGE.format(search=where), params)
                return cursor.fetchall()

        return run

    def ours(search: str = "") -> Callable[[], Any]:
        def run() -> Any:
            with tenant_context(shop.pk):
                page = Paginator(selectors_web.customer_list(q=search), PAGE).get_page(1)
                return [(c.name, c.phone, c.order_count, c.spent) for c in page]

        return run

    def naive() -> Any:
        with tenant_context(shop.pk):
            everyone = list(selectors_web.customer_list().queryset)
            everyone.sort(key=lambda c: (c.name.casefold(), c.pk))
            return everyone[:PAGE]

    # The same page (the database's collation may order a few names differently).
    assert len(ours()()) == len(plain()()) == min(PAGE, args.customers)
    runs = args.runs
    rows = [
        ("ceiling, plain text: page 1", _timed(plain(), runs)),
        ("Sinergi, cold: page 1", _timed(ours(), runs, plain_cache_clear)),
        ("Sinergi, warm: page 1", _timed(ours(), runs)),
        ("ceiling, plain text: search 'sari'", _timed(plain("sari"), runs)),
        ("Sinergi, cold: search 'sari'", _timed(ours("sari"), runs, plain_cache_clear)),
        ("Sinergi, warm: search 'sari'", _timed(ours("sari"), runs)),
        ("Sinergi, warm: search '0812 0000 12'", _timed(ours("0812 0000 12"), runs)),
        ("naive peer: all rows as instances, cold", _timed(naive, runs, plain_cache_clear)),
    ]
    ceiling = rows[0][1]
    print(f"customers list, {args.customers:,} customers, median of {runs} runs")
    print(f"{'what':<44} {'ms':>9} {'× ceiling':>10}")
    for name, ms in rows:
        print(f"{name:<44} {ms:>9.1f} {ms / ceiling:>10.1f}")
    RESULTS.mkdir(exist_ok=True)
    result = {
        "customers": args.customers,
        "runs": runs,
        "ms": dict(rows),
        "machine": {
            "platform": platform.platform(),
            "python": platform.python_version(),
            "cpus": os.cpu_count(),
        },
    }
    path = RESULTS / "customers_list.json"
    path.write_text(json.dumps(result, indent=2))
    print(f"written to {path}")
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_plain_customer")
    _shop_remove(shop)


if __name__ == "__main__":
    main()
