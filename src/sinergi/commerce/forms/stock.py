"""Forms of the stock page: receive, adjust, count (opname), transfer, reverse."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.commerce.models import Location

MAX_QUANTITY = 1_000_000


class _LocationForm(forms.Form):
    # Optional: a shop without any location yet gets its default one ("Toko") on first use.
    location: forms.ModelChoiceField[Location] = forms.ModelChoiceField(
        label=_("Location"), queryset=None, empty_label=None, required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        locations = Location.objects.all()
        for name in ("location", "destination"):
            if name in self.fields:
                self.fields[name].queryset = locations  # type: ignore[attr-defined]
        if "destination" not in self.fields and len(locations) <= 1:
            # One place (or none yet): nothing to choose, one field less on a phone.
            self.fields["location"].widget = forms.HiddenInput()


class ReceiveForm(_LocationForm):
    """Goods arrived from a supplier or from production."""

    quantity = forms.IntegerField(label=_("Quantity received"), min_value=1, max_value=MAX_QUANTITY)
    note = forms.CharField(
        label=_("Note"), max_length=255, required=False, help_text=_("e.g. supplier or invoice")
    )


class AdjustForm(_LocationForm):
    """A correction up or down with a reason (damaged, lost, found)."""

    delta = forms.IntegerField(
        label=_("Change (+/-)"),
        min_value=-MAX_QUANTITY,
        max_value=MAX_QUANTITY,
        help_text=_("Negative to remove, e.g. -2 for two damaged pieces."),
    )
    note = forms.CharField(label=_("Reason"), max_length=255)

    def clean_delta(self) -> int:
        delta: int = self.cleaned_data["delta"]
        if delta == 0:
            raise ValidationError(_("Enter a change other than 0."))
        return delta


class CountForm(_LocationForm):
    """A stock count (opname): what is really on the shelf."""

    counted = forms.IntegerField(
        label=_("Counted on the shelf"), min_value=0, max_value=MAX_QUANTITY
    )
    note = forms.CharField(label=_("Note"), max_length=255, required=False)


class TransferForm(_LocationForm):
    """Move goods from one location to another."""

    location: forms.ModelChoiceField[Location] = forms.ModelChoiceField(
        label=_("From"), queryset=None, empty_label=None
    )
    destination: forms.ModelChoiceField[Location] = forms.ModelChoiceField(
        label=_("To"), queryset=None, empty_label=None
    )
    quantity = forms.IntegerField(label=_("Quantity"), min_value=1, max_value=MAX_QUANTITY)
    note = forms.CharField(label=_("Note"), max_length=255, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("location") and data.get("location") == data.get("destination"):
            self.add_error("destination", _("Choose a different location to move the goods to."))
        return data


class ReverseForm(forms.Form):
    """Undo a ledger row by writing its opposite."""

    note = forms.CharField(label=_("Why"), max_length=255, required=False)


class LocationForm(forms.Form):
    """A new place goods are kept."""

    name = forms.CharField(label=_("New location"), max_length=80)
