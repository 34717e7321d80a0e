"""The shop's HTTP API (django-ninja): catalog, stock and orders, for the shop's own programs.

Served at ``/api/``; the OpenAPI document at ``/api/openapi.json`` and its browsable docs at
``/api/docs`` (Swagger UI served from this installation, never from a CDN).

Every call carries ``Authorization: Bearer sng_…``, a token the shop's owner created on the
"API tokens" page. The token names the shop: the call runs in that shop's tenant context, so
an id of another shop's product or order answers 404 exactly like an id that does not exist.
Errors are JSON ``{"detail": "…"}`` (plus ``"errors"`` for invalid fields): 400 bad input,
401 missing/unknown/revoked token, 403 an organisation that is not a shop, 404 not found,
409 a conflict with the current state (sold out, a status step that is not possible).

Endpoints parse, authorise and call one domain service each; the rules live in the services.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import ExitStack
from functools import wraps
from pathlib import Path as FilePath
from typing import Any, Literal

import ninja
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import escape
from ninja import NinjaAPI, Path, Query, Status
from ninja.decorators import decorate_view
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.openapi.docs import DocsBase
from ninja.security import HttpBearer

from sinergi.commerce.http_schemas import (
    AdjustIn,
    BalancePageOut,
    ErrorOut,
    Id,
    MovementOut,
    MovementPageOut,
    OrderFilter,
    OrderIn,
    OrderOut,
    OrderPageOut,
    Page,
    PaymentIn,
    ProductIn,
    ProductOut,
    ProductPageOut,
    ProductPatch,
    ReceiveIn,
    StockFilter,
    VariantIn,
    VariantOut,
    VariantPatch,
)
from sinergi.commerce.models import (
    ApiToken,
    Category,
    Location,
    Order,
    Product,
    StockBalance,
    StockMovement,
    Variant,
)
from sinergi.commerce.services import catalog as catalog_services
from sinergi.commerce.services import orders as order_services
from sinergi.commerce.services import stock as stock_services
from sinergi.commerce.services.errors import (
    CommerceError,
    InsufficientStock,
    InvalidInput,
    InvalidTransition,
)
from sinergi.commerce.tokens import api_token_authenticate
from sinergi.core.tenancy import tenant_context

# --- Authentication and tenant context -------------------------------------------------------


class ShopBearer(HttpBearer):
    """``Authorization: Bearer sng_…``: a shop's active API token."""

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        api_token = api_token_authenticate(token)
        if api_token is None:
            return None
        if not api_token.organisation.is_shop:
            raise Forbidden
        stack: ExitStack | None = getattr(request, "_sinergi_tenant_stack", None)
        if stack is not None:
            stack.enter_context(tenant_context(api_token.organisation_id))
        return api_token


class Forbidden(Exception):
    """The token is valid but may not use the API."""


