"""Writes to the catalog: categories, products with their variants, and product photos."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from django.db import transaction
from django.db.models import Max
from django.utils.text import slugify
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation
from sinergi.commerce.models import Category, Product, ProductPhoto, Variant
from sinergi.commerce.services.errors import InvalidInput
from sinergi.commerce.storefront_cache import storefront_version_bump
from sinergi.core.tenancy import tenant_context


@dataclass(frozen=True)
class VariantInput:
    """What a new variant needs; ``name`` is blank for a product sold in one form only."""

    sku: str
    price: int
    name: str = ""
    cost_price: int | None = None
    low_stock_threshold: int = 3
    is_active: bool = True


def _free_slug(model: type[Category] | type[Product], name: str, exclude: int | None) -> str:
    base = slugify(name)[:70] or "produk"
    slug, n = base, 1
    queryset = model.objects.all()
    if exclude is not None:
        queryset = queryset.exclude(pk=exclude)
    taken = set(queryset.filter(slug__startswith=base).values_list("slug", flat=True))
    while slug in taken:
        n += 1
        slug = f"{base}-{n}"
    return slug


def _money(value: object, field: str, *, optional: bool = False) -> int | None:
    if value is None and optional:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidInput(_("Prices are whole rupiah, zero or more."), field=field)
    return value


def _variant_checked(data: VariantInput) -> VariantInput:
    sku = data.sku.strip()
    if not sku:
        raise InvalidInput(_("Every variant needs a SKU."), field="sku")
    if len(sku) > 64:
        raise InvalidInput(_("A SKU has at most 64 characters."), field="sku")
    _money(data.price, "price")
    _money(data.cost_price, "cost_price", optional=True)
    threshold = data.low_stock_threshold
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 0:
        raise InvalidInput(
            _("The low-stock alert is a whole number, zero or more."), field="low_stock_threshold"
        )
    return VariantInput(
        sku=sku,
        price=data.price,
        name=data.name.strip()[:100],
        cost_price=data.cost_price,
        low_stock_threshold=threshold,
        is_active=data.is_active,
    )


def category_create(*, organisation: Organisation, name: str) -> Category:
    """Add a category (or return the one with the same name)."""
    name = name.strip()[:80]
    if not name:
        raise InvalidInput(_("Give the category a name."), field="name")
    with tenant_context(organisation.pk), transaction.atomic():
        existing = Category.objects.filter(name__iexact=name).first()
        if existing is not None:
            return existing
        return Category.objects.create(
            organisation=organisation, name=name, slug=_free_slug(Category, name, None)
        )


def product_create(
    *,
    organisation: Organisation,
    name: str,
    variants: Iterable[VariantInput],
    description: str = "",
    category: Category | None = None,
    is_active: bool = True,
) -> Product:
    """Add a product with at least one variant; SKUs are unique in the shop."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the product a name."), field="name")
    if len(name) > 150:
        raise InvalidInput(_("A product name has at most 150 characters."), field="name")
    checked = [_variant_checked(v) for v in variants]
    if not checked:
        raise InvalidInput(
            _("A product needs at least one variant with a price."), field="variants"
        )
    skus = [v.sku for v in checked]
    if len(set(skus)) != len(skus):
        raise InvalidInput(_("Each variant needs its own SKU."), field="sku")
    if category is not None and category.organisation_id != organisation.pk:
        raise InvalidInput(_("That category does not belong to this shop."), field="category")
    with tenant_context(organisation.pk), transaction.atomic():
        taken = list(Variant.objects.filter(sku__in=skus).values_list("sku", flat=True))
        if taken:
            raise InvalidInput(
                _("The SKU %s is already used by another product.") % taken[0], field="sku"
            )
        product = Product.objects.create(
            organisation=organisation,
            name=name,
            slug=_free_slug(Product, name, None),
            description=description.strip(),
            category=category,
            is_active=is_active,
        )
        storefront_version_bump(organisation.pk)
        Variant.objects.bulk_create(
            [
                Variant(
                    organisation=organisation,
                    product=product,
                    sku=v.sku,
                    name=v.name,
                    price=v.price,
                    cost_price=v.cost_price,
                    low_stock_threshold=v.low_stock_threshold,
                    is_active=v.is_active,
                    position=position,
                )
                for position, v in enumerate(checked)
            ]
        )
    return product


