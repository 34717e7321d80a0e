"""Benchmark: the cached storefront product page, against a bare Django view of the same bytes.

    uv run python -m bench.storefront                    # 32 clients, 3 rounds of 10 s
    uv run python -m bench.storefront --clients 64 --seconds 20

In a PostgreSQL database of its own (``DATABASE_URL``, default
``postgres://postgres@127.0.0.1:5432/sinergi_bench_storefront``, created and migrated if
missing), one shop with a product of three variants in stock. ``sinergi serve`` (Granian,
WSGI) on loopback answers, with ``--clients`` concurrent keep-alive clients:

* **Sinergi**: ``GET /s/<shop>/p/<product>/`` — the real storefront view, its page cached per
  catalog version, with the visitor's CSRF token and cart count put in per request;
* **ceiling, bare Django view**: a view returning the bytes of that same page, read once
  (the whole middleware stack still runs — it is the floor of any Django page);

Prints a table (absolute numbers, ratio to the ceiling, hardware) and writes
bench/results/storefront.json. Loopback only; every run is bounded in time and requests.
"""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path
from typing import Any

from bench import server

server.environment_prepare("sinergi_bench_storefront")


def setup() -> dict[str, Any]:
    """One shop with one product of three variants in stock; returns its page's path."""
    from sinergi.accounts.models import Organisation, User  # noqa: PLC0415
    from sinergi.accounts.services import organisation_create  # noqa: PLC0415
    from sinergi.commerce.models import Product, Variant  # noqa: PLC0415
    from sinergi.commerce.services.catalog import VariantInput, product_create  # noqa: PLC0415
    from sinergi.commerce.services.stock import stock_receive  # noqa: PLC0415
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    slug = "bench-toko"
    shop = Organisation.objects.filter(slug=slug).first()
    if shop is None:
        user, _ = User.objects.get_or_create(email="bench-store@sinergi.local")
        shop = organisation_create(creator=user, name="Toko Bench", kind="shop", slug=slug)
    with tenant_context(shop.pk):
        product = Product.objects.filter(name="Kemeja Batik Parang").first()
        if product is None:
            product = product_create(
                organisation=shop,
                name="Kemeja Batik Parang",
                description="Batik tulis Yogyakarta, katun primisima, jahitan rapi. " * 5,
                variants=[
                    VariantInput(sku=f"KMJ-{size}", name=size, price=150_000 + 10_000 * i)
                    for i, size in enumerate(["M", "L", "XL"])
                ],
            )
            for variant in Variant.objects.filter(product=product):
                stock_receive(organisation=shop, variant=variant, quantity=1_000)
    return {"path": f"/s/{shop.slug}/p/{product.slug}/"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--workers", type=int, default=None, help="Granian workers (nproc)")
    parser.add_argument("--threads", type=int, default=8, help="threads per worker")
    args = parser.parse_args()

    server.database_ensure()
    ctx = setup()
    info = server.hardware()
    workers = args.workers or info["nproc"] or 1
    load = {"clients": args.clients, "seconds": args.seconds, "warmup": args.warmup}
    bare_file = Path(os.environ["SINERGI_DATA_DIR"]) / "bare-page.html"
    os.environ["SINERGI_BENCH_BARE_FILE"] = str(bare_file)
    names = [f"Sinergi: cached GET {ctx['path']}", "ceiling: bare Django view, same bytes"]

    def page(index: int, n: int) -> bytes:
        return server.http_request("GET", ctx["path"], port)

    def bare(index: int, n: int) -> bytes:
        return server.http_request("GET", "/bench/bare-page/", port)

    rounds: list[list[server.Run]] = []
    with server.sinergi_serve(workers=workers, threads=args.threads) as port:
        status, body = server.fetch(port, ctx["path"])
        assert status == 200, (status, body[:300])
        bare_file.write_bytes(body)
        status, same = server.fetch(port, "/bench/bare-page/")
        assert status == 200
        assert same == body, "the bare view must return the same bytes"
        rounds.extend(
            [
                server.load(names[0], port, page, **load),
                server.load(names[1], port, bare, **load),
            ]
            for _ in range(args.rounds)
        )
    runs = [server.Run.combined(name, [r[i] for r in rounds]) for i, name in enumerate(names)]
    ceiling = runs[1].per_second or 1.0
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
        f"Storefront product page ({len(body):,} bytes), {args.clients} concurrent clients, "
        f"{args.rounds} x {args.seconds:g} s each — {info['nproc']} CPU ({info['cpu']}), "
        f"PostgreSQL {info['postgresql']}, Granian {workers} workers x {args.threads} threads"
    )
    print(
        server.table(
            title, rows, ["scenario", "req/s", "p50 ms", "p99 ms", "x ceiling", "statuses"]
        )
    )
    path = server.results_write(
        "storefront",
        {
            "benchmark": "storefront",
            "when": datetime.now().astimezone().isoformat(),
            "hardware": info,
            "parameters": {**vars(args), "workers": workers, "page_bytes": len(body)},
            "runs": [run.summary() for run in runs],
            "rounds": [[run.summary() for run in r] for r in rounds],
            "ratios": {"page_to_bare_view": round(runs[0].per_second / ceiling, 3)},
        },
    )
    print(f"written: {path}")


if __name__ == "__main__":
    main()
