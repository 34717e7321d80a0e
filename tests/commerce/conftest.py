"""Fixtures of the commerce tests: a shop, its tenant context, and products with stock."""

from collections.abc import Callable, Iterator

import pytest

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import Variant
from sinergi.commerce.services.catalog import VariantInput, product_create
from sinergi.commerce.services.stock import stock_receive
from sinergi.core.tenancy import tenant_context
from tests.factories import OrganisationFactory

MakeVariant = Callable[..., Variant]


@pytest.fixture
def shop(db: None) -> Organisation:
    return OrganisationFactory(name="Batik Sari")


@pytest.fixture
def in_shop(shop: Organisation) -> Iterator[Organisation]:
    """The test body runs as the shop (as a request of one of its members would)."""
    with tenant_context(shop.pk):
        yield shop


def variant_make(
    organisation: Organisation,
    *,
    name: str = "Kemeja Batik",
    variant: str = "",
    sku: str | None = None,
    price: int = 150_000,
    cost: int | None = 90_000,
    stock: int = 0,
    threshold: int = 3,
) -> Variant:
    """A product with one variant, and ``stock`` received at the default location."""
    sku = sku or f"SKU-{Variant._base_manager.count() + 1:05d}"
    product = product_create(
        organisation=organisation,
        name=name,
        variants=[
            VariantInput(
                sku=sku, name=variant, price=price, cost_price=cost, low_stock_threshold=threshold
            )
        ],
    )
    found = Variant._base_manager.select_related("product").get(product=product)
    if stock:
        stock_receive(organisation=organisation, variant=found, quantity=stock)
    return found


@pytest.fixture
def make_variant(shop: Organisation) -> MakeVariant:
    def make(**kwargs: object) -> Variant:
        return variant_make(shop, **kwargs)  # type: ignore[arg-type]

    return make
