"""The operator's view of commerce. Catalog and customers are editable; stock and orders are
read-only here, because they change only through the services (which keep the ledger, the
balances and the totals in step)."""

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from sinergi.commerce.models import (
    Category,
    Customer,
    Location,
    Order,
    OrderLine,
    Payment,
    Product,
    ProductPhoto,
    StockBalance,
    StockMovement,
    Variant,
)
from sinergi.commerce.services.customers import phone_digest
from sinergi.commerce.services.errors import InvalidInput
from sinergi.commerce.storefront_cache import storefront_version_bump


class StorefrontAdmin(admin.ModelAdmin):
    """An edit here changes what the shop's storefront shows: its cached pages render again."""

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        storefront_version_bump(obj.organisation_id)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        storefront_version_bump(obj.organisation_id)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        shops = set(queryset.values_list("organisation_id", flat=True))
        super().delete_queryset(request, queryset)
        for organisation_id in shops:
            storefront_version_bump(organisation_id)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Viewable, never written from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PhoneSearchAdmin(admin.ModelAdmin):
    """The search box also finds rows by a whole phone number: the phone is encrypted, so the
    database matches its blind index (a whole number) in ``phone_digest_field``."""

    phone_digest_field: str

    def get_search_results(
        self, request: HttpRequest, queryset: QuerySet[Any], search_term: str
    ) -> tuple[QuerySet[Any], bool]:
        found, duplicates = super().get_search_results(request, queryset, search_term)
        try:
            digest = phone_digest(search_term)
        except InvalidInput:
            return found, duplicates
        if digest:
            found |= queryset.filter(**{self.phone_digest_field: digest})
        return found, duplicates


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Category)
class CategoryAdmin(StorefrontAdmin):
    list_display = ["name", "slug", "organisation"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation"]


class VariantInline(admin.TabularInline):
    model = Variant
    extra = 0
    fields = ["sku", "name", "price", "cost_price", "low_stock_threshold", "is_active", "position"]


class ProductPhotoInline(admin.TabularInline):
    model = ProductPhoto
    extra = 0
    fields = ["image", "thumbnail", "position"]


@admin.register(Product)
class ProductAdmin(StorefrontAdmin):
    list_display = ["name", "organisation", "category", "is_active", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "slug", "organisation__name", "variants__sku"]
    raw_id_fields = ["organisation", "category"]
    list_select_related = ["organisation", "category"]
    inlines = [VariantInline, ProductPhotoInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Variants and photos belong to the product's shop."""
        for instance in formset.save(commit=False):
            instance.organisation_id = form.instance.organisation_id
            instance.save()
        for obj in formset.deleted_objects:
            obj.delete()
        formset.save_m2m()


@admin.register(Variant)
class VariantAdmin(StorefrontAdmin):
    list_display = ["sku", "product", "name", "price", "cost_price", "is_active"]
    search_fields = ["sku", "name", "product__name"]
    list_filter = ["is_active"]
    raw_id_fields = ["organisation", "product"]
    list_select_related = ["product"]


@admin.register(Location)
class LocationAdmin(StorefrontAdmin):
    list_display = ["name", "organisation", "is_default"]
    search_fields = ["name", "organisation__name"]
    raw_id_fields = ["organisation"]


@admin.register(StockBalance)
class StockBalanceAdmin(ReadOnlyAdmin):
    list_display = ["variant", "location", "on_hand", "reserved", "available"]
    search_fields = ["variant__sku", "variant__product__name", "organisation__name"]
    list_select_related = ["variant__product", "location"]


@admin.register(StockMovement)
class StockMovementAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "variant",
        "location",
        "kind",
        "on_hand_delta",
        "reserved_delta",
        "order",
        "reverses",
    ]
    list_filter = ["kind"]
    search_fields = ["variant__sku", "order__number", "organisation__name", "note"]
    list_select_related = ["variant__product", "location", "order"]
    date_hierarchy = "created_at"


@admin.register(Customer)
class CustomerAdmin(PhoneSearchAdmin):
    list_display = ["name", "phone", "organisation", "created_at"]
    # Name and phone are encrypted: the database finds a customer by the phone's blind index
    # (a whole number), not by a part of the name.
    search_fields = ["organisation__name"]
    phone_digest_field = "phone_digest"
    raw_id_fields = ["organisation"]


class OrderLineInline(ReadOnlyInline):
    model = OrderLine
    fields = readonly_fields = (
        "sku",
        "product_name",
        "variant_name",
        "quantity",
        "unit_price",
        "line_total",
    )


class PaymentInline(ReadOnlyInline):
    model = Payment
    fields = readonly_fields = ("paid_at", "method", "amount", "reference")


@admin.register(Order)
class OrderAdmin(PhoneSearchAdmin, ReadOnlyAdmin):
    list_display = [
        "number",
        "organisation",
        "channel",
        "status",
        "customer_name",
        "total",
        "amount_paid",
        "placed_at",
    ]
    list_filter = ["status", "channel", "is_credit"]
    # The buyer's name and phone are encrypted (docs/adr/0008); the phone by its blind index.
    search_fields = ["number", "external_id"]
    phone_digest_field = "customer_phone_digest"
    list_select_related = ["organisation"]
    date_hierarchy = "placed_at"
    inlines = [OrderLineInline, PaymentInline]
