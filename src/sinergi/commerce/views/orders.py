"""Order pages: the list, the fast manual order form, an order with its steps and payments,
receipts and invoices as PDF, and who owes what (kasbon)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.commerce import receipts, selectors, selectors_web
from sinergi.commerce.forms.orders import (
    KASBON,
    UNPAID,
    LineChoice,
    OrderCreateForm,
    OrderFilterForm,
    PaymentForm,
)
from sinergi.commerce.models import Order, OrderStatus, Variant
from sinergi.commerce.services import orders as order_services
from sinergi.commerce.services.errors import CommerceError
from sinergi.commerce.views import PAGE_SIZE, SHOP, form_error


@membership_required(kinds=SHOP)
@require_GET
def order_list(request: WorkspaceRequest) -> HttpResponse:
    form = OrderFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        filters = {k: v for k, v in form.cleaned_data.items() if v}
    page = Paginator(selectors_web.order_list(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "commerce/order_list.html",
        {"form": form, "page": page, "query": query.urlencode(), "filtered": bool(filters)},
    )


@membership_required(kinds=SHOP)
@require_http_methods(["GET", "POST"])
def order_create(request: WorkspaceRequest) -> HttpResponse:
    form = OrderCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        paid_now = data["payment"] not in (UNPAID, KASBON)
        try:
            order = order_services.order_place(
                organisation=request.organisation,
                channel=data["channel"],
                lines=[(line.variant.pk, line.quantity) for line in form.lines],
                customer_name=data["customer_name"],
                customer_phone=data["customer_phone"],
                address=data["address"],
                delivery_note=data["delivery_note"],
                shipping_fee=data["shipping_fee"],
                discount=data["discount"],
                payment_method=data["payment"] if paid_now else "",
                is_credit=data["payment"] == KASBON,
                created_by=request.user,
            )
            if paid_now and order.total > 0:
                order_services.payment_record(
                    organisation=request.organisation,
                    order=order,
                    method=data["payment"],
                    amount=order.total,
                    created_by=request.user,
                )
        except CommerceError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Order %(number)s recorded.") % {"number": order.number})
            return redirect("commerce:order_detail", pk=order.pk)
    status = 400 if form.is_bound else 200
    picked = form.lines if form.is_bound else []
    if form.is_bound and not picked:
        picked = _picked_from_post(request)
    return render(
        request,
        "commerce/order_create.html",
        {"form": form, "picked": picked, "results": selectors_web.variant_search("", limit=8)},
        status=status,
    )


def _picked_from_post(request: WorkspaceRequest) -> list[Any]:
    """The lines the person had picked, to show them again when the form has an error."""
    wanted: dict[int, int] = {}
    for key, raw in request.POST.items():
        if key.startswith("qty_") and key[4:].isdigit() and str(raw).strip().isdigit():
            wanted[int(key[4:])] = int(str(raw))
    variants = Variant.objects.select_related("product").in_bulk(list(wanted))
    return [LineChoice(variants[vid], q) for vid, q in wanted.items() if vid in variants]


@membership_required(kinds=SHOP)
@require_GET
def order_product_search(request: WorkspaceRequest) -> HttpResponse:
    """The product picker's results (htmx fragment)."""
    q = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "commerce/_variant_results.html",
        {"results": selectors_web.variant_search(q, limit=12), "q": q},
    )


@membership_required(kinds=SHOP)
@require_GET
def order_line_row(request: WorkspaceRequest) -> HttpResponse:
    """One picked line of the new-order form (htmx fragment), quantity 1."""
    try:
        variant_id = int(request.GET.get("variant", ""))
    except ValueError:
        raise Http404 from None
    variant = (
        selectors_web.variants_with_stock()
        .select_related("product")
        .filter(pk=variant_id, is_active=True)
        .first()
    )
    if variant is None:
        raise Http404
    return render(request, "commerce/_order_line.html", {"variant": variant, "quantity": 1})


