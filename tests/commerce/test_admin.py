"""The operator's admin lists every commerce model; stock and orders cannot be edited there."""

import pytest
from django.test import Client
from django.urls import reverse

from sinergi.accounts.models import Organisation, User
from sinergi.commerce.models import Channel, Order, StockMovement
from sinergi.commerce.services.orders import order_place
from tests.commerce.conftest import MakeVariant

MODELS = [
    "category",
    "product",
    "variant",
    "location",
    "stockbalance",
    "stockmovement",
    "customer",
    "order",
]


@pytest.fixture
def operator_client(db: None) -> Client:
    operator = User.objects.create_superuser("operator@sinergi.id", "x")
    client = Client()
    client.force_login(operator)
    return client


@pytest.mark.parametrize("model", MODELS)
def test_the_operator_sees_every_list(
    operator_client: Client, shop: Organisation, make_variant: MakeVariant, model: str
) -> None:
    variant = make_variant(stock=3)
    order_place(
        organisation=shop, channel=Channel.WHATSAPP, lines=[(variant.pk, 1)], customer_name="Ani"
    )

    response = operator_client.get(reverse(f"admin:commerce_{model}_changelist"))

    assert response.status_code == 200


def test_orders_and_the_ledger_are_read_only(
    operator_client: Client, shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant(stock=3)
    order = order_place(organisation=shop, channel=Channel.WALK_IN, lines=[(variant.pk, 1)])

    detail = operator_client.get(reverse("admin:commerce_order_change", args=[order.pk]))
    add = operator_client.get(reverse("admin:commerce_stockmovement_add"))
    delete = operator_client.post(
        reverse("admin:commerce_order_delete", args=[order.pk]), {"post": "yes"}
    )

    assert detail.status_code == 200
    assert add.status_code == 403
    assert delete.status_code == 403
    assert Order._base_manager.filter(pk=order.pk).exists()
    assert StockMovement._base_manager.count() == 2


def test_the_operator_finds_customers_and_orders_by_a_whole_phone_number(
    operator_client: Client, shop: Organisation, make_variant: MakeVariant
) -> None:
    variant = make_variant(stock=5)
    ani = order_place(
        organisation=shop,
        channel=Channel.WHATSAPP,
        lines=[(variant.pk, 1)],
        customer_name="Ani",
        customer_phone="0812-3456-7890",
    )
    budi = order_place(
        organisation=shop,
        channel=Channel.WHATSAPP,
        lines=[(variant.pk, 1)],
        customer_name="Budi",
        customer_phone="0813-1111-2222",
    )

    orders = operator_client.get(
        reverse("admin:commerce_order_changelist"), {"q": "+62 812 3456 7890"}
    )
    customers = operator_client.get(
        reverse("admin:commerce_customer_changelist"), {"q": "081234567890"}
    )

    assert list(orders.context["cl"].result_list) == [ani]
    assert [c.pk for c in customers.context["cl"].result_list] == [ani.customer_id]
    assert budi.customer_id != ani.customer_id
