"""Finding customers and orders by a piece of a name or phone number, which are encrypted.

The database holds customers' names and phones as ciphertext (docs/adr/0008), so it can neither
search nor sort them. A shop has at most some thousands of customers: the candidates are
decrypted here in bulk (and remembered in memory, see ``sinergi.core.crypto``),
matched and sorted in Python, and only the page shown is read with its figures from SQL.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any, Generic, TypeVar, overload

from django.db.models import ExpressionWrapper, F, Model, QuerySet, TextField

from sinergi.commerce.models import Customer, Order
from sinergi.core.crypto import data_decrypt_many

_M = TypeVar("_M", bound=Model)


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def contact_matcher(search: str) -> Callable[[str, str], bool]:
    """A test of (name, phone) against what a user typed: part of the name, in any case, or
    part of the phone number ("0812…" also finds "+62812…", as phones are stored +62…)."""
    words = search.casefold().split()
    digits = _digits(search)
    phone_like = bool(digits) and all(ch.isdigit() or ch in " +-()." for ch in search)
    national = "62" + digits[1:] if digits.startswith("0") else ""
    text = search.strip()

    def matches(name: str, phone: str) -> bool:
        folded = name.casefold()
        if words and all(word in folded for word in words):
            return True
        if text and text in phone:
            return True
        if phone_like:
            phone_digits = _digits(phone)
            return digits in phone_digits or bool(national and national in phone_digits)
        return False

    return matches


def _decrypted(queryset: QuerySet[Any], *fields: str) -> list[tuple[Any, ...]]:
    """``values_list("pk", *fields)`` of encrypted fields, decrypted in bulk (one AES call for
    all, see ``data_decrypt_many``) rather than value by value as the field would."""
    sealed = [ExpressionWrapper(F(name), output_field=TextField()) for name in fields]
    rows = list(queryset.values_list("pk", *sealed))
    columns = [data_decrypt_many([row[n] for row in rows]) for n in range(1, len(fields) + 1)]
    return [(row[0], *(column[i] for column in columns)) for i, row in enumerate(rows)]


def customer_pks(customers: QuerySet[Customer], *, search: str = "") -> list[int]:
    """The primary keys of ``customers`` sorted by name (then pk), only those matching
    ``search`` when it is given. Decrypts every candidate's name (and phone when searching)."""
    if search:
        matches = contact_matcher(search)
        found = [
            (name.casefold(), pk)
            for pk, name, phone in _decrypted(customers, "name", "phone")
            if matches(name, phone)
        ]
    else:
        found = [(name.casefold(), pk) for pk, name in _decrypted(customers, "name")]
    found.sort()
    return [pk for _name, pk in found]


def orders_matching(
    orders: QuerySet[Order], customers: QuerySet[Customer], search: str
) -> tuple[list[int], list[int]]:
    """Who among the ``orders``' buyers matches ``search``: the ids of matching customer
    records (all their orders match), and the ids of orders whose own name (as it was on the
    order) or, for orders without a customer record, own phone matches. Decrypts the shop's
    customers and the names on its orders (each remembered in memory once read)."""
    matches = contact_matcher(search)
    customer_ids = [
        pk for pk, name, phone in _decrypted(customers, "name", "phone") if matches(name, phone)
    ]
    linked = orders.filter(customer__isnull=False).exclude(customer_name="")
    order_ids = [pk for pk, name in _decrypted(linked, "customer_name") if matches(name, "")]
    anonymous = orders.filter(customer__isnull=True).exclude(customer_name="", customer_phone="")
    order_ids += [
        pk
        for pk, name, phone in _decrypted(anonymous, "customer_name", "customer_phone")
        if matches(name, phone)
    ]
    return customer_ids, order_ids


class InOrder(Sequence[_M], Generic[_M]):
    """The rows of ``queryset`` in the order of ``pks``, read a page at a time: what a
    ``Paginator`` needs when the order was decided in Python (names sorted after decrypting)."""

    def __init__(self, queryset: QuerySet[_M], pks: list[int]) -> None:
        self.queryset, self.pks = queryset, pks

    def __len__(self) -> int:
        return len(self.pks)

    def count(self) -> int:  # type: ignore[override]  # Paginator prefers count() when present
        return len(self.pks)

    @overload
    def __getitem__(self, index: int) -> _M: ...

    @overload
    def __getitem__(self, index: slice) -> list[_M]: ...

    def __getitem__(self, index: int | slice) -> _M | list[_M]:
        if isinstance(index, int):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        chosen = self.pks[index]
        rows = {row.pk: row for row in self.queryset.filter(pk__in=chosen)}
        return [rows[pk] for pk in chosen if pk in rows]

    def __iter__(self) -> Iterator[_M]:
        step = 500
        for start in range(0, len(self.pks), step):
            yield from self[start : start + step]
