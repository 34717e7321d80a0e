"""Forms of the channels pages."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from sinergi.channels.models import ConnectedAccount, MediaAsset
from sinergi.channels.services.posts import MAX_POST_MEDIA
from sinergi.commerce.api import PaymentMethod, Product

ORDER_ROWS = 5


class PostForm(forms.Form):
    caption = forms.CharField(
        label=_("Caption"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,
        max_length=5000,
        help_text=_("Written once; you can tailor it for each platform below."),
    )
    accounts: forms.ModelMultipleChoiceField[ConnectedAccount] = forms.ModelMultipleChoiceField(
        label=_("Post to"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one account to post to.")},
    )
    assets: forms.ModelMultipleChoiceField[MediaAsset] = forms.ModelMultipleChoiceField(
        label=_("Photos or videos"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_(
            "Choose up to 10. Several photos or videos become a carousel on Instagram and an "
            "album post on Facebook; number them to set their order."
        ),
    )
    product: forms.ModelChoiceField[Product] = forms.ModelChoiceField(
        label=_("Link a product"),
        queryset=None,
        required=False,
        help_text=_("The post carries a link to the product in your storefront."),
    )
    scheduled_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )

    def __init__(self, *args: Any, accounts: Any, media: Any, products: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.account_rows = list(accounts)
        self.fields["accounts"].queryset = accounts  # type: ignore[attr-defined]
        self.fields["assets"].queryset = media  # type: ignore[attr-defined]
        self.fields["product"].queryset = products  # type: ignore[attr-defined]
        for account in self.account_rows:
            self.fields[f"caption_{account.pk}"] = forms.CharField(
                label=_("Caption for %(account)s (optional)") % {"account": account},
                widget=forms.Textarea(attrs={"rows": 2}),
                required=False,
                max_length=5000,
            )

    def clean_scheduled_at(self) -> Any:
        value = self.cleaned_data.get("scheduled_at")
        if value is not None and value < timezone.now() - timedelta(minutes=5):
            raise forms.ValidationError(_("Choose a time that has not passed yet."))
        return value

    def captions(self) -> dict[int, str]:
        return {a.pk: self.cleaned_data.get(f"caption_{a.pk}", "") for a in self.account_rows}

    def _positions(self) -> dict[int, int]:
        """The order numbers typed next to the files (``position_<pk>``), where valid."""
        positions = {}
        for key, value in (self.data or {}).items():
            pk, number = key.removeprefix("position_"), str(value).strip()
            if key.startswith("position_") and pk.isdigit() and number.isdigit():
                positions[int(pk)] = int(number)
        return positions

    def clean_assets(self) -> Any:
        assets = list(self.cleaned_data.get("assets") or [])
        if len(assets) > MAX_POST_MEDIA:
            raise forms.ValidationError(
                ngettext(
                    "Choose at most %(limit)d photo or video.",
                    "Choose at most %(limit)d photos or videos.",
                    MAX_POST_MEDIA,
                )
                % {"limit": MAX_POST_MEDIA}
            )
        return assets

    def ordered_assets(self) -> list[MediaAsset]:
        """The chosen files in the shop's order: numbered ones by their number, the others
        after them in the library's order."""
        positions = self._positions()
        assets = list(self.cleaned_data.get("assets") or [])
        return sorted(
            assets, key=lambda a: (positions.get(a.pk, MAX_POST_MEDIA + 1), assets.index(a))
        )

    def media_rows(self) -> list[tuple[MediaAsset, bool, int | None]]:
        """(file, chosen, order number) for the composer's media picker."""
        if self.is_bound:
            chosen = [str(v) for v in self.data.getlist("assets")]  # type: ignore[attr-defined]
            positions: dict[int, int] = self._positions()
        else:
            initial = [int(pk) for pk in self.initial.get("assets", [])]
            chosen = [str(pk) for pk in initial]
            positions = {pk: n for n, pk in enumerate(initial, start=1)} if len(initial) > 1 else {}
        return [
            (asset, str(asset.pk) in chosen, positions.get(asset.pk))
            for asset in self.fields["assets"].queryset  # type: ignore[attr-defined]
        ]


class MediaForm(forms.Form):
    file = forms.FileField(label=_("Photo or video"))
    title = forms.CharField(label=_("Title"), required=False, max_length=120)
    duration_seconds = forms.FloatField(
        label=_("Video length in seconds"), required=False, min_value=0, widget=forms.HiddenInput
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Reply"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4096
    )


class ConversationOrderForm(forms.Form):
    """Up to five lines of (variant, quantity), delivery and payment, for a chat order."""

    request_key = forms.CharField(widget=forms.HiddenInput, initial=lambda: uuid.uuid4().hex)
    customer_name = forms.CharField(label=_("Name"), max_length=120, required=False)
    address = forms.CharField(
        label=_("Delivery address"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    shipping_fee = forms.IntegerField(label=_("Delivery fee (Rp)"), min_value=0, initial=0)
    payment_method = forms.ChoiceField(
        label=_("Payment"), choices=[("", "—"), *PaymentMethod.choices], required=False
    )

    def __init__(self, *args: Any, variants: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        choices = [("", "—")] + [
            (v.pk, f"{v.product.name} {v.name} · Rp {v.price:,}".replace(",", "."))
            for v in variants
        ]
        for row in range(ORDER_ROWS):
            self.fields[f"variant_{row}"] = forms.TypedChoiceField(
                label=_("Product %(n)d") % {"n": row + 1},
                choices=choices,
                coerce=int,
                required=False,
                empty_value=None,
            )
            self.fields[f"quantity_{row}"] = forms.IntegerField(
                label=_("Quantity"), min_value=1, max_value=9999, required=False, initial=1
            )

    def line_rows(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[f"variant_{r}"], self[f"quantity_{r}"]) for r in range(ORDER_ROWS)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        lines = []
        for row in range(ORDER_ROWS):
            variant = data.get(f"variant_{row}")
            if variant is None:
                continue
            quantity = data.get(f"quantity_{row}") or 0
            if quantity < 1:
                self.add_error(f"quantity_{row}", _("Write how many."))
                continue
            lines.append((variant, quantity))
        if not lines and not self.errors:
            raise forms.ValidationError(_("Choose at least one product."))
        data["lines"] = lines
        return data


def variant_choices(variants: Any) -> Any:
    return variants.filter(is_active=True, product__is_active=True).order_by(
        "product__name", "name"
    )


class WhatsAppPinForm(forms.Form):
    """The two-step verification PIN a WhatsApp number is registered with."""

    pin = forms.RegexField(
        label=_("6-digit PIN"),
        regex=r"^\d{6}$",
        error_messages={"invalid": _("The PIN must have exactly 6 digits.")},
        help_text=_(
            "If the number already has a two-step verification PIN, enter that one; otherwise "
            "choose a new one and keep it safe: WhatsApp asks for it when the number moves."
        ),
        widget=forms.TextInput(
            attrs={
                "inputmode": "numeric",
                "autocomplete": "off",
                "maxlength": "6",
                "pattern": "[0-9]{6}",
            }
        ),
    )
