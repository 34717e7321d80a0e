"""The catalog: categories, products, their variants (each with a SKU and a price), photos."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.tenancy import TenantModel


class Category(TenantModel):
    """A shelf in the shop's catalog ("Kemeja", "Keripik"), used to group products."""

    name = models.CharField(_("name"), max_length=80)
    slug = models.SlugField(_("web address"), max_length=80)

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="commerce_category_slug_unique"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Product(TenantModel):
    """What a buyer chooses; sold as one or more variants (size, colour, weight…)."""

    name = models.CharField(_("name"), max_length=150)
    slug = models.SlugField(_("web address"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        verbose_name=_("category"),
    )
    is_active = models.BooleanField(
        _("on sale"), default=True, help_text=_("Archived products are hidden from buyers.")
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    variants: Any
    photos: Any

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ("name",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "slug"], name="commerce_product_slug_unique"
            )
        ]
        indexes = [
            models.Index(fields=["organisation", "is_active", "name"], name="commerce_product_list")
        ]

    def __str__(self) -> str:
        return self.name


class Variant(TenantModel):
    """One sellable form of a product, with its own SKU, price and stock."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="variants", verbose_name=_("product")
    )
    sku = models.CharField(_("SKU"), max_length=64)
    name = models.CharField(
        _("variant"), max_length=100, blank=True, help_text=_('e.g. "L", "Merah", "250 g".')
    )
    price = models.PositiveBigIntegerField(_("price (Rp)"))
    cost_price = models.PositiveBigIntegerField(_("cost price (Rp)"), null=True, blank=True)
    is_active = models.BooleanField(_("on sale"), default=True)
    low_stock_threshold = models.PositiveIntegerField(
        _("low-stock alert at"),
        default=3,
        help_text=_("Warn when the quantity available falls to this number or below."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("variant")
        verbose_name_plural = _("variants")
        ordering = ("product_id", "position", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "sku"], name="commerce_variant_sku_unique"
            ),
            models.CheckConstraint(condition=Q(price__gte=0), name="commerce_variant_price_gte_0"),
            models.CheckConstraint(
                condition=Q(cost_price__isnull=True) | Q(cost_price__gte=0),
                name="commerce_variant_cost_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(low_stock_threshold__gte=0),
                name="commerce_variant_threshold_gte_0",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """ "Batik Parang — L", or just the product name for a single-variant product."""
        product_name = self.product.name
        return f"{product_name} — {self.name}" if self.name else product_name


def _photo_path(instance: ProductPhoto, filename: str) -> str:
    return f"commerce/{instance.organisation_id}/products/{filename}"


def _thumbnail_path(instance: ProductPhoto, filename: str) -> str:
    return f"commerce/{instance.organisation_id}/thumbnails/{filename}"


class ProductPhoto(TenantModel):
    """A picture of a product, stored with a light thumbnail for lists and slow networks."""

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="photos", verbose_name=_("product")
    )
    image = models.ImageField(_("photo"), upload_to=_photo_path)
    thumbnail = models.ImageField(_("thumbnail"), upload_to=_thumbnail_path, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("product photo")
        verbose_name_plural = _("product photos")
        ordering = ("product_id", "position", "pk")

    def __str__(self) -> str:
        return f"{self.product_id}#{self.position}"
