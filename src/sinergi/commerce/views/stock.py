"""Stock pages: the overview, one variant's balances with its forms and ledger, the ledger."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.commerce import selectors_web
from sinergi.commerce.forms.stock import (
    AdjustForm,
    CountForm,
    LocationForm,
    ReceiveForm,
    ReverseForm,
    TransferForm,
)
from sinergi.commerce.models import Location, StockMovement, Variant
from sinergi.commerce.services import stock as stock_services
from sinergi.commerce.services.errors import CommerceError
from sinergi.commerce.views import MANAGERS, PAGE_SIZE, SHOP, form_error


@membership_required(kinds=SHOP)
@require_GET
def stock_list(request: WorkspaceRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors_web.stock_overview(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commerce/stock_list.html",
        {
            "page": page,
            "q": q,
            "locations": Location.objects.all(),
            "location_form": LocationForm(),
        },
    )


def _variant_page(
    request: WorkspaceRequest, variant: Variant, status: int = 200, **bound: forms.Form
) -> HttpResponse:
    locations = list(Location.objects.all())
    initial = {"location": next((loc for loc in locations if loc.is_default), None)}
    context: dict[str, Any] = {
        "variant": variant,
        "balances": selectors_web.variant_balances(variant),
        "movements": selectors_web.movement_list(variant=variant)[:50],
        "receive_form": ReceiveForm(initial=initial, prefix="receive"),
        "adjust_form": AdjustForm(initial=initial, prefix="adjust"),
        "count_form": CountForm(initial=initial, prefix="count"),
        "transfer_form": TransferForm(initial=initial, prefix="transfer")
        if len(locations) > 1
        else None,
        "open_form": next(iter(bound), ""),
        "can_manage": request.membership.can_manage,
    }
    context.update(bound)
    return render(request, "commerce/variant_stock.html", context, status=status)


def _variant(pk: int) -> Variant:
    return get_object_or_404(Variant.objects.select_related("product"), pk=pk)


@membership_required(kinds=SHOP)
@require_GET
def variant_stock(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _variant_page(request, _variant(pk))


@membership_required(kinds=SHOP)
@require_POST
def stock_receive(request: WorkspaceRequest, pk: int) -> HttpResponse:
    variant = _variant(pk)
    form = ReceiveForm(request.POST, prefix="receive")
    if form.is_valid():
        try:
            stock_services.stock_receive(
                organisation=request.organisation,
                variant=variant,
                quantity=form.cleaned_data["quantity"],
                location=form.cleaned_data["location"],
                note=form.cleaned_data["note"],
                created_by=request.user,
            )
        except CommerceError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(quantity)s × %(name)s received.")
                % {"quantity": form.cleaned_data["quantity"], "name": variant.display_name},
            )
            return redirect("commerce:variant_stock", pk=variant.pk)
    return _variant_page(request, variant, status=400, receive_form=form)


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def stock_adjust(request: WorkspaceRequest, pk: int) -> HttpResponse:
    variant = _variant(pk)
    form = AdjustForm(request.POST, prefix="adjust")
    if form.is_valid():
        try:
            stock_services.stock_adjust(
                organisation=request.organisation,
                variant=variant,
                delta=form.cleaned_data["delta"],
                location=form.cleaned_data["location"],
                note=form.cleaned_data["note"],
                created_by=request.user,
            )
        except CommerceError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Stock adjusted."))
            return redirect("commerce:variant_stock", pk=variant.pk)
    return _variant_page(request, variant, status=400, adjust_form=form)


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def stock_count(request: WorkspaceRequest, pk: int) -> HttpResponse:
    variant = _variant(pk)
    form = CountForm(request.POST, prefix="count")
    if form.is_valid():
        try:
            movement = stock_services.stock_count(
                organisation=request.organisation,
                variant=variant,
                counted=form.cleaned_data["counted"],
                location=form.cleaned_data["location"],
                note=form.cleaned_data["note"],
                created_by=request.user,
            )
        except CommerceError as error:
            form_error(form, error)
        else:
            if movement is None:
                messages.success(request, _("The count matches the books; nothing changed."))
            else:
                messages.success(
                    request,
                    _("Count recorded: %(delta)+d against the books.")
                    % {"delta": movement.on_hand_delta},
                )
            return redirect("commerce:variant_stock", pk=variant.pk)
    return _variant_page(request, variant, status=400, count_form=form)


@membership_required(kinds=SHOP)
@require_POST
def stock_transfer(request: WorkspaceRequest, pk: int) -> HttpResponse:
    variant = _variant(pk)
    form = TransferForm(request.POST, prefix="transfer")
    if form.is_valid():
        try:
            stock_services.stock_transfer(
                organisation=request.organisation,
                variant=variant,
                quantity=form.cleaned_data["quantity"],
                source=form.cleaned_data["location"],
                destination=form.cleaned_data["destination"],
                note=form.cleaned_data["note"],
                created_by=request.user,
            )
        except CommerceError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Stock moved."))
            return redirect("commerce:variant_stock", pk=variant.pk)
    return _variant_page(request, variant, status=400, transfer_form=form)


@membership_required(kinds=SHOP)
@require_GET
def movement_list(request: WorkspaceRequest) -> HttpResponse:
    page = Paginator(selectors_web.movement_list(), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "commerce/movement_list.html",
        {"page": page, "can_manage": request.membership.can_manage},
    )


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def movement_reverse(request: WorkspaceRequest, pk: int) -> HttpResponse:
    movement = get_object_or_404(StockMovement.objects, pk=pk)
    form = ReverseForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        stock_services.movement_reverse(
            organisation=request.organisation,
            movement=movement,
            note=note,
            created_by=request.user,
        )
    except CommerceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Movement reversed; the ledger shows both rows."))
    return redirect("commerce:variant_stock", pk=movement.variant_id)


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def location_create(request: WorkspaceRequest) -> HttpResponse:
    form = LocationForm(request.POST)
    if form.is_valid():
        try:
            stock_services.location_create(
                organisation=request.organisation, name=form.cleaned_data["name"]
            )
        except CommerceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Location added."))
    else:
        messages.error(request, _("Give the location a name (up to 80 characters)."))
    return redirect("commerce:stock_list")


@membership_required(kinds=SHOP)
@require_GET
def low_stock_alert(request: WorkspaceRequest) -> HttpResponse:
    """The low-stock banner of the workspace home, loaded by htmx."""
    return render(
        request,
        "commerce/_low_stock_banner.html",
        {"low_stock": selectors_web.low_stock_variants(limit=6)},
    )
