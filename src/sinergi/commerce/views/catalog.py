"""Catalog pages: the product list, a product with its variants and photos."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.commerce import selectors_web
from sinergi.commerce.forms.catalog import (
    NewVariantFormSet,
    PhotoForm,
    ProductFilterForm,
    ProductForm,
    VariantFormSet,
)
from sinergi.commerce.models import Category, Product, ProductPhoto, Variant
from sinergi.commerce.services import catalog as catalog_services
from sinergi.commerce.services.errors import CommerceError
from sinergi.commerce.views import MANAGERS, PAGE_SIZE, SHOP, form_error


@membership_required(kinds=SHOP)
@require_GET
def product_list(request: WorkspaceRequest) -> HttpResponse:
    form = ProductFilterForm(request.GET or None)
    filters: dict[str, Any] = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "q": data["q"].strip(),
            "category_id": data["category"].pk if data["category"] else None,
            "status": data["status"] or "active",
            "stock": data["stock"],
        }
    page = Paginator(selectors_web.product_list(**filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "commerce/product_list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": any(v for k, v in filters.items() if k != "status")
            or filters.get("status", "active") != "active",
            "low_stock": selectors_web.low_stock_variants(limit=6),
            "can_manage": request.membership.can_manage,
        },
    )


def _variant_inputs(formset: Any) -> list[tuple[int | None, catalog_services.VariantInput]]:
    rows = []
    for form in formset.forms:
        data = form.cleaned_data
        if not data or not data.get("sku"):
            continue
        rows.append(
            (
                data.get("id"),
                catalog_services.VariantInput(
                    sku=data["sku"],
                    price=data["price"],
                    name=data.get("name", ""),
                    cost_price=data.get("cost_price"),
                    low_stock_threshold=data["low_stock_threshold"],
                    is_active=data.get("is_active", False),
                ),
            )
        )
    return rows


def _category(request: WorkspaceRequest, form: ProductForm) -> Category | None:
    if form.cleaned_data.get("new_category", "").strip():
        return catalog_services.category_create(
            organisation=request.organisation, name=form.cleaned_data["new_category"]
        )
    category: Category | None = form.cleaned_data.get("category")
    return category


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_http_methods(["GET", "POST"])
def product_create(request: WorkspaceRequest) -> HttpResponse:
    form = ProductForm(request.POST or None)
    formset = NewVariantFormSet(request.POST or None, prefix="variants")
    photo_form = PhotoForm(request.POST or None, request.FILES or None)
    photo_form.fields["image"].required = False  # a photo can also be added later
    photo_given = bool(request.FILES.get("image"))
    if (
        request.method == "POST"
        and form.is_valid()
        and formset.is_valid()
        and (not photo_given or photo_form.is_valid())
    ):
        data = form.cleaned_data
        try:
            with transaction.atomic():
                product = catalog_services.product_create(
                    organisation=request.organisation,
                    name=data["name"],
                    description=data["description"],
                    category=_category(request, form),
                    is_active=data["is_active"],
                    variants=[variant for _pk, variant in _variant_inputs(formset)],
                )
                if photo_given:
                    catalog_services.product_photo_add(
                        organisation=request.organisation,
                        product=product,
                        upload=photo_form.cleaned_data["image"],
                    )
        except CommerceError as error:
            form_error(photo_form if error.field == "image" else form, error)
        else:
            messages.success(
                request,
                _("%(name)s added. Receive its stock so buyers can order it.")
                % {"name": product.name},
            )
            return redirect("commerce:product_edit", pk=product.pk)
    return render(
        request,
        "commerce/product_form.html",
        {"form": form, "formset": formset, "photo_form": photo_form, "product": None},
        status=400 if request.method == "POST" else 200,
    )


def _edit_page(
    request: WorkspaceRequest,
    product: Product,
    *,
    form: ProductForm | None = None,
    formset: Any = None,
    photo_form: PhotoForm | None = None,
    status: int = 200,
) -> HttpResponse:
    variants = selectors_web.product_variants(product)
    if form is None:
        form = ProductForm(
            initial={
                "name": product.name,
                "description": product.description,
                "category": product.category_id,
                "is_active": product.is_active,
            }
        )
    if formset is None:
        formset = VariantFormSet(
            prefix="variants",
            initial=[
                {
                    "id": v.pk,
                    "name": v.name,
                    "sku": v.sku,
                    "price": v.price,
                    "cost_price": v.cost_price,
                    "low_stock_threshold": v.low_stock_threshold,
                    "is_active": v.is_active,
                }
                for v in variants
            ],
        )
    return render(
        request,
        "commerce/product_form.html",
        {
            "product": product,
            "variants": variants,
            "photos": ProductPhoto.objects.filter(product=product).order_by("position", "pk"),
            "form": form,
            "formset": formset,
            "photo_form": photo_form or PhotoForm(),
            "can_manage": request.membership.can_manage,
        },
        status=status,
    )


@membership_required(kinds=SHOP)
@require_http_methods(["GET", "POST"])
def product_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.select_related("category"), pk=pk)
    if request.method == "GET":
        return _edit_page(request, product)
    if not request.membership.can_manage:
        raise PermissionDenied
    form = ProductForm(request.POST)
    formset = VariantFormSet(request.POST, prefix="variants")
    if form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        own_variants = Variant.objects.in_bulk([pk for pk, _v in _variant_inputs(formset) if pk])
        try:
            with transaction.atomic():
                catalog_services.product_update(
                    organisation=request.organisation,
                    product=product,
                    name=data["name"],
                    description=data["description"],
                    category=_category(request, form),
                    is_active=data["is_active"],
                )
                for variant_pk, variant_input in _variant_inputs(formset):
                    variant = own_variants.get(variant_pk) if variant_pk else None
                    if variant is not None and variant.product_id == product.pk:
                        catalog_services.variant_update(
                            organisation=request.organisation, variant=variant, data=variant_input
                        )
                    else:
                        catalog_services.variant_create(
                            organisation=request.organisation, product=product, data=variant_input
                        )
        except CommerceError as error:
            form_error(form, error)
        else:
            messages.success(request, _("%(name)s saved.") % {"name": product.name})
            return redirect("commerce:product_edit", pk=product.pk)
        product.refresh_from_db()
    return _edit_page(request, product, form=form, formset=formset, status=400)


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def product_archive(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """Archive a product, or put an archived one back on sale."""
    product = get_object_or_404(Product.objects, pk=pk)
    catalog_services.product_active_set(
        organisation=request.organisation, product=product, is_active=not product.is_active
    )
    if product.is_active:
        messages.success(request, _("%(name)s is on sale again.") % {"name": product.name})
    else:
        messages.success(
            request, _("%(name)s is archived: hidden from buyers.") % {"name": product.name}
        )
    return redirect("commerce:product_edit", pk=product.pk)


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def photo_upload(request: WorkspaceRequest, pk: int) -> HttpResponse:
    product = get_object_or_404(Product.objects, pk=pk)
    photo_form = PhotoForm(request.POST, request.FILES)
    if photo_form.is_valid():
        try:
            catalog_services.product_photo_add(
                organisation=request.organisation,
                product=product,
                upload=photo_form.cleaned_data["image"],
            )
        except CommerceError as error:
            form_error(photo_form, error)
        else:
            messages.success(request, _("Photo added."))
            return redirect("commerce:product_edit", pk=product.pk)
    return _edit_page(request, product, photo_form=photo_form, status=400)


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def photo_delete(request: WorkspaceRequest, pk: int) -> HttpResponse:
    photo = get_object_or_404(ProductPhoto.objects, pk=pk)
    catalog_services.product_photo_delete(organisation=request.organisation, photo=photo)
    messages.success(request, _("Photo removed."))
    return redirect("commerce:product_edit", pk=photo.product_id)
