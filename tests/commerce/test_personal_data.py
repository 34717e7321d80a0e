"""Customers' names, phones and addresses are encrypted at rest (docs/adr/0008): the database
holds ciphertext, the pages still search and sort, the phone stays unique per shop."""

from __future__ import annotations

from importlib import import_module
from types import SimpleNamespace
from typing import Any

import pytest
from cryptography.fernet import Fernet
from django.core.paginator import Paginator
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sinergi.accounts.models import Organisation
from sinergi.channels.models import Conversation, ConversationKind
from sinergi.commerce import selectors_web
from sinergi.commerce.models import Channel, Customer, Order
from sinergi.commerce.selectors import customers_list, debts, orders_list
from sinergi.commerce.services.customers import customer_update, customer_upsert
from sinergi.commerce.services.errors import InvalidInput
from sinergi.commerce.services.orders import order_place
from sinergi.core.crypto import blind_index, data_rotate, plain_cache_clear
from sinergi.core.tenancy import tenant_context
from tests.commerce.conftest import variant_make
from tests.commerce.test_views_common import (  # noqa: F401  (fixtures)
    owner_client,
    owner_of,
)
from tests.concurrency import run_together
from tests.factories import OrganisationFactory

PLAIN = ("Dewi Lestari", "6281234567890", "Malioboro", "pagar hijau")


