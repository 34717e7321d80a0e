"""Customers are recognised by their phone number, written in any of the usual ways."""

import pytest

from sinergi.accounts.models import Organisation
from sinergi.commerce.models import Customer
from sinergi.commerce.services.customers import customer_update, customer_upsert, phone_normalise
from sinergi.commerce.services.errors import InvalidInput


@pytest.mark.parametrize(
    "raw",
    ["0812-3456-7890", "081234567890", "62812 3456 7890", "+62 812-3456-7890", "(0812) 34567890"],
)
def test_indonesian_numbers_are_normalised(raw: str) -> None:
    assert phone_normalise(raw) == "+6281234567890"


def test_a_landline_and_an_empty_number() -> None:
    assert phone_normalise("021 5551234") == "+62215551234"
    assert phone_normalise("  ") == ""


@pytest.mark.parametrize("raw", ["12", "abc", "0812", "+62 000 0000"])
def test_nonsense_is_refused(raw: str) -> None:
    with pytest.raises(InvalidInput):
        phone_normalise(raw)


def test_upsert_creates_then_updates(in_shop: Organisation) -> None:
    first = customer_upsert(organisation=in_shop, name="Ani", phone="0812 3456 7890")
    second = customer_upsert(
        organisation=in_shop, name="", phone="+6281234567890", address="Jl. Mawar 1"
    )

    assert first is not None
    assert second is not None
    assert first.pk == second.pk
    assert (second.name, second.address) == ("Ani", "Jl. Mawar 1")
    assert customer_upsert(organisation=in_shop, name="Tanpa HP", phone="") is None


def test_a_phone_number_belongs_to_one_customer(in_shop: Organisation) -> None:
    ani = customer_upsert(organisation=in_shop, name="Ani", phone="081234567890")
    budi = customer_upsert(organisation=in_shop, name="Budi", phone="081298765432")
    assert ani is not None
    assert budi is not None

    with pytest.raises(InvalidInput, match="Another customer"):
        customer_update(organisation=in_shop, customer=budi, name="Budi", phone="081234567890")
    customer_update(organisation=in_shop, customer=budi, name="Pak Budi", phone="0812 9876 5432")

    assert Customer.objects.get(pk=budi.pk).name == "Pak Budi"
