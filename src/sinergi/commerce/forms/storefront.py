"""Forms of the public storefront: add to cart, change the cart, check out."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.commerce.forms.fields import PhoneField
from sinergi.commerce.models import PaymentMethod

MAX_CART_QUANTITY = 99

# What a buyer may choose at checkout; cash is for the counter.
STOREFRONT_PAYMENTS = (
    PaymentMethod.BANK_TRANSFER,
    PaymentMethod.QRIS,
    PaymentMethod.EWALLET,
    PaymentMethod.COD,
)


class AddToCartForm(forms.Form):
    """A variant of the product on the page, and how many."""

    variant = forms.TypedChoiceField(label=_("Choose"), coerce=int, widget=forms.RadioSelect)
    quantity = forms.IntegerField(
        label=_("Quantity"), min_value=1, max_value=MAX_CART_QUANTITY, initial=1
    )

    def __init__(self, *args: Any, variants: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["variant"].choices = variants  # type: ignore[attr-defined]
        if len(variants) == 1:
            self.fields["variant"].initial = variants[0][0]


class CheckoutForm(forms.Form):
    """Who the buyer is, where the goods go, and how they will pay."""

    name = forms.CharField(
        label=_("Your name"), max_length=120, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    phone = PhoneField(label=_("WhatsApp number"))
    address = forms.CharField(
        label=_("Delivery address"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3, "autocomplete": "street-address"}),
    )
    delivery_note = forms.CharField(
        label=_("Note for the shop or courier"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. rumah cat biru, dekat masjid")}),
    )
    payment_method = forms.ChoiceField(
        label=_("Payment"),
        choices=[(m.value, m.label) for m in STOREFRONT_PAYMENTS],
        initial=PaymentMethod.BANK_TRANSFER,
        widget=forms.RadioSelect,
    )