# The steps an order can take from each status, as buttons on the order page.
_STEPS: dict[str, tuple[str, ...]] = {
    OrderStatus.PLACED: ("pack", "ship", "complete", "cancel"),
    OrderStatus.PAID: ("pack", "ship", "complete", "cancel"),
    OrderStatus.PACKED: ("ship", "complete", "cancel"),
    OrderStatus.SHIPPED: ("complete", "return"),
    OrderStatus.COMPLETED: ("return",),
}
_STEP_LABELS = {
    "pack": gettext_lazy("Mark packed"),
    "ship": gettext_lazy("Mark shipped"),
    "complete": gettext_lazy("Mark completed"),
    "cancel": gettext_lazy("Cancel order"),
    "return": gettext_lazy("Record return"),
}
_STEP_DONE = {
    "pack": gettext_lazy("Order %(number)s is packed."),
    "ship": gettext_lazy("Order %(number)s is shipped; the stock left the shelf."),
    "complete": gettext_lazy("Order %(number)s is completed."),
    "cancel": gettext_lazy("Order %(number)s is cancelled; its stock is free again."),
    "return": gettext_lazy("Order %(number)s is returned; the goods are back in stock."),
}
_MANAGER_STEPS = frozenset({"cancel", "return"})
_SERVICES: dict[str, Callable[..., Order]] = {
    "pack": order_services.order_pack,
    "ship": order_services.order_ship,
    "complete": order_services.order_complete,
    "cancel": order_services.order_cancel,
    "return": order_services.order_return,
}


def _order(pk: int) -> Order:
    try:
        return selectors_web.order_detail(pk)
    except Order.DoesNotExist:
        raise Http404 from None


def _detail(
    request: WorkspaceRequest, order: Order, *, payment_form: PaymentForm | None = None
) -> HttpResponse:
    can_manage = request.membership.can_manage
    steps = [
        {"action": action, "label": _STEP_LABELS[action], "danger": action in _MANAGER_STEPS}
        for action in _STEPS.get(order.status, ())
        if can_manage or action not in _MANAGER_STEPS
    ]
    can_pay = order.balance_due > 0 and order.status not in (
        OrderStatus.CANCELLED,
        OrderStatus.RETURNED,
    )
    return render(
        request,
        "commerce/order_detail.html",
        {
            "order": order,
            "steps": steps,
            "payment_form": (payment_form or PaymentForm(balance_due=order.balance_due))
            if can_pay
            else None,
            "wa_link": _customer_whatsapp(order),
        },
        status=400 if payment_form is not None else 200,
    )


def _customer_whatsapp(order: Order) -> str:
    digits = "".join(ch for ch in order.customer_phone if ch.isdigit())
    return f"https://wa.me/{digits}" if digits else ""


@membership_required(kinds=SHOP)
@require_GET
def order_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _detail(request, _order(pk))


@membership_required(kinds=SHOP)
@require_POST
def order_step(request: WorkspaceRequest, pk: int, action: str) -> HttpResponse:
    if action not in _SERVICES:
        raise Http404
    order = _order(pk)
    if action in _MANAGER_STEPS and not request.membership.can_manage:
        raise PermissionDenied
    kwargs: dict[str, Any] = {"organisation": request.organisation, "order": order}
    if action != "pack":
        kwargs["created_by"] = request.user
    try:
        _SERVICES[action](**kwargs)
    except CommerceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _STEP_DONE[action] % {"number": order.number})
    return redirect("commerce:order_detail", pk=order.pk)


@membership_required(kinds=SHOP)
@require_POST
def payment_create(request: WorkspaceRequest, pk: int) -> HttpResponse:
    order = _order(pk)
    form = PaymentForm(request.POST, balance_due=order.balance_due)
    if form.is_valid():
        try:
            order_services.payment_record(
                organisation=request.organisation,
                order=order,
                method=form.cleaned_data["method"],
                amount=form.cleaned_data["amount"],
                reference=form.cleaned_data["reference"],
                created_by=request.user,
            )
        except CommerceError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Payment recorded."))
            return redirect("commerce:order_detail", pk=order.pk)
    return _detail(request, order, payment_form=form)


@membership_required(kinds=SHOP)
@require_GET
def order_document(request: WorkspaceRequest, pk: int, kind: str) -> HttpResponse:
    """The receipt (nota) or invoice (faktur) as a PDF, in Indonesian."""
    if kind not in receipts.KINDS:
        raise Http404
    order = _order(pk)
    document = receipts.receipt_document(order, request.organisation, kind=kind, language="id")
    response = HttpResponse(receipts.receipt_pdf(document), content_type="application/pdf")
    prefix = "nota" if kind == receipts.RECEIPT else "faktur"
    response["Content-Disposition"] = f'inline; filename="{prefix}-{order.number}.pdf"'
    return response


@membership_required(kinds=SHOP)
@require_GET
def debtor_list(request: WorkspaceRequest) -> HttpResponse:
    """Who owes what (kasbon)."""
    debtors = selectors.debts(organisation=request.organisation)
    return render(
        request,
        "commerce/debtor_list.html",
        {"debtors": debtors, "total_owed": sum(d.owed for d in debtors)},
    )
