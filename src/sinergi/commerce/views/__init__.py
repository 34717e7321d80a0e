"""Pages of the shop workspace (catalog, stock, orders, customers) and the public storefront.

Views parse, authorise, call one service and render; reads come from ``selectors_web``.
"""

from __future__ import annotations

from django import forms

from sinergi.accounts.api import MANAGING_ROLES, OrganisationKind
from sinergi.commerce.services.errors import CommerceError

SHOP = (OrganisationKind.SHOP,)
# Owners decide prices, what is sold and corrections of the books; staff run the day.
MANAGERS = MANAGING_ROLES
PAGE_SIZE = 50


def form_error(form: forms.Form, error: CommerceError) -> None:
    """Show a refusal of the domain on the field it names, or above the form."""
    field = error.field if error.field in form.fields else None
    form.add_error(field, str(error))