def _raw(sql: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return list(cursor.fetchall())


def _assert_no_plain_text(rows: list[tuple[Any, ...]]) -> None:
    text = repr(rows)
    for plain in PLAIN:
        assert plain not in text, plain


@pytest.mark.django_db
def test_the_database_holds_ciphertext_and_the_orm_reads_plain_text(
    in_shop: Organisation,
) -> None:
    shirt = variant_make(in_shop, stock=5)
    order = order_place(
        organisation=in_shop,
        channel=Channel.WHATSAPP,
        lines=[(shirt.pk, 1)],
        customer_name="Dewi Lestari",
        customer_phone="0812-3456-7890",
        address="Jl. Malioboro 5, Yogyakarta",
        delivery_note="pagar hijau",
    )
    account = _whatsapp_account(in_shop)
    Conversation.objects.create(
        organisation=in_shop,
        account=account,
        kind=ConversationKind.WHATSAPP,
        external_thread_id="t-1",
        customer_name="Dewi Lestari",
        customer_phone="+6281234567890",
    )

    customers = _raw("SELECT name, phone, address, phone_digest FROM commerce_customer")
    orders = _raw(
        "SELECT customer_name, customer_phone, address, delivery_note, customer_phone_digest "
        "FROM commerce_order"
    )
    threads = _raw("SELECT customer_name, customer_phone FROM channels_conversation")

    _assert_no_plain_text(customers + orders + threads)
    assert customers[0][3] == blind_index("+6281234567890")
    assert orders[0][4] == blind_index("+6281234567890")
    plain_cache_clear()  # read back through the key, not from memory
    found = Order.objects.select_related("customer").get(pk=order.pk)
    assert (found.customer_name, found.customer_phone) == ("Dewi Lestari", "+6281234567890")
    assert (found.address, found.delivery_note) == ("Jl. Malioboro 5, Yogyakarta", "pagar hijau")
    assert found.customer is not None
    assert (found.customer.name, found.customer.phone) == ("Dewi Lestari", "+6281234567890")
    assert Conversation.objects.get().customer_name == "Dewi Lestari"


def _whatsapp_account(organisation: Organisation) -> Any:
    from sinergi.channels.models import ConnectedAccount, Platform  # noqa: PLC0415

    return ConnectedAccount.objects.create(
        organisation=organisation,
        platform=Platform.WHATSAPP,
        external_id=f"wa-{organisation.pk}",
        name="WA",
    )


@pytest.mark.django_db
def test_the_phone_stays_unique_per_shop_through_its_digest(in_shop: Organisation) -> None:
    first = customer_upsert(organisation=in_shop, name="Dewi", phone="081234567890")
    again = customer_upsert(organisation=in_shop, name="Dewi L.", phone="+62 812-3456-7890")
    other = customer_upsert(organisation=in_shop, name="Budi", phone="081298765432")
    assert first is not None
    assert again is not None
    assert other is not None

    assert again.pk == first.pk
    assert Customer.objects.get(pk=first.pk).name == "Dewi L."
    with pytest.raises(IntegrityError), transaction.atomic():
        Customer.objects.create(organisation=in_shop, name="Copy", phone="+6281234567890")
    with pytest.raises(InvalidInput, match="already has the number"):
        customer_update(organisation=in_shop, customer=other, name="Budi", phone="0812 3456 7890")
    # The edit moved the digest with the phone: the old number is free, the new one is taken.
    customer_update(organisation=in_shop, customer=other, name="Budi", phone="081211112222")
    assert Customer.objects.get(pk=other.pk).phone_digest == blind_index("+6281211112222")
    assert customer_upsert(organisation=in_shop, name="B", phone="081211112222").pk == other.pk  # type: ignore[union-attr]
    # Another shop may know the same number.
    elsewhere = OrganisationFactory()
    with tenant_context(elsewhere.pk):
        assert customer_upsert(organisation=elsewhere, name="Dewi", phone="081234567890")


@pytest.mark.django_db
def test_customers_are_searched_by_part_of_name_or_phone_and_sorted_by_name(
    in_shop: Organisation,
) -> None:
    for name, phone in (
        ("Sri Wahyuni", "081311112222"),
        ("budi santoso", "081322223333"),
        ("Agus Salim", "081344445555"),
        ("Dewi Sartika", "085700001111"),
    ):
        customer_upsert(organisation=in_shop, name=name, phone=phone)

    def names(search: str = "") -> list[str]:
        return [c.name for c in customers_list(organisation=in_shop, search=search)]

    assert names() == ["Agus Salim", "budi santoso", "Dewi Sartika", "Sri Wahyuni"]
    assert names("SARI") == []
    assert names("sa") == ["Agus Salim", "budi santoso", "Dewi Sartika"]
    assert names("dewi sar") == ["Dewi Sartika"]
    assert names("0813 2222") == ["budi santoso"]  # as the shop writes it, with the 0
    assert names("+62857") == ["Dewi Sartika"]
    assert names("4444") == ["Agus Salim"]
    (agus,) = customers_list(organisation=in_shop, search="agus")
    assert agus.order_count == 0
    assert agus.spent == 0


@pytest.mark.django_db
def test_orders_are_found_by_the_buyer_and_debts_add_up_per_name(in_shop: Organisation) -> None:
    shirt = variant_make(in_shop, price=10_000, stock=50)

    def place(name: str, phone: str = "", **kwargs: Any) -> Order:
        return order_place(
            organisation=in_shop,
            channel=Channel.WALK_IN,
            lines=[(shirt.pk, 1)],
            customer_name=name,
            customer_phone=phone,
            **kwargs,
        )

    dewi = place("Dewi", "081234567890", is_credit=True)
    walk_in = place("Pak Joko", is_credit=True)
    walk_in_again = place("Pak Joko", is_credit=True)
    nobody = place("")

    def found(search: str) -> set[str]:
        return {o.number for o in orders_list(organisation=in_shop, search=search)}

    assert found("dewi") == {dewi.number}
    assert found("7890") == {dewi.number}
    assert found("joko") == {walk_in.number, walk_in_again.number}
    assert found(nobody.number) == {nobody.number}
    owed = {(d.name, d.owed, d.orders) for d in debts(organisation=in_shop)}
    assert owed == {("Dewi", 10_000, 1), ("Pak Joko", 20_000, 2)}


@pytest.mark.django_db
def test_the_customers_page_sorts_by_name_and_reads_only_the_page_shown(
    shop: Organisation,
    owner_client: Any,  # noqa: F811  (the fixture)
) -> None:
    with tenant_context(shop.pk):
        Customer.objects.bulk_create(
            [
                Customer(organisation=shop, name=f"Pelanggan {i:03d}", phone=f"+62812000{i:05d}")
                for i in range(120, 0, -1)
            ]
        )
    url = reverse("commerce:customer_list")

    first = owner_client.get(url)
    second = owner_client.get(url, {"page": 2})
    search = owner_client.get(url, {"q": "0812 0000 0007"})

    page = [c.name for c in first.context["page"]]
    assert page[:3] == ["Pelanggan 001", "Pelanggan 002", "Pelanggan 003"]
    assert second.context["page"][0].name == f"Pelanggan {len(page) + 1:03d}"
    assert [c.name for c in search.context["page"]] == ["Pelanggan 007"]
    assert first.context["page"].paginator.count == 120
    with tenant_context(shop.pk), CaptureQueriesContext(connection) as queries:
        shown = list(Paginator(selectors_web.customer_list(), 25).get_page(3))
    assert shown[0].name == "Pelanggan 051"
    assert len(queries) == 2  # every name (to sort), then the page with its figures


@pytest.mark.django_db
def test_the_data_migration_encrypts_and_decrypts_in_batches(in_shop: Organisation) -> None:
    """The RunPython functions of the migration, on rows written in plain text as before."""
    shirt = variant_make(in_shop, stock=5)
    order = order_place(organisation=in_shop, channel=Channel.PHONE, lines=[(shirt.pk, 1)])
    customer = customer_upsert(organisation=in_shop, name="x", phone="081200000000")
    assert customer is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE commerce_customer SET name = %s, phone = %s, address = %s, "
            "phone_digest = '' WHERE id = %s",
            ["Dewi Lestari", "+6281234567890", "Jl. Malioboro 5", customer.pk],
        )
        cursor.execute(
            "UPDATE commerce_order SET customer_name = %s, customer_phone = %s, address = %s, "
            "delivery_note = %s WHERE id = %s",
            ["Dewi Lestari", "+6281234567890", "Jl. Malioboro 5", "pagar hijau", order.pk],
        )
    migration = import_module("sinergi.commerce.migrations.0006_personal_data_encrypt")
    state = MigrationExecutor(connection).loader.project_state(
        ("commerce", "0006_personal_data_encrypt"), at_end=False
    )
    editor = SimpleNamespace(connection=connection)

    migration.encrypt(state.apps, editor)
    migration.encrypt(state.apps, editor)  # a second run leaves encrypted values alone

    _assert_no_plain_text(
        _raw("SELECT name, phone, address FROM commerce_customer")
        + _raw("SELECT customer_name, customer_phone, address, delivery_note FROM commerce_order")
    )
    plain_cache_clear()
    stored = Customer.objects.get(pk=customer.pk)
    assert (stored.name, stored.phone, stored.address) == (
        "Dewi Lestari",
        "+6281234567890",
        "Jl. Malioboro 5",
    )
    assert stored.phone_digest == blind_index("+6281234567890")
    assert Order.objects.get(pk=order.pk).customer_phone_digest == blind_index("+6281234567890")

    migration.decrypt(state.apps, editor)

    assert _raw("SELECT name, phone, address, phone_digest FROM commerce_customer") == [
        ("Dewi Lestari", "+6281234567890", "Jl. Malioboro 5", "")
    ]
    assert _raw(
        "SELECT customer_name, delivery_note FROM commerce_order WHERE id = %s", [order.pk]
    ) == [("Dewi Lestari", "pagar hijau")]


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_the_migrations_run_backwards_and_forwards_on_this_database() -> None:
    """Schema and data together: plain rows before, ciphertext after, plain again backwards."""
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    before = [("commerce", "0004_personal_data_columns")]  # and whatever depends on later ones
    executor.migrate(before)
    shop = OrganisationFactory()
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO commerce_customer (organisation_id, name, phone, address, phone_digest, "
            "created_at) VALUES (%s, %s, %s, %s, '', %s)",
            [shop.pk, "Dewi Lestari", "+6281234567890", "Jl. Malioboro 5", "2026-01-01"],
        )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)

    _assert_no_plain_text(_raw("SELECT name, phone, address FROM commerce_customer"))
    with tenant_context(shop.pk):
        stored = Customer.objects.get()
        assert (stored.name, stored.phone) == ("Dewi Lestari", "+6281234567890")
        assert stored.phone_digest == blind_index("+6281234567890")
        with pytest.raises(IntegrityError), transaction.atomic():
            Customer.objects.create(organisation=shop, name="Copy", phone="+6281234567890")

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    assert _raw("SELECT name, phone, address FROM commerce_customer") == [
        ("Dewi Lestari", "+6281234567890", "Jl. Malioboro 5")
    ]
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(leaves)


