"""The peers served beside Sinergi by the benchmark servers (ROOT_URLCONF of bench.settings).

The real URLconf is included unchanged; these views only add what the benchmarks compare
against: a naive read-then-write order view and a bare view returning fixed bytes.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from django.db import transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt


@csrf_exempt
def naive_order(request: HttpRequest) -> HttpResponse:
    """What a peer would write: read the balance, check in Python, save, create the rows.

    No row lock and no conditional UPDATE (the oversell shape); numbers from a random id, not a
    counter. Authentication is left out, which only flatters the peer.
    """
    from sinergi.commerce.models import (  # noqa: PLC0415
        Order,
        OrderLine,
        StockBalance,
        StockMovement,
        Variant,
    )
    from sinergi.core.tenancy import tenant_context  # noqa: PLC0415

    data = json.loads(request.body)
    organisation_id = int(data["organisation_id"])
    quantity = int(data["quantity"])
    with tenant_context(organisation_id), transaction.atomic():
        variant = Variant.objects.select_related("product").get(pk=data["variant_id"])
        balance = StockBalance.objects.get(variant=variant)
        if balance.on_hand - balance.reserved < quantity:
            return JsonResponse({"detail": "sold out"}, status=409)
        balance.reserved += quantity
        balance.save()
        order = Order.objects.create(
            organisation_id=organisation_id,
            number=f"N-{os.urandom(6).hex()}",
            channel="phone",
            location_id=balance.location_id,
            subtotal=variant.price * quantity,
            total=variant.price * quantity,
            placed_at=timezone.now(),
        )
        OrderLine.objects.create(
            organisation_id=organisation_id,
            order=order,
            variant=variant,
            product_name=variant.product.name,
            variant_name=variant.name,
            sku=variant.sku,
            quantity=quantity,
            unit_price=variant.price,
            line_total=variant.price * quantity,
        )
        StockMovement.objects.create(
            organisation_id=organisation_id,
            variant=variant,
            location_id=balance.location_id,
            kind="reservation",
            reserved_delta=quantity,
            order=order,
        )
    return JsonResponse({"id": order.pk, "number": order.number}, status=201)


_BARE: dict[str, bytes] = {}


def bare_bytes(request: HttpRequest) -> HttpResponse:
    """The ceiling for a page: a Django view returning bytes it already has (read once)."""
    body = _BARE.get("page")
    if body is None:
        body = _BARE["page"] = Path(os.environ["SINERGI_BENCH_BARE_FILE"]).read_bytes()
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [
    path("bench/naive-order/", naive_order),
    path("bench/bare-page/", bare_bytes),
    path("", include("sinergi.urls")),
]
