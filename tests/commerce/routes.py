"""The commerce pages' tenant-data routes, for the other-tenant harness.

Storefront URLs take a shop's slug: they are public by design and are tested against the
wrong shop in tests/commerce/test_storefront.py instead.
"""

import io
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import Channel, StockMovement
from sinergi.commerce.services.catalog import product_photo_add
from sinergi.commerce.services.orders import order_place
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.tenancy import NOT_TENANT_DATA, tenant_route


def png_upload(name: str = "foto.png", size: tuple[int, int] = (800, 600)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 80, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def _variant(organisation: Organisation) -> dict[str, Any]:
    return {"pk": variant_make(organisation, stock=5).pk}


def _product(organisation: Organisation) -> dict[str, Any]:
    return {"pk": variant_make(organisation, stock=5).product_id}


def _photo(organisation: Organisation) -> dict[str, Any]:
    variant = variant_make(organisation)
    photo = product_photo_add(
        organisation=organisation, product=variant.product, upload=png_upload()
    )
    return {"pk": photo.pk}


def _movement(organisation: Organisation) -> dict[str, Any]:
    variant = variant_make(organisation, stock=5)
    with tenant_context(organisation.pk):
        return {"pk": StockMovement.objects.get(variant=variant).pk}


def _order(organisation: Organisation) -> dict[str, Any]:
    variant = variant_make(organisation, stock=5)
    order = order_place(
        organisation=organisation,
        channel=Channel.WHATSAPP,
        lines=[(variant.pk, 1)],
        customer_name="Budi",
        customer_phone="081234567890",
    )
    return {"pk": order.pk}


def _order_step(action: str) -> Any:
    def make(organisation: Organisation) -> dict[str, Any]:
        return {**_order(organisation), "action": action}

    return make


def _order_document(organisation: Organisation) -> dict[str, Any]:
    return {**_order(organisation), "kind": "receipt"}


tenant_route("commerce:product_edit", _product, methods=("get", "post"))
tenant_route("commerce:product_archive", _product, methods=("post",))
tenant_route("commerce:photo_upload", _product, methods=("post",))
tenant_route("commerce:photo_delete", _photo, methods=("post",))
tenant_route("commerce:variant_stock", _variant)
tenant_route(
    "commerce:stock_receive",
    _variant,
    methods=("post",),
    data=lambda: {"receive-quantity": "3", "receive-note": "x"},
)
tenant_route("commerce:stock_adjust", _variant, methods=("post",))
tenant_route("commerce:stock_count", _variant, methods=("post",))
tenant_route("commerce:stock_transfer", _variant, methods=("post",))
tenant_route("commerce:movement_reverse", _movement, methods=("post",))
tenant_route("commerce:order_detail", _order)
tenant_route(
    "commerce:payment_create",
    _order,
    methods=("post",),
    data=lambda: {"method": "cash", "amount": "1000"},
)
tenant_route("commerce:order_step", _order_step("ship"), methods=("post",))
tenant_route("commerce:order_document", _order_document)

for _name in (
    "storefront_home",
    "storefront_product",
    "storefront_photo",
    "storefront_cart",
    "storefront_cart_add",
    "storefront_checkout",
    "storefront_order",
):
    NOT_TENANT_DATA[f"commerce:{_name}"] = (
        "public storefront addressed by the shop's slug; wrong-shop access is tested in "
        "tests/commerce/test_storefront.py"
    )
