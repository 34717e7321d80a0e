# ruff: noqa: F811  (pytest fixtures imported from test_views_common are used as arguments)
"""Order pages: the fast manual order form, steps, payments, receipts, kasbon, customers."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.commerce import receipts
from sinergi.commerce.models import (
    Channel,
    Customer,
    Order,
    OrderStatus,
    Payment,
    PaymentMethod,
    StockBalance,
)
from sinergi.commerce.services.orders import order_place, order_ship, payment_record
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.test_views_common import (  # noqa: F401  (fixtures)
    owner_client,
    owner_of,
    staff_client,
    staff_of,
)

pytestmark = pytest.mark.django_db


def _stock(shop, variant):
    with tenant_context(shop.pk):
        balance = StockBalance.objects.get(variant=variant)
        return balance.on_hand, balance.reserved


def _orders(shop):
    with tenant_context(shop.pk):
        return list(Order.objects.all())


def _place(shop, variant, quantity=1, **kwargs):
    kwargs.setdefault("channel", Channel.WHATSAPP)
    kwargs.setdefault("customer_name", "Bu Rina")
    kwargs.setdefault("customer_phone", "081234567890")
    return order_place(organisation=shop, lines=[(variant.pk, quantity)], **kwargs)


def test_new_order_page_search_and_line(shop, staff_client):
    shirt = variant_make(shop, name="Kemeja Batik", variant="L", sku="KB-L", stock=4)
    variant_make(shop, name="Keripik Tempe", sku="KT-1", stock=9)

    page = staff_client.get(reverse("commerce:order_create"))
    found = staff_client.get(reverse("commerce:order_product_search"), {"q": "kemeja"})
    line = staff_client.get(reverse("commerce:order_line_row"), {"variant": shirt.pk})
    missing = staff_client.get(reverse("commerce:order_line_row"), {"variant": "999999"})

    assert page.status_code == 200
    assert [v.sku for v in found.context["results"]] == ["KB-L"]
    assert f'name="qty_{shirt.pk}"' in line.content.decode()
    assert missing.status_code == 404


def test_staff_record_a_whatsapp_order_on_credit(shop, staff_client, staff_of):
    shirt = variant_make(shop, name="Kemeja Batik", variant="L", price=185_000, stock=4)
    chips = variant_make(shop, name="Keripik Tempe", price=12_500, stock=20)

    response = staff_client.post(
        reverse("commerce:order_create"),
        {
            "channel": "whatsapp",
            f"qty_{shirt.pk}": "2",
            f"qty_{chips.pk}": "3",
            "customer_name": "Bu Rina",
            "customer_phone": "0812-3456-7890",
            "address": "Jl. Kaliurang km 5",
            "delivery_note": "pagar hijau",
            "shipping_fee": "10.000",
            "discount": "",
            "payment": "kasbon",
        },
    )

    (order,) = _orders(shop)
    assert response.status_code == 302
    assert response["Location"] == reverse("commerce:order_detail", args=[order.pk])
    assert (order.channel, order.customer_phone, order.is_credit, order.status) == (
        Channel.WHATSAPP,
        "+6281234567890",
        True,
        OrderStatus.PLACED,
    )
    assert (order.subtotal, order.total, order.amount_paid) == (407_500, 417_500, 0)
    assert order.created_by == staff_of.user
    assert _stock(shop, shirt) == (4, 2)
    with tenant_context(shop.pk):
        assert Customer.objects.get().phone == "+6281234567890"


def test_a_walk_in_sale_paid_in_cash(shop, staff_client):
    chips = variant_make(shop, name="Keripik Tempe", price=12_500, stock=20)

    staff_client.post(
        reverse("commerce:order_create"),
        {"channel": "walk_in", f"qty_{chips.pk}": "2", "payment": "cash"},
    )

    (order,) = _orders(shop)
    with tenant_context(shop.pk):
        payments = list(Payment.objects.values_list("method", "amount"))
    assert (order.status, order.amount_paid, order.is_credit) == (OrderStatus.PAID, 25_000, False)
    assert payments == [(PaymentMethod.CASH, 25_000)]


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"channel": "whatsapp", "customer_phone": "0812345678901", "payment": "unpaid"}, None),
        (
            {"channel": "whatsapp", "qty_LINE": "1", "customer_phone": "12", "payment": "unpaid"},
            "customer_phone",
        ),
        ({"channel": "instagram", "qty_LINE": "1", "payment": "unpaid"}, "customer_phone"),
        ({"channel": "walk_in", "qty_LINE": "satu", "payment": "cash"}, None),
        ({"channel": "walk_in", "qty_LINE": "1", "payment": "emas"}, "payment"),
        ({"channel": "shopee", "qty_LINE": "1", "payment": "cash"}, "channel"),
        (
            {"channel": "walk_in", "qty_LINE": "1", "discount": "999999", "payment": "cash"},
            "discount",
        ),
    ],
)
def test_bad_orders_are_refused_and_change_nothing(shop, staff_client, data, field):
    chips = variant_make(shop, name="Keripik Tempe", price=12_500, stock=20)
    data = {k.replace("LINE", str(chips.pk)): v for k, v in data.items()}

    response = staff_client.post(reverse("commerce:order_create"), data)

    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors
    if field:
        assert field in form.errors
    else:
        assert form.non_field_errors()
    assert _orders(shop) == []
    assert _stock(shop, chips) == (20, 0)


def test_more_than_in_stock_names_the_product_and_keeps_the_lines(shop, staff_client):
    shirt = variant_make(shop, name="Kemeja Batik", variant="L", stock=1)

    response = staff_client.post(
        reverse("commerce:order_create"),
        {"channel": "walk_in", f"qty_{shirt.pk}": "3", "payment": "cash"},
    )

    assert response.status_code == 400
    assert "Kemeja Batik — L" in " ".join(response.context["form"].non_field_errors())
    assert [(line.variant.pk, line.quantity) for line in response.context["picked"]] == [
        (shirt.pk, 3)
    ]
    assert _orders(shop) == []
    assert _stock(shop, shirt) == (1, 0)


def _step_actions(response):
    return [step["action"] for step in response.context["steps"]]


def test_only_valid_steps_are_offered_and_staff_cannot_cancel(shop, owner_client, staff_client):
    shirt = variant_make(shop, stock=5)
    order = _place(shop, shirt)
    url = reverse("commerce:order_detail", args=[order.pk])

    assert _step_actions(owner_client.get(url)) == ["pack", "ship", "complete", "cancel"]
    assert _step_actions(staff_client.get(url)) == ["pack", "ship", "complete"]
    refused = staff_client.post(reverse("commerce:order_step", args=[order.pk, "cancel"]))
    assert refused.status_code == 403

    order_ship(organisation=shop, order=order)
    assert _step_actions(owner_client.get(url)) == ["complete", "return"]
    with tenant_context(shop.pk):
        assert Order.objects.get().status == OrderStatus.SHIPPED


def test_shipping_moves_stock_and_a_wrong_step_changes_nothing(shop, staff_client):
    shirt = variant_make(shop, stock=5)
    order = _place(shop, shirt, quantity=2)

    wrong = staff_client.post(
        reverse("commerce:order_step", args=[order.pk, "return"]), follow=True
    )
    unknown = staff_client.post(reverse("commerce:order_step", args=[order.pk, "explode"]))
    assert _stock(shop, shirt) == (5, 2)
    shipped = staff_client.post(reverse("commerce:order_step", args=[order.pk, "ship"]))

    assert wrong.status_code == 403  # returns are for owners
    assert unknown.status_code == 404
    assert shipped.status_code == 302
    assert _stock(shop, shirt) == (3, 0)


def test_a_step_that_no_longer_applies_shows_an_error(shop, owner_client):
    shirt = variant_make(shop, stock=5)
    order = _place(shop, shirt)

    owner_client.post(reverse("commerce:order_step", args=[order.pk, "cancel"]))
    again = owner_client.post(reverse("commerce:order_step", args=[order.pk, "ship"]), follow=True)

    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert _stock(shop, shirt) == (5, 0)
    assert again.context["steps"] == []


def test_payments_partial_then_full_and_never_too_much(shop, staff_client):
    shirt = variant_make(shop, price=100_000, stock=5)
    order = _place(shop, shirt)
    url = reverse("commerce:payment_create", args=[order.pk])

    part = staff_client.post(
        url, {"method": "bank_transfer", "amount": "40.000", "reference": "BCA 1"}
    )
    too_much = staff_client.post(url, {"method": "cash", "amount": "70000"})
    bad = staff_client.post(url, {"method": "cash", "amount": "0"})
    rest = staff_client.post(url, {"method": "qris", "amount": "60000"})

    assert (part.status_code, too_much.status_code, bad.status_code, rest.status_code) == (
        302,
        400,
        400,
        302,
    )
    assert "amount" in too_much.context["payment_form"].errors
    with tenant_context(shop.pk):
        order.refresh_from_db()
        assert Payment.objects.count() == 2
    assert (order.amount_paid, order.status) == (100_000, OrderStatus.PAID)


def test_receipt_and_invoice_pdfs(shop, staff_client):
    shirt = variant_make(shop, name="Kemeja Batik Parang", variant="L", price=185_000, stock=5)
    order = _place(shop, shirt, quantity=2, shipping_fee=15_000)
    payment_record(organisation=shop, order=order, method="cash", amount=100_000)

    receipt = staff_client.get(reverse("commerce:order_document", args=[order.pk, "receipt"]))
    invoice = staff_client.get(reverse("commerce:order_document", args=[order.pk, "invoice"]))
    other = staff_client.get(reverse("commerce:order_document", args=[order.pk, "memo"]))

    assert receipt["Content-Type"] == invoice["Content-Type"] == "application/pdf"
    assert receipt.content.startswith(b"%PDF")
    assert invoice.content.startswith(b"%PDF")
    assert f"nota-{order.number}.pdf" in receipt["Content-Disposition"]
    assert other.status_code == 404


def test_receipt_document_has_shop_lines_totals_and_status(shop):
    shop.address, shop.phone = "Jl. Malioboro 12", "0274 555 123"
    shop.save()
    shirt = variant_make(shop, name="Kemeja Batik Parang", variant="L", price=185_000, stock=5)
    order = _place(shop, shirt, quantity=2, shipping_fee=15_000)
    payment_record(organisation=shop, order=order, method="cash", amount=100_000)

    with tenant_context(shop.pk):
        order = Order.objects.prefetch_related("lines", "payments").get()
        document = receipts.receipt_document(order, shop, kind=receipts.RECEIPT)
        pdf = receipts.receipt_pdf(document)

    assert document.shop_lines[:2] == ["Batik Sari", "Jl. Malioboro 12"]
    assert document.rows == [("Kemeja Batik Parang — L", "2", "Rp\xa0185.000", "Rp\xa0370.000")]
    assert [value for _label, value, _bold in document.totals] == [
        "Rp\xa0370.000",
        "Rp\xa015.000",
        "Rp\xa0385.000",
        "Rp\xa0100.000",
        "Rp\xa0285.000",
    ]
    assert "285.000" in document.status
    assert pdf.startswith(b"%PDF")
    assert len(pdf) > 2000


def test_order_list_filters(shop, owner_client):
    shirt = variant_make(shop, price=50_000, stock=20)
    whatsapp = _place(shop, shirt, customer_name="Ani")
    instagram = _place(shop, shirt, channel=Channel.INSTAGRAM, customer_name="Budi")
    payment_record(organisation=shop, order=instagram, method="cash", amount=50_000)
    url = reverse("commerce:order_list")

    def numbers(**params):
        return [o.number for o in owner_client.get(url, params).context["page"]]

    assert numbers(channel="instagram") == [instagram.number]
    assert numbers(status="paid") == [instagram.number]
    assert numbers(unpaid="on") == [whatsapp.number]
    assert numbers(q="ani") == [whatsapp.number]
    assert owner_client.get(url, {"status": "nonsense"}).status_code == 200


def test_order_list_costs_the_same_queries_for_2_and_10_orders(shop, owner_client):
    shirt = variant_make(shop, price=50_000, stock=50)
    url = reverse("commerce:order_list")
    for _n in range(2):
        _place(shop, shirt)
    with CaptureQueriesContext(connection) as few:
        owner_client.get(url)
    for _n in range(8):
        _place(shop, shirt, quantity=2)
    with CaptureQueriesContext(connection) as many:
        response = owner_client.get(url)

    assert len(response.context["page"]) == 10
    assert len(many) == len(few)


def test_kasbon_and_customers(shop, owner_client):
    shirt = variant_make(shop, price=50_000, stock=50)
    _place(
        shop, shirt, quantity=2, is_credit=True, customer_name="Ani", customer_phone="0811111111"
    )
    _place(shop, shirt, is_credit=True, customer_name="Ani", customer_phone="0811111111")
    paid = _place(shop, shirt, customer_name="Budi", customer_phone="0822222222")
    payment_record(organisation=shop, order=paid, method="cash", amount=50_000)

    kasbon = owner_client.get(reverse("commerce:debtor_list"))
    with CaptureQueriesContext(connection) as queries:
        customers = owner_client.get(reverse("commerce:customer_list"))

    assert [(d.name, d.owed, d.orders) for d in kasbon.context["debtors"]] == [("Ani", 150_000, 2)]
    assert kasbon.context["total_owed"] == 150_000
    assert [(c.name, c.order_count, c.spent, c.owed) for c in customers.context["page"]] == [
        ("Ani", 2, 0, 150_000),
        ("Budi", 1, 50_000, 0),
    ]
    assert len(queries) < 12


def test_pay_later_is_not_kasbon_and_a_product_added_twice_adds_up(shop, staff_client):
    chips = variant_make(shop, name="Keripik Tempe", price=12_500, stock=20)

    staff_client.post(
        reverse("commerce:order_create"),
        {
            "channel": "instagram",
            f"qty_{chips.pk}": ["1", "2"],
            "customer_phone": "0812 3456 7890",
            "payment": "unpaid",
        },
    )

    (order,) = _orders(shop)
    assert (order.is_credit, order.amount_paid, order.subtotal) == (False, 0, 37_500)
    assert _stock(shop, chips) == (20, 3)


def test_customer_and_kasbon_lists_cost_the_same_queries_for_few_and_many(shop, owner_client):
    shirt = variant_make(shop, price=10_000, stock=100)

    def place(n):
        _place(
            shop, shirt, is_credit=True, customer_name=f"C{n}", customer_phone=f"08120000{n:04d}"
        )

    def counts():
        result = []
        for name in ("commerce:customer_list", "commerce:debtor_list"):
            with CaptureQueriesContext(connection) as queries:
                owner_client.get(reverse(name))
            result.append(len(queries))
        return result

    place(1)
    few = counts()
    for n in range(2, 10):
        place(n)

    assert counts() == few