@pytest.mark.django_db
def test_rotation_re_encrypts_every_value_with_the_newest_key(in_shop: Organisation) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    with override_settings(SINERGI_DATA_KEYS=[old]):
        customer = customer_upsert(
            organisation=in_shop, name="Dewi", phone="081234567890", address="Jl. Kaliurang"
        )
    assert customer is not None
    plain_cache_clear()

    with override_settings(SINERGI_DATA_KEYS=[new, old]):
        assert Customer.objects.get(pk=customer.pk).address == "Jl. Kaliurang"
        rotated = data_rotate(connection)
    with override_settings(SINERGI_DATA_KEYS=[new]):
        stored = Customer.objects.get(pk=customer.pk)

    assert rotated >= 3
    assert (stored.name, stored.phone, stored.address) == (
        "Dewi",
        "+6281234567890",
        "Jl. Kaliurang",
    )


@pytest.mark.postgres
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_concurrent_upserts_of_one_phone_make_one_customer() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is only meaningful on PostgreSQL (SQLite serialises writers)")
    shop = OrganisationFactory()

    def upsert(index: int) -> int:
        with tenant_context(shop.pk):
            found = customer_upsert(organisation=shop, name=f"Dewi {index}", phone="0812-3456-7890")
            assert found is not None
            return int(found.pk)

    ids = run_together(upsert, range(8))

    assert len(set(ids)) == 1
    with tenant_context(shop.pk):
        assert Customer.objects.count() == 1
        assert Customer.objects.get().phone == "+6281234567890"
