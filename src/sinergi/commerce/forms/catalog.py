"""Forms of the catalog pages: the product list filter, a product with its variants, photos."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.commerce.forms.fields import RupiahField
from sinergi.commerce.models import Category

MAX_PHOTO_BYTES = 8 * 1024 * 1024


class ProductFilterForm(forms.Form):
    """Search and filters above the product list; every field optional."""

    STATUS_CHOICES = (
        ("active", _("On sale")),
        ("archived", _("Archived")),
        ("all", _("All")),
    )
    STOCK_CHOICES = (
        ("", _("Any stock")),
        ("low", _("Low stock")),
        ("out", _("Sold out")),
    )

    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name or SKU")}),
    )
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"), queryset=None, required=False, empty_label=_("All")
    )
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    stock = forms.ChoiceField(label=_("Stock"), choices=STOCK_CHOICES, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()  # type: ignore[attr-defined]


class ProductForm(forms.Form):
    """The product's own fields; a new category can be typed instead of picked."""

    name = forms.CharField(label=_("Product name"), max_length=150)
    category: forms.ModelChoiceField[Category] = forms.ModelChoiceField(
        label=_("Category"),
        queryset=None,
        required=False,
        empty_label=_("No category"),
    )
    new_category = forms.CharField(
        label=_("…or a new category"),
        max_length=80,
        required=False,
        help_text=_("Type a name to create the category."),
    )
    description = forms.CharField(
        label=_("Description"),
        max_length=5000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    is_active = forms.BooleanField(
        label=_("On sale (shown to buyers)"), required=False, initial=True
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].queryset = Category.objects.all()  # type: ignore[attr-defined]


class VariantForm(forms.Form):
    """One variant row: size/colour name, SKU, price, cost, alert threshold."""

    id = forms.IntegerField(required=False, widget=forms.HiddenInput)
    name = forms.CharField(
        label=_("Variant"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. L / Merah")}),
    )
    sku = forms.CharField(label=_("SKU"), max_length=64)
    price = RupiahField(label=_("Price (Rp)"))
    cost_price = RupiahField(label=_("Cost (Rp)"), required=False)
    low_stock_threshold = forms.IntegerField(
        label=_("Alert at"), min_value=0, max_value=100000, initial=3
    )
    is_active = forms.BooleanField(label=_("On sale"), required=False, initial=True)

    def clean_sku(self) -> str:
        sku: str = self.cleaned_data["sku"].strip()
        if any(char.isspace() for char in sku):
            raise ValidationError(_("A SKU has no spaces (e.g. BTK-PRG-L)."))
        return sku


class _VariantFormSetBase(forms.BaseFormSet):
    def clean(self) -> None:
        if any(self.errors):
            return
        rows = [f.cleaned_data for f in self.forms if f.cleaned_data and not self._deleted(f)]
        if not rows:
            raise ValidationError(_("A product needs at least one variant with a SKU and a price."))
        seen: set[str] = set()
        for number, row in enumerate(rows, start=1):
            sku = row["sku"].lower()
            if sku in seen:
                raise ValidationError(
                    _("Variant %(number)s: SKU %(sku)s is used twice on this product."),
                    params={"number": number, "sku": row["sku"]},
                )
            seen.add(sku)

    def _deleted(self, form: forms.Form) -> bool:
        return bool(self.can_delete and form.cleaned_data.get("DELETE"))


VariantFormSet = forms.formset_factory(
    VariantForm, formset=_VariantFormSetBase, extra=1, max_num=50, validate_max=True
)


class PhotoForm(forms.Form):
    """One product photo; Pillow checks it really is a picture."""

    image = forms.ImageField(
        label=_("Photo"),
        help_text=_("JPEG, PNG or WebP up to 8 MB; we make a light copy for buyers."),
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,image/webp"}),
    )

    def clean_image(self) -> Any:
        image = self.cleaned_data["image"]
        if image and image.size > MAX_PHOTO_BYTES:
            raise ValidationError(_("This photo is larger than 8 MB; choose a smaller one."))
        return image


# A new product offers three empty rows (e.g. S, M, L); the empty ones are ignored.
NewVariantFormSet = forms.formset_factory(
    VariantForm, formset=_VariantFormSetBase, extra=3, max_num=50, validate_max=True
)