def product_update(
    *,
    organisation: Organisation,
    product: Product,
    name: str,
    description: str = "",
    category: Category | None = None,
    is_active: bool = True,
) -> Product:
    """Change a product's name, description, category or whether it is on sale."""
    if product.organisation_id != organisation.pk:
        raise InvalidInput(_("That product does not belong to this shop."))
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the product a name."), field="name")
    if category is not None and category.organisation_id != organisation.pk:
        raise InvalidInput(_("That category does not belong to this shop."), field="category")
    with tenant_context(organisation.pk), transaction.atomic():
        if name != product.name:
            product.slug = _free_slug(Product, name, product.pk)
        product.name, product.description = name[:150], description.strip()
        product.category, product.is_active = category, is_active
        product.save(update_fields=["name", "slug", "description", "category", "is_active"])
        storefront_version_bump(organisation.pk)
    return product


def product_active_set(*, organisation: Organisation, product: Product, is_active: bool) -> Product:
    """Archive a product (hidden from buyers, history kept) or put it back on sale."""
    if product.organisation_id != organisation.pk:
        raise InvalidInput(_("That product does not belong to this shop."))
    with tenant_context(organisation.pk), transaction.atomic():
        Product.objects.filter(pk=product.pk).update(is_active=is_active)
        storefront_version_bump(organisation.pk)
    product.is_active = is_active
    return product


def variant_create(*, organisation: Organisation, product: Product, data: VariantInput) -> Variant:
    """Add a variant (a size, a colour…) to a product."""
    if product.organisation_id != organisation.pk:
        raise InvalidInput(_("That product does not belong to this shop."))
    data = _variant_checked(data)
    with tenant_context(organisation.pk), transaction.atomic():
        if Variant.objects.filter(sku=data.sku).exists():
            raise InvalidInput(
                _("The SKU %s is already used by another product.") % data.sku, field="sku"
            )
        position = Variant.objects.filter(product=product).aggregate(p=Max("position"))["p"]
        storefront_version_bump(organisation.pk)
        return Variant.objects.create(
            organisation=organisation,
            product=product,
            sku=data.sku,
            name=data.name,
            price=data.price,
            cost_price=data.cost_price,
            low_stock_threshold=data.low_stock_threshold,
            is_active=data.is_active,
            position=(position or 0) + 1,
        )


def variant_update(*, organisation: Organisation, variant: Variant, data: VariantInput) -> Variant:
    """Change a variant's SKU, name, prices, alert threshold or whether it is on sale.

    Orders already placed keep the price they were placed at.
    """
    if variant.organisation_id != organisation.pk:
        raise InvalidInput(_("That variant does not belong to this shop."))
    data = _variant_checked(data)
    with tenant_context(organisation.pk), transaction.atomic():
        if Variant.objects.filter(sku=data.sku).exclude(pk=variant.pk).exists():
            raise InvalidInput(
                _("The SKU %s is already used by another product.") % data.sku, field="sku"
            )
        variant.sku, variant.name, variant.price = data.sku, data.name, data.price
        variant.cost_price, variant.is_active = data.cost_price, data.is_active
        variant.low_stock_threshold = data.low_stock_threshold
        variant.save(
            update_fields=["sku", "name", "price", "cost_price", "is_active", "low_stock_threshold"]
        )
        storefront_version_bump(organisation.pk)
    return variant


def product_photo_add(
    *, organisation: Organisation, product: Product, upload: IO[bytes]
) -> ProductPhoto:
    """Attach a photo: stored re-encoded (≤1600 px) with a light thumbnail, metadata dropped.

    Raises :class:`InvalidInput` when the file is not a picture.
    """
    from sinergi.commerce.photos import PhotoInvalid, photo_prepare  # noqa: PLC0415

    if product.organisation_id != organisation.pk:
        raise InvalidInput(_("That product does not belong to this shop."))
    try:
        prepared = photo_prepare(upload)
    except PhotoInvalid as error:
        raise InvalidInput(str(error), field="image") from error
    with tenant_context(organisation.pk), transaction.atomic():
        position = ProductPhoto.objects.filter(product=product).aggregate(p=Max("position"))["p"]
        photo = ProductPhoto(
            organisation=organisation,
            product=product,
            position=0 if position is None else position + 1,
        )
        photo.image.save(prepared.image.name or "photo.webp", prepared.image, save=False)
        photo.thumbnail.save(
            prepared.thumbnail.name or "thumb.webp", prepared.thumbnail, save=False
        )
        photo.save()
        storefront_version_bump(organisation.pk)
    return photo


def product_photo_delete(*, organisation: Organisation, photo: ProductPhoto) -> None:
    """Remove a photo and its files."""
    if photo.organisation_id != organisation.pk:
        raise InvalidInput(_("That photo does not belong to this shop."))
    with tenant_context(organisation.pk), transaction.atomic():
        image, thumbnail = photo.image, photo.thumbnail
        photo.delete()
        storefront_version_bump(organisation.pk)
    transaction.on_commit(lambda: (image.delete(save=False), thumbnail.delete(save=False)))