def tenant_scoped(run: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Hold the token's tenant context from authentication until the response is rendered."""

    @wraps(run)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        with ExitStack() as stack:
            request._sinergi_tenant_stack = stack  # type: ignore[attr-defined]
            return run(request, *args, **kwargs)

    return wrapped


def _token(request: HttpRequest) -> ApiToken:
    return request.auth  # type: ignore[attr-defined]


class LocalSwagger(DocsBase):
    """Swagger UI from django-ninja's bundled files, served by this app (no CDN)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        settings = {"url": self.get_openapi_url(api, kwargs), "layout": "BaseLayout"}
        # Inside <script> nothing is unescaped; "<" is the one character that could end it.
        settings_json = json.dumps(settings).replace("<", "\\u003c")
        assets = {name: reverse(f"api:docs-{name}") for name in ("css", "bundle", "init")}
        html = (
            "<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<title>{escape(api.title)}</title>"
            f"<link rel='stylesheet' href='{assets['css']}'></head><body>"
            "<script type='application/json' id='swagger-settings'>"
            f"{settings_json}</script><div id='swagger-ui'></div>"
            f"<script src='{assets['bundle']}'></script>"
            f"<script src='{assets['init']}'></script></body></html>"
        )
        return HttpResponse(html)


api = NinjaAPI(
    title="Sinergi shop API",
    version="1",
    description=__doc__ or "",
    auth=ShopBearer(),
    urls_namespace="api",
    docs=LocalSwagger(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)


ERRORS: dict[int, Any] = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
CONFLICT: dict[int, Any] = {**ERRORS, 409: ErrorOut}


def _error(request: HttpRequest, status: int, detail: str, **extra: Any) -> HttpResponse:
    return api.create_response(request, {"detail": detail, **extra}, status=status)


@api.exception_handler(NinjaValidationError)
def _invalid(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = [
        {"field": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg", ""))}
        for e in exc.errors
    ]
    return _error(request, 400, "The request is not valid.", errors=errors)


@api.exception_handler(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return _error(
        request, 401, "Send a valid API token: Authorization: Bearer sng_… (see API tokens)."
    )


@api.exception_handler(Forbidden)
def _forbidden(request: HttpRequest, exc: Forbidden) -> HttpResponse:
    return _error(request, 403, "Only shops can use the API.")


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")


@api.exception_handler(CommerceError)
def _refused(request: HttpRequest, exc: CommerceError) -> HttpResponse:
    conflict = isinstance(exc, InsufficientStock | InvalidTransition)
    extra: dict[str, Any] = {}
    if exc.field:
        extra["errors"] = [{"field": exc.field, "message": exc.message}]
    return _error(request, 409 if conflict else 400, exc.message, **extra)


def _page(request: HttpRequest, queryset: QuerySet[Any], page: Page) -> tuple[int, list[Any]]:
    """One page of a list. A misspelt filter is refused rather than ignored, because ignoring
    it would answer with the unfiltered list."""
    unknown = sorted(set(request.GET) - set(type(page).model_fields))
    if unknown:
        raise NinjaValidationError(
            [{"loc": ("query", name), "msg": "Unknown query parameter."} for name in unknown]
        )
    return queryset.count(), list(queryset[page.offset : page.offset + page.limit])


# --- Catalog --------------------------------------------------------------------------------


def _products() -> QuerySet[Product]:
    return Product.objects.select_related("category").prefetch_related("variants")


def _category(organisation: Any, name: str | None) -> Category | None:
    if not name or not name.strip():
        return None
    return catalog_services.category_create(organisation=organisation, name=name)


@api.get("/products", response={200: ProductPageOut, **ERRORS}, tags=["catalog"])
@decorate_view(tenant_scoped)
def products_list(request: HttpRequest, page: Query[Page]) -> Any:
    """Products with their variants, by name."""
    count, items = _page(request, _products().order_by("name", "pk"), page)
    return {"count": count, "items": items}


@api.post("/products", response={201: ProductOut, **ERRORS}, tags=["catalog"])
@decorate_view(tenant_scoped)
def product_create(request: HttpRequest, data: ProductIn) -> Any:
    """Add a product with its variants (SKUs unique in the shop)."""
    organisation = _token(request).organisation
    product = catalog_services.product_create(
        organisation=organisation,
        name=data.name,
        description=data.description,
        category=_category(organisation, data.category),
        is_active=data.is_active,
        variants=[catalog_services.VariantInput(**v.dict()) for v in data.variants],
    )
    return Status(201, _products().get(pk=product.pk))


@api.get("/products/{product_id}", response={200: ProductOut, **ERRORS}, tags=["catalog"])
@decorate_view(tenant_scoped)
def product_get(request: HttpRequest, product_id: Path[Id]) -> Any:
    return get_object_or_404(_products(), pk=product_id)


@api.patch("/products/{product_id}", response={200: ProductOut, **ERRORS}, tags=["catalog"])
@decorate_view(tenant_scoped)
def product_update(request: HttpRequest, product_id: Path[Id], data: ProductPatch) -> Any:
    """Change the fields given; the others stay."""
    organisation = _token(request).organisation
    product = get_object_or_404(_products(), pk=product_id)
    fields = data.dict(exclude_unset=True)
    category = product.category
    if "category" in fields:
        category = _category(organisation, fields["category"])
    catalog_services.product_update(
        organisation=organisation,
        product=product,
        name=fields.get("name") or product.name,
        description=fields.get("description", product.description) or "",
        category=category,
        is_active=product.is_active if fields.get("is_active") is None else fields["is_active"],
    )
    return _products().get(pk=product.pk)


@api.post("/products/{product_id}/variants", response={201: VariantOut, **ERRORS}, tags=["catalog"])
@decorate_view(tenant_scoped)
def variant_create(request: HttpRequest, product_id: Path[Id], data: VariantIn) -> Any:
    organisation = _token(request).organisation
    product = get_object_or_404(Product.objects.all(), pk=product_id)
    variant = catalog_services.variant_create(
        organisation=organisation,
        product=product,
        data=catalog_services.VariantInput(**data.dict()),
    )
    return Status(201, variant)


@api.patch("/variants/{variant_id}", response={200: VariantOut, **ERRORS}, tags=["catalog"])
@decorate_view(tenant_scoped)
def variant_update(request: HttpRequest, variant_id: Path[Id], data: VariantPatch) -> Any:
    organisation = _token(request).organisation
    variant = get_object_or_404(Variant.objects.all(), pk=variant_id)
    current = {
        "sku": variant.sku,
        "price": variant.price,
        "name": variant.name,
        "cost_price": variant.cost_price,
        "low_stock_threshold": variant.low_stock_threshold,
        "is_active": variant.is_active,
    }
    changes = {k: v for k, v in data.dict(exclude_unset=True).items() if v is not None}
    if "cost_price" in data.dict(exclude_unset=True):
        changes["cost_price"] = data.cost_price
    return catalog_services.variant_update(
        organisation=organisation,
        variant=variant,
        data=catalog_services.VariantInput(**{**current, **changes}),
    )


# --- Stock ----------------------------------------------------------------------------------


@api.get("/stock/balances", response={200: BalancePageOut, **ERRORS}, tags=["stock"])
@decorate_view(tenant_scoped)
def balances_list(request: HttpRequest, filters: Query[StockFilter]) -> Any:
    """On hand, reserved for open orders, and available, per variant and location."""
    queryset = StockBalance.objects.select_related("variant", "location").order_by(
        "variant_id", "location_id"
    )
    if filters.variant_id:
        queryset = queryset.filter(variant_id=filters.variant_id)
    count, items = _page(request, queryset, filters)
    return {"count": count, "items": items}


@api.get("/stock/movements", response={200: MovementPageOut, **ERRORS}, tags=["stock"])
@decorate_view(tenant_scoped)
def movements_list(request: HttpRequest, filters: Query[StockFilter]) -> Any:
    """The stock ledger, newest first."""
    queryset = StockMovement.objects.order_by("-created_at", "-pk")
    if filters.variant_id:
        queryset = queryset.filter(variant_id=filters.variant_id)
    count, items = _page(request, queryset, filters)
    return {"count": count, "items": items}


def _stock_target(variant_id: int, location_id: int | None) -> tuple[Variant, Location | None]:
    variant = get_object_or_404(Variant.objects.all(), pk=variant_id)
    location = get_object_or_404(Location.objects.all(), pk=location_id) if location_id else None
    return variant, location


@api.post("/stock/receive", response={201: MovementOut, **CONFLICT}, tags=["stock"])
@decorate_view(tenant_scoped)
def stock_receive(request: HttpRequest, data: ReceiveIn) -> Any:
    """Goods came in: on hand goes up."""
    token = _token(request)
    variant, location = _stock_target(data.variant_id, data.location_id)
    movement = stock_services.stock_receive(
        organisation=token.organisation,
        variant=variant,
        quantity=data.quantity,
        location=location,
        note=data.note,
        created_by=token.created_by,
    )
    return Status(201, movement)


@api.post("/stock/adjust", response={201: MovementOut, **CONFLICT}, tags=["stock"])
@decorate_view(tenant_scoped)
def stock_adjust(request: HttpRequest, data: AdjustIn) -> Any:
    """Correct on hand (damaged, lost, found); stock promised to open orders stays."""
    token = _token(request)
    variant, location = _stock_target(data.variant_id, data.location_id)
    movement = stock_services.stock_adjust(
        organisation=token.organisation,
        variant=variant,
        delta=data.delta,
        location=location,
        note=data.note,
        created_by=token.created_by,
    )
    return Status(201, movement)


# --- Orders ---------------------------------------------------------------------------------


def _orders() -> QuerySet[Order]:
    return Order.objects.prefetch_related("lines")


@api.get("/orders", response={200: OrderPageOut, **ERRORS}, tags=["orders"])
@decorate_view(tenant_scoped)
def orders_list(request: HttpRequest, filters: Query[OrderFilter]) -> Any:
    """Orders from every channel, newest first."""
    queryset = _orders().order_by("-placed_at", "-pk")
    if filters.status:
        queryset = queryset.filter(status=filters.status)
    if filters.channel:
        queryset = queryset.filter(channel=filters.channel)
    count, items = _page(request, queryset, filters)
    return {"count": count, "items": items}


@api.post("/orders", response={201: OrderOut, **CONFLICT}, tags=["orders"])
@decorate_view(tenant_scoped)
def order_create(request: HttpRequest, data: OrderIn) -> Any:
    """Place an order and reserve its stock; 409 names a product that is sold out.

    With an ``external_id`` the call is idempotent: sending the same order again returns it.
    """
    token = _token(request)
    try:
        order = order_services.order_place(
            organisation=token.organisation,
            channel=data.channel,
            lines=[(line.variant_id, line.quantity) for line in data.lines],
            customer_name=data.customer_name,
            customer_phone=data.customer_phone,
            address=data.address,
            delivery_note=data.delivery_note,
            shipping_fee=data.shipping_fee,
            discount=data.discount,
            payment_method=data.payment_method,
            is_credit=data.is_credit,
            external_id=data.external_id,
            created_by=token.created_by,
        )
    except InvalidInput:
        # An id of no product of this shop (another shop's included) is "not found"; checked
        # only on refusal so that the usual order costs no extra query.
        wanted = {line.variant_id for line in data.lines}
        if Variant.objects.filter(pk__in=wanted).count() != len(wanted):
            raise Http404 from None
        raise
    return Status(201, order)


@api.get("/orders/{order_id}", response={200: OrderOut, **ERRORS}, tags=["orders"])
@decorate_view(tenant_scoped)
def order_get(request: HttpRequest, order_id: Path[Id]) -> Any:
    return get_object_or_404(_orders(), pk=order_id)


@api.post("/orders/{order_id}/payments", response={201: OrderOut, **CONFLICT}, tags=["orders"])
@decorate_view(tenant_scoped)
def order_pay(request: HttpRequest, order_id: Path[Id], data: PaymentIn) -> Any:
    """Record money received (in full by default); a placed order paid in full becomes paid."""
    token = _token(request)
    order = get_object_or_404(Order.objects.all(), pk=order_id)
    amount = data.amount if data.amount is not None else order.balance_due
    order_services.payment_record(
        organisation=token.organisation,
        order=order,
        method=data.method,
        amount=amount,
        reference=data.reference,
        created_by=token.created_by,
    )
    return Status(201, _orders().get(pk=order.pk))


_STEPS: dict[str, Callable[..., Order]] = {
    "pack": lambda **kw: order_services.order_pack(
        organisation=kw["organisation"], order=kw["order"]
    ),
    "ship": order_services.order_ship,
    "complete": order_services.order_complete,
    "cancel": order_services.order_cancel,
    "return": order_services.order_return,
}


@api.post("/orders/{order_id}/{step}", response={200: OrderOut, **CONFLICT}, tags=["orders"])
@decorate_view(tenant_scoped)
def order_step(
    request: HttpRequest,
    order_id: Path[Id],
    step: Path[Literal["pack", "ship", "complete", "cancel", "return"]],
) -> Any:
    """Move the order on: pack, ship (stock leaves), complete, cancel (stock released), or
    return (stock comes back). 409 when the order's status does not allow the step."""
    token = _token(request)
    order = get_object_or_404(Order.objects.all(), pk=order_id)
    _STEPS[step](organisation=token.organisation, order=order, created_by=token.created_by)
    return _orders().get(pk=order.pk)


# --- URLs -----------------------------------------------------------------------------------

_NINJA_STATIC = FilePath(ninja.__file__).parent / "static" / "ninja"


def _asset(filename: str, content_type: str) -> Callable[[HttpRequest], FileResponse]:
    def serve(request: HttpRequest) -> FileResponse:
        response = FileResponse((_NINJA_STATIC / filename).open("rb"), content_type=content_type)
        response["Cache-Control"] = "public, max-age=86400"
        return response

    serve.__name__ = f"docs_{filename.replace('-', '_').replace('.', '_')}"
    return serve


# Included by sinergi/urls.py at "api/"; the namespace is the API's ("api:openapi-json").
app_name = "api"
urlpatterns = [
    *api.urls[0],
    path("docs/swagger-ui.css", _asset("swagger-ui.css", "text/css"), name="docs-css"),
    path(
        "docs/swagger-ui-bundle.js",
        _asset("swagger-ui-bundle.js", "text/javascript"),
        name="docs-bundle",
    ),
    path(
        "docs/swagger-ui-init.js", _asset("swagger-ui-init.js", "text/javascript"), name="docs-init"
    ),
]
