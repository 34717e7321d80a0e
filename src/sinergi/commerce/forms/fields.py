"""Form fields shared by the commerce forms: Indonesian phone numbers and rupiah amounts."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.commerce.services import customers
from sinergi.commerce.services.errors import InvalidInput


def phone_normalise(value: str) -> str:
    """ "0812-3456-7890", "62812…" or "+62 812…" → "+6281234567890", as a form error if wrong."""
    try:
        return customers.phone_normalise(value)
    except InvalidInput as error:
        raise ValidationError(str(error), code="invalid") from error


class PhoneField(forms.CharField):
    """A phone number, normalised to +62… (E.164)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("label", _("Phone (WhatsApp)"))
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"type": "tel", "inputmode": "tel", "autocomplete": "tel", "placeholder": "0812…"}
        )

    def clean(self, value: Any) -> str:
        value = super().clean(value)
        if not value:
            return ""
        return phone_normalise(value)


class RupiahField(forms.IntegerField):
    """A whole number of rupiah; accepts "12.500", "12,500" and "Rp 12.500"."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", 10**12)
        super().__init__(**kwargs)
        self.widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.strip().lower().removeprefix("rp").strip()
            value = value.replace(".", "").replace(",", "").replace(" ", "").replace("\u00a0", "")
        return super().to_python(value)
