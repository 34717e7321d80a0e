"""Customers: recognised by their Indonesian phone number, written once per shop."""

from __future__ import annotations

import phonenumbers
from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation
from sinergi.commerce.models import Customer
from sinergi.commerce.services.errors import InvalidInput
from sinergi.core.crypto import blind_index
from sinergi.core.tenancy import tenant_context


def phone_normalise(raw: str) -> str:
    """ "0812-3456-789", "62812 3456 789", "+62 812…" → "+628123456789"; "" stays "".

    Raises InvalidInput for something that is not a valid Indonesian (or international)
    phone number.
    """
    raw = (raw or "").strip()
    if not raw:
        return ""
    candidate = raw
    digits = "".join(ch for ch in raw if ch.isdigit())
    if not raw.startswith("+") and digits.startswith("62"):
        candidate = "+" + digits
    try:
        number = phonenumbers.parse(candidate, "ID")
    except phonenumbers.NumberParseException as error:
        raise InvalidInput(
            _("%s is not a phone number. Write it like 0812 3456 7890.") % raw, field="phone"
        ) from error
    if not phonenumbers.is_valid_number(number):
        raise InvalidInput(
            _("%s is not a valid phone number. Write it like 0812 3456 7890.") % raw,
            field="phone",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_digest(phone: str) -> str:
    """The blind index of a phone number as customers and orders store it ("" for none): the
    way to find them by phone, as the phone itself is encrypted (docs/adr/0008)."""
    return blind_index(phone_normalise(phone))


def customer_upsert(
    *, organisation: Organisation, name: str, phone: str, address: str = ""
) -> Customer | None:
    """The shop's customer with this phone number, created or brought up to date.

    Without a phone number there is nothing to recognise the person by: returns None.
    A new name or address replaces the stored one (people move; the latest order knows best).
    """
    phone = phone_normalise(phone)
    if not phone:
        return None
    name, address = name.strip()[:120], address.strip()[:1000]
    digest = blind_index(phone)
    with tenant_context(organisation.pk), transaction.atomic(savepoint=False):
        customer = Customer.objects.filter(phone_digest=digest).first()
        if customer is None:
            # INSERT … ON CONFLICT DO NOTHING: a customer created by a concurrent order a moment
            # ago is found below, without a savepoint to recover from the conflict.
            Customer.objects.bulk_create(
                [
                    Customer(
                        organisation=organisation, name=name or phone, phone=phone, address=address
                    )
                ],
                ignore_conflicts=True,
            )
            customer = Customer.objects.get(phone_digest=digest)
        changed = []
        if name and customer.name != name:
            customer.name = name
            changed.append("name")
        if address and customer.address != address:
            customer.address = address
            changed.append("address")
        if changed:
            customer.save(update_fields=changed)
        return customer


def customer_update(
    *, organisation: Organisation, customer: Customer, name: str, phone: str, address: str = ""
) -> Customer:
    """Edit a customer's details; the phone number stays unique in the shop."""
    if customer.organisation_id != organisation.pk:
        raise InvalidInput(_("That customer does not belong to this shop."))
    name = name.strip()
    if not name:
        raise InvalidInput(_("Give the customer a name."), field="name")
    phone = phone_normalise(phone)
    with tenant_context(organisation.pk), transaction.atomic():
        digest = blind_index(phone)
        if phone and Customer.objects.filter(phone_digest=digest).exclude(pk=customer.pk).exists():
            raise InvalidInput(
                _("Another customer already has the number %s.") % phone, field="phone"
            )
        customer.name, customer.phone, customer.address = name[:120], phone, address.strip()
        customer.save(update_fields=["name", "phone", "phone_digest", "address"])
    return customer
