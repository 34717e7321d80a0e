"""Benchmark: order placement through the HTTP API, against the same writes in bare SQL.

    uv run python -m bench.orders_api                    # 32 clients, 10 s per scenario
    uv run python -m bench.orders_api --clients 32 --seconds 20 --variants 100

In a PostgreSQL database of its own (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/sinergi_bench_orders``, created and migrated if missing),
one shop with ``--variants`` products in stock. Then, each with ``--clients`` concurrent
clients on loopback, one order of one random product per request:

* **ceiling, bare SQL**: psycopg (async, one connection per client) running the same
  stock-reserving transaction order_place writes — conditional UPDATE of the balance, INSERT
  order, line and ledger row, then (last, as order_place) the order-number counter's and the
  shop's order revision's UPDATEs feeding the order's number and revision in one statement —
  with no Python framework at all;
* **Sinergi, HTTP API**: ``POST /api/orders`` with a bearer token, served by ``sinergi serve``
  (Granian, WSGI) → django-ninja → ``order_place``, answered with the order as JSON;
* **naive peer, Django view**: a plain view doing read-then-write (ORM get, check in Python,
  save, create the rows), no auth, on the same server;
* **context, bare SQL without the order counter**: the ceiling's writes with a random order
  number, i.e. without the per-shop gap-free counter row (nor the order revision row) that
  every order of a shop locks until its commit (the naive view keeps neither).

Scenarios run in interleaved rounds (``--rounds``) so that a noisy neighbour on a shared
machine weighs on all of them alike.

Prints a table (absolute numbers, ratios to the ceiling, hardware) and writes
bench/results/orders_api.json. Loopback only; every run is bounded in time and requests.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import time
from datetime import datetime
from typing import Any

from bench import server

server.environment_prepare("sinergi_bench_orders")


def setup(*, variants: int) -> dict[str, Any]:
    """One shop, ``variants`` products with stock no run can exhaust, and an API token."""
    from django.utils import timezone  # noqa: PLC0415

    from sinergi.accounts.models import Organisation, User  # noqa: PLC0415
    from sinergi.accounts.services import organisation_create  # noqa: PLC0415
    from sinergi.commerce.models import (  # noqa: PLC0415
        ApiToken,
        OrderCounter,
        OrderRevision,
        StockBalance,
        Variant,
    )
    from sinergi.commerce.services.catalog import VariantInput, product_create  # noqa: PLC0415
    from sinergi.commerce.services.stock import stock_receive  # noqa: PLC0415
    from sinergi.commerce.tokens import api_token_create  # noqa: PLC0415
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    slug = "bench-orders"
    shop = Organisation.objects.filter(slug=slug).first()
    if shop is None:
        user, _ = User.objects.get_or_create(email="bench@sinergi.local")
        shop = organisation_create(creator=user, name="Bench Orders", kind="shop", slug=slug)
    user = User.objects.get(email="bench@sinergi.local")
    with tenant_context(shop.pk):
        have = Variant.objects.count()
        for i in range(have, variants):
            product = product_create(
                organisation=shop,
                name=f"Produk {i:04d}",
                variants=[VariantInput(sku=f"B-{i:04d}", price=10_000 + i)],
            )
            variant = Variant.objects.get(product=product)
            stock_receive(organisation=shop, variant=variant, quantity=100_000_000)
        variant_ids = list(Variant.objects.order_by("pk").values_list("pk", flat=True)[:variants])
        balance = StockBalance.objects.filter(variant_id=variant_ids[0]).first()
        assert balance is not None
        location_id = balance.location_id
        # The order-number counter of this year and the order revision exist before the
        # clients start.
        OrderCounter.objects.bulk_create(
            [OrderCounter(organisation=shop, year=timezone.localdate().year)],
            ignore_conflicts=True,
        )
        OrderRevision.objects.bulk_create(
            [OrderRevision(organisation=shop, epoch=time.time_ns() // 1000)],
            ignore_conflicts=True,
        )
    with tenant_context(shop.pk):  # earlier runs' tokens are no longer needed
        ApiToken.objects.filter(revoked_at=None).update(revoked_at=timezone.now())
    _token, plain = api_token_create(organisation=shop, name="bench", created_by=user)
    return {
        "organisation_id": shop.pk,
        "variant_ids": variant_ids,
        "location_id": location_id,
        "token": plain,
        "prices": dict(Variant._base_manager.filter(pk__in=variant_ids).values_list("pk", "price")),
    }


def _insert(model: Any, values: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """An INSERT of every concrete column of ``model``, defaults from Django, named params."""
    from django.db import connection  # noqa: PLC0415

    instance = model(**values)
    columns, params = [], []
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(field.column)
        params.append(field.attname)
    sql = "INSERT INTO {} ({}) VALUES ({}) RETURNING id".format(
        model._meta.db_table,
        ", ".join(columns),
        ", ".join(f"%({p})s" for p in params),
    )
    defaults = {
        field.attname: field.get_db_prep_save(getattr(instance, field.attname), connection)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }
    return sql, defaults


def bare_sql(
    ctx: dict[str, Any], *, clients: int, seconds: float, warmup: float, counter: bool = True
) -> server.Run:
    """The ceiling: the same writes as order_place, from psycopg, one connection per client.

    Without ``counter`` the order number is random instead of the shop's gap-free sequence
    (no last statement): the same writes as the naive peer, and no row every order of the
    shop must lock.
    """
    import psycopg  # noqa: PLC0415
    from django.conf import settings  # noqa: PLC0415
    from django.utils import timezone  # noqa: PLC0415

    from sinergi.commerce.models import (  # noqa: PLC0415
        Order,
        OrderCounter,
        OrderLine,
        OrderRevision,
        StockBalance,
        StockMovement,
    )

    org, loc = ctx["organisation_id"], ctx["location_id"]
    order_sql, order_defaults = _insert(
        Order, {"organisation_id": org, "channel": "phone", "location_id": loc, "number": "x"}
    )
    line_sql, line_defaults = _insert(
        OrderLine,
        {"organisation_id": org, "order_id": 1, "variant_id": 1, "product_name": "x",
         "quantity": 1, "unit_price": 0, "line_total": 0},
    )  # fmt: skip
    movement_sql, movement_defaults = _insert(
        StockMovement,
        {"organisation_id": org, "variant_id": 1, "location_id": loc, "kind": "reservation",
         "reserved_delta": 1},
    )  # fmt: skip
    balance_sql = (
        f"UPDATE {StockBalance._meta.db_table} SET reserved = reserved + %(q)s "
        "WHERE organisation_id = %(org)s AND variant_id = %(v)s AND location_id = %(loc)s "
        "AND on_hand >= reserved + %(q)s RETURNING id"
    )
    # The order's number and revision, as order_place takes them: the counter's and the
    # revision's UPDATE … RETURNING feeding the order's UPDATE, one statement, the last of the
    # transaction (both rows are locked from there to the commit).
    order_table, revisions = Order._meta.db_table, OrderRevision._meta.db_table
    number_sql = (
        f"WITH n AS (UPDATE {OrderCounter._meta.db_table} SET last_number = last_number + 1 "
        "WHERE organisation_id = %(org)s AND year = %(year)s "
        f"AND EXISTS (SELECT 1 FROM {revisions} WHERE organisation_id = %(org)s) "
        "RETURNING last_number), "
        f"r AS (UPDATE {revisions} SET revision = revision + 1 "
        "WHERE organisation_id = %(org)s AND EXISTS (SELECT 1 FROM n) RETURNING revision) "
        f"UPDATE {order_table} SET number = %(prefix)s || CASE WHEN n.last_number < 1000000 "
        "THEN lpad(n.last_number::text, 6, '0') ELSE n.last_number::text END, "
        f"revision = r.revision FROM n, r WHERE {order_table}.id = %(id)s "
        f"RETURNING {order_table}.number"
    )
    db = settings.DATABASES["default"]
    conninfo = (
        f"host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432} "
        f"user={db['USER'] or 'postgres'} dbname={db['NAME']}"
        + (f" password={db['PASSWORD']}" if db["PASSWORD"] else "")
    )
    variant_ids, prices = ctx["variant_ids"], ctx["prices"]
    run = server.Run(
        "ceiling: bare SQL (psycopg)" if counter else "bare SQL, no order counter (context)"
    )

    async def client(index: int, measure_from: float, deadline: float) -> None:
        rng = random.Random(index)
        async with await psycopg.AsyncConnection.connect(conninfo) as conn:
            while time.perf_counter() < deadline:
                variant = rng.choice(variant_ids)
                price = prices[variant]
                now = timezone.now()
                year = timezone.localtime(now).year
                t0 = time.perf_counter()
                async with conn.transaction():
                    cur = await conn.execute(
                        balance_sql, {"q": 1, "org": org, "v": variant, "loc": loc}
                    )
                    if await cur.fetchone() is None:
                        raise RuntimeError("sold out: the bench stock ran out")
                    # As order_place: a stand-in number, the real one taken by the last write.
                    label = f"B-{os.urandom(8).hex()}"
                    cur = await conn.execute(
                        order_sql,
                        {**order_defaults, "number": label,
                         "subtotal": price, "total": price, "placed_at": now},
                    )  # fmt: skip
                    (order_id,) = await cur.fetchone()  # type: ignore[misc]
                    await conn.execute(
                        line_sql,
                        {**line_defaults, "order_id": order_id, "variant_id": variant,
                         "product_name": "Produk", "sku": "B", "unit_price": price,
                         "line_total": price},
                    )  # fmt: skip
                    await conn.execute(
                        movement_sql,
                        {**movement_defaults, "variant_id": variant, "order_id": order_id,
                         "created_at": now},
                    )  # fmt: skip
                    if counter:
                        cur = await conn.execute(
                            number_sql,
                            {"org": org, "year": year, "prefix": f"SO-{year}-", "id": order_id},
                        )
                        if await cur.fetchone() is None:
                            raise RuntimeError("the order counter or revision row is missing")
                t1 = time.perf_counter()
                if t0 >= measure_from:
                    run.requests += 1
                    run.statuses[201] += 1
                    run.latencies.append(t1 - t0)

    async def main() -> None:
        start = time.perf_counter()
        measure_from, deadline = start + warmup, start + warmup + seconds
        await asyncio.gather(*(client(i, measure_from, deadline) for i in range(clients)))
        run.seconds = time.perf_counter() - measure_from

    asyncio.run(main())
    return run


def _api_request(ctx: dict[str, Any], port: int) -> Any:
    variant_ids, token = ctx["variant_ids"], ctx["token"]
    rngs: dict[int, random.Random] = {}

    def make(index: int, n: int) -> bytes:
        rng = rngs.setdefault(index, random.Random(index))
        body = json.dumps(
            {"channel": "phone", "customer_name": "Bench",
             "lines": [{"variant_id": rng.choice(variant_ids), "quantity": 1}]}
        ).encode()  # fmt: skip
        return server.http_request(
            "POST", "/api/orders", port, body=body,
            headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        )  # fmt: skip

    return make


def _naive_request(ctx: dict[str, Any], port: int) -> Any:
    variant_ids, org = ctx["variant_ids"], ctx["organisation_id"]
    rngs: dict[int, random.Random] = {}

    def make(index: int, n: int) -> bytes:
        rng = rngs.setdefault(index, random.Random(index))
        body = json.dumps(
            {"organisation_id": org, "variant_id": rng.choice(variant_ids), "quantity": 1}
        ).encode()
        return server.http_request(
            "POST", "/bench/naive-order/", port, body=body,
            headers={"Content-Type": "application/json"},
        )  # fmt: skip

    return make


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--variants", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--workers", type=int, default=None, help="Granian workers (nproc)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    args = parser.parse_args()

    server.database_ensure()
    ctx = setup(variants=args.variants)
    info = server.hardware()
    workers = args.workers or info["nproc"] or 1
    load = {"clients": args.clients, "seconds": args.seconds, "warmup": args.warmup}

    # Rounds interleave the scenarios so that a noisy neighbour weighs on all of them alike.
    names = [
        "ceiling: bare SQL (psycopg)",
        "Sinergi: POST /api/orders",
        "naive peer: Django view",
        "bare SQL, no order counter (context)",
    ]
    rounds: list[list[server.Run]] = []
    with server.sinergi_serve(workers=workers, threads=args.threads) as port:
        status, body = server.fetch(port, "/api/openapi.json")
        assert status == 200, (status, body[:200])
        rounds.extend(
            [
                bare_sql(ctx, **load),
                server.load(names[1], port, _api_request(ctx, port), **load),
                server.load(names[2], port, _naive_request(ctx, port), **load),
                bare_sql(ctx, **load, counter=False),
            ]
            for _ in range(args.rounds)
        )
    runs = [server.Run.combined(name, [r[i] for r in rounds]) for i, name in enumerate(names)]
    ceiling = runs[0].per_second or 1.0
    rows = [
        [
            run.name,
            f"{run.per_second:,.0f}",
            f"{run.summary()['p50_ms']}",
            f"{run.summary()['p99_ms']}",
            f"{run.per_second / ceiling:.2f}",
            ",".join(f"{k}:{v}" for k, v in run.summary()["statuses"].items()),
        ]
        for run in runs
    ]
    title = (
        f"Order placement, {args.clients} concurrent clients, "
        f"{args.rounds} x {args.seconds:g} s each "
        f"— {info['nproc']} CPU ({info['cpu']}), PostgreSQL {info['postgresql']}, "
        f"Granian {workers} workers x {args.threads} threads"
    )
    print(
        server.table(
            title, rows, ["scenario", "orders/s", "p50 ms", "p99 ms", "x ceiling", "statuses"]
        )
    )
    api, naive = runs[1].per_second, runs[2].per_second
    print(f"\nSinergi API / naive view: {api / naive if naive else float('nan'):.2f}x")
    path = server.results_write(
        "orders_api",
        {
            "benchmark": "orders_api",
            "when": datetime.now().astimezone().isoformat(),
            "hardware": info,
            "parameters": {**vars(args), "workers": workers},
            "runs": [run.summary() for run in runs],
            "rounds": [[run.summary() for run in r] for r in rounds],
            "ratios": {
                "api_to_bare_sql": round(api / ceiling, 3),
                "naive_to_bare_sql": round(naive / ceiling, 3),
                "api_to_naive": round(api / naive, 3) if naive else None,
                "naive_to_bare_sql_without_counter": round(naive / runs[3].per_second, 3)
                if runs[3].per_second
                else None,
            },
        },
    )
    print(f"written: {path}")


if __name__ == "__main__":
    main()
