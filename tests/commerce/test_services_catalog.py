"""Catalog services: products with variants, unique SKUs and slugs, archiving, photos."""

import io

import pytest
from PIL import Image

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import Category, Product, ProductPhoto, Variant
from sinergi.commerce.services.catalog import (
    VariantInput,
    category_create,
    product_active_set,
    product_create,
    product_photo_add,
    product_photo_delete,
    product_update,
    variant_create,
    variant_update,
)
from sinergi.commerce.services.errors import InvalidInput
from tests.factories import OrganisationFactory


def _batik(shop: Organisation, **kwargs: object) -> Product:
    return product_create(
        organisation=shop,
        name="Kemeja Batik Parang",
        variants=[
            VariantInput(sku="KB-PRG-M", name="M", price=175_000, cost_price=95_000),
            VariantInput(sku="KB-PRG-L", name="L", price=175_000),
        ],
        **kwargs,  # type: ignore[arg-type]
    )


def test_a_product_is_created_with_its_variants(in_shop: Organisation) -> None:
    category = category_create(organisation=in_shop, name="Kemeja")

    product = _batik(in_shop, category=category, description="Katun primisima")

    assert (product.slug, product.category, product.is_active) == (
        "kemeja-batik-parang",
        category,
        True,
    )
    assert list(
        Variant.objects.filter(product=product).values_list("sku", "name", "price", "cost_price")
    ) == [("KB-PRG-M", "M", 175_000, 95_000), ("KB-PRG-L", "L", 175_000, None)]


def test_the_same_category_name_is_one_category(in_shop: Organisation) -> None:
    first = category_create(organisation=in_shop, name="Keripik")

    assert category_create(organisation=in_shop, name="keripik") == first
    assert Category.objects.count() == 1


def test_slugs_stay_unique_in_a_shop(in_shop: Organisation) -> None:
    first = _batik(in_shop)
    second = product_create(
        organisation=in_shop,
        name="Kemeja Batik Parang",
        variants=[VariantInput(sku="KB-2", price=150_000)],
    )

    assert (first.slug, second.slug) == ("kemeja-batik-parang", "kemeja-batik-parang-2")


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("", [VariantInput(sku="A", price=1)]),
        ("Tas", []),
        ("Tas", [VariantInput(sku=" ", price=1)]),
        ("Tas", [VariantInput(sku="A", price=-1)]),
        ("Tas", [VariantInput(sku="A", price=1, cost_price=-5)]),
        ("Tas", [VariantInput(sku="A", price=1), VariantInput(sku="A", price=2)]),
        ("Tas", [VariantInput(sku="KB-PRG-M", price=1)]),
        ("Tas", [VariantInput(sku="A", price=1, low_stock_threshold=-1)]),
        ("x" * 151, [VariantInput(sku="A", price=1)]),
    ],
)
def test_bad_products_are_refused_and_change_nothing(
    in_shop: Organisation, name: str, variants: list[VariantInput]
) -> None:
    _batik(in_shop)

    with pytest.raises(InvalidInput):
        product_create(organisation=in_shop, name=name, variants=variants)

    assert Product.objects.count() == 1
    assert Variant.objects.count() == 2


def test_another_shop_may_use_the_same_sku(in_shop: Organisation) -> None:
    _batik(in_shop)
    other = OrganisationFactory()

    _batik(other)

    assert Variant._base_manager.filter(sku="KB-PRG-M").count() == 2


def test_updating_and_archiving_a_product(in_shop: Organisation) -> None:
    product = _batik(in_shop)

    product_update(organisation=in_shop, product=product, name="Kemeja Batik Kawung")
    product_active_set(organisation=in_shop, product=product, is_active=False)

    product.refresh_from_db()
    assert (product.name, product.slug, product.is_active) == (
        "Kemeja Batik Kawung",
        "kemeja-batik-kawung",
        False,
    )


def test_variants_are_added_and_changed(in_shop: Organisation) -> None:
    product = _batik(in_shop)

    xl = variant_create(
        organisation=in_shop,
        product=product,
        data=VariantInput(sku="KB-PRG-XL", name="XL", price=185_000),
    )
    variant_update(
        organisation=in_shop,
        variant=xl,
        data=VariantInput(sku="KB-PRG-XL", name="XL", price=190_000, low_stock_threshold=1),
    )

    xl.refresh_from_db()
    assert (xl.price, xl.position, xl.low_stock_threshold) == (190_000, 2, 1)
    with pytest.raises(InvalidInput, match="already used"):
        variant_update(organisation=in_shop, variant=xl, data=VariantInput(sku="KB-PRG-M", price=1))


def _picture(size: tuple[int, int] = (2400, 1800)) -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 90, 40)).save(buffer, format="JPEG")
    buffer.seek(0)
    return buffer


def test_a_photo_is_stored_with_a_light_thumbnail(in_shop: Organisation) -> None:
    product = _batik(in_shop)

    photo = product_photo_add(organisation=in_shop, product=product, upload=_picture())

    with Image.open(photo.image.path) as full, Image.open(photo.thumbnail.path) as thumb:
        assert max(full.size) <= 1600
        assert max(thumb.size) <= 480
    product_photo_delete(organisation=in_shop, photo=photo)
    assert not ProductPhoto.objects.exists()


def test_a_file_that_is_not_a_picture_is_refused(in_shop: Organisation) -> None:
    product = _batik(in_shop)

    with pytest.raises(InvalidInput):
        product_photo_add(organisation=in_shop, product=product, upload=io.BytesIO(b"not a jpeg"))

    assert not ProductPhoto.objects.exists()
