"""Forms of the order pages: the list filter, the fast manual order form, payments."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.commerce.forms.fields import PhoneField, RupiahField
from sinergi.commerce.models import Channel, OrderStatus, PaymentMethod, Variant

# Channels a person types an order in for; the others arrive by storefront or import.
MANUAL_CHANNELS = (
    Channel.WHATSAPP,
    Channel.INSTAGRAM,
    Channel.FACEBOOK,
    Channel.TIKTOK,
    Channel.PHONE,
    Channel.WALK_IN,
)
MAX_LINES = 50
MAX_LINE_QUANTITY = 10_000
UNPAID = "unpaid"
KASBON = "kasbon"


class OrderFilterForm(forms.Form):
    """Filters above the order list."""

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Number, name or phone")}),
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All")), *OrderStatus.choices]
    )
    channel = forms.ChoiceField(
        label=_("Channel"), required=False, choices=[("", _("All")), *Channel.choices]
    )
    unpaid = forms.BooleanField(label=_("Not fully paid"), required=False)


@dataclass(frozen=True)
class LineChoice:
    variant: Variant
    quantity: int


class OrderCreateForm(forms.Form):
    """An order taken by chat, phone or at the counter.

    The lines come as ``qty_<variant id>`` fields (added by the product search); a line with
    quantity 0 is dropped. ``payment`` is a method (paid now, in full), "unpaid" (pays later,
    e.g. by transfer or COD) or "kasbon" (the customer takes the goods on credit).
    """

    channel = forms.ChoiceField(
        label=_("Ordered via"),
        choices=[(c.value, c.label) for c in MANUAL_CHANNELS],
        initial=Channel.WHATSAPP,
        widget=forms.RadioSelect,
    )
    customer_name = forms.CharField(label=_("Customer name"), max_length=120, required=False)
    customer_phone = PhoneField(required=False)
    address = forms.CharField(
        label=_("Delivery address"),
        max_length=1000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    delivery_note = forms.CharField(
        label=_("Delivery note"),
        max_length=255,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. pagar hijau, titip satpam")}),
    )
    shipping_fee = RupiahField(label=_("Shipping (Rp)"), required=False, initial=0)
    discount = RupiahField(label=_("Discount (Rp)"), required=False, initial=0)
    payment = forms.ChoiceField(
        label=_("Payment"),
        choices=[
            (UNPAID, _("Pays later")),
            (KASBON, _("On credit (kasbon)")),
            *PaymentMethod.choices,
        ],
        initial=UNPAID,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: list[LineChoice] = []

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.lines = self._clean_lines()
        channel = data.get("channel")
        phone_missing = not data.get("customer_phone") and not self.has_error("customer_phone")
        if channel and channel != Channel.WALK_IN and phone_missing:
            self.add_error(
                "customer_phone",
                _("Enter the customer's phone so you can reach them (not needed for walk-in)."),
            )
        data["shipping_fee"] = data.get("shipping_fee") or 0
        data["discount"] = data.get("discount") or 0
        if (
            self.lines
            and data["discount"]
            > sum(line.variant.price * line.quantity for line in self.lines) + data["shipping_fee"]
        ):
            self.add_error("discount", _("The discount is larger than the order."))
        return data

    def _clean_lines(self) -> list[LineChoice]:
        wanted: dict[int, int] = {}
        pairs = (
            self.data.lists()
            if hasattr(self.data, "lists")
            else ((key, [value]) for key, value in self.data.items())
        )
        for key, values in pairs:
            if not key.startswith("qty_"):
                continue
            for raw in values:
                try:
                    variant_id = int(key.removeprefix("qty_"))
                    quantity = int(str(raw).strip() or "0")
                except ValueError:
                    raise ValidationError(
                        _("Quantities are whole numbers; check the products you picked.")
                    ) from None
                if quantity < 0 or quantity > MAX_LINE_QUANTITY:
                    raise ValidationError(
                        _("Quantities go from 0 to %(max)s."), params={"max": MAX_LINE_QUANTITY}
                    )
                if quantity:
                    wanted[variant_id] = wanted.get(variant_id, 0) + quantity
        if not wanted:
            raise ValidationError(_("Add at least one product to the order."))
        if len(wanted) > MAX_LINES:
            raise ValidationError(
                _("An order has at most %(max)s products."), params={"max": MAX_LINES}
            )
        variants = Variant.objects.select_related("product").in_bulk(list(wanted))
        missing = [vid for vid in wanted if vid not in variants]
        if missing:
            raise ValidationError(_("A product you picked no longer exists; search for it again."))
        return [LineChoice(variants[vid], qty) for vid, qty in wanted.items()]


class PaymentForm(forms.Form):
    """Money received for an order."""

    method = forms.ChoiceField(
        label=_("Method"), choices=PaymentMethod.choices, initial=PaymentMethod.CASH
    )
    amount = RupiahField(label=_("Amount (Rp)"), min_value=1)
    reference = forms.CharField(
        label=_("Reference"),
        max_length=100,
        required=False,
        help_text=_("e.g. the transfer's reference number"),
    )

    def __init__(self, *args: Any, balance_due: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.balance_due = balance_due
        if balance_due:
            self.fields["amount"].initial = balance_due

    def clean_amount(self) -> int:
        amount: int = self.cleaned_data["amount"]
        if self.balance_due is not None and amount > self.balance_due:
            raise ValidationError(
                _("This is more than the %(due)s still owed."),
                params={"due": f"Rp {self.balance_due:,}".replace(",", ".")},
            )
        return amount
