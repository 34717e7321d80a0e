"""Forms of programme owners: the programme itself, its offerings and a match run."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import Province
from sinergi.partnerships.models import Objective, Programme, ProgrammeStatus


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def parse_quotas(text: str) -> dict[str, dict[str, int]]:
    """Read "33: 40" or "33: 5-40" lines (province code or name: [min-]max) into quotas.

    Raises ValidationError naming the line that cannot be read.
    """
    provinces = {p.code: p for p in Province.objects.all()}
    by_name = {p.name.lower(): p.code for p in provinces.values()}
    quotas: dict[str, dict[str, int]] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        place, sep, bounds = line.rpartition(":")
        place = place.strip()
        code = place if place in provinces else by_name.get(place.lower())
        if not sep or code is None:
            raise ValidationError(
                _(
                    "Line %(n)s: “%(line)s” — write a province and a number, "
                    "e.g. “Jawa Tengah: 40”."
                ),
                params={"n": number, "line": line},
            )
        low, dash, high = bounds.strip().partition("-")
        try:
            maximum = int(high if dash else low)
            minimum = int(low) if dash else 0
        except ValueError:
            raise ValidationError(
                _("Line %(n)s: “%(bounds)s” is not a number of shops."),
                params={"n": number, "bounds": bounds.strip()},
            ) from None
        if maximum < 1 or minimum < 0 or minimum > maximum:
            raise ValidationError(
                _("Line %(n)s: the quota must be at least 1 and the minimum not above it."),
                params={"n": number},
            )
        quota = {"max": maximum}
        if minimum:
            quota["min"] = minimum
        quotas[code] = quota
    return quotas


def quotas_as_text(quotas: dict[str, dict[str, int]]) -> str:
    names = dict(Province.objects.values_list("code", "name"))
    lines = []
    for code, bounds in quotas.items():
        low = bounds.get("min")
        high = bounds.get("max", "")
        lines.append(f"{names.get(code, code)}: {f'{low}-' if low else ''}{high}")
    return "\n".join(lines)


class ProgrammeForm(forms.ModelForm):
    quotas_text = forms.CharField(
        label=_("Quotas per province"),
        required=False,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "Jawa Tengah: 40\nDI Yogyakarta: 5-20"}
        ),
        help_text=_(
            "One province per line with the most shops it may place; “5-20” also sets a minimum. "
            "Provinces not listed have no quota."
        ),
    )

    class Meta:
        model = Programme
        fields = ["name", "description", "applications_open_at", "applications_close_at"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 3}),
            "applications_open_at": DateTimeInput(),
            "applications_close_at": DateTimeInput(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.fields["quotas_text"].initial = quotas_as_text(self.instance.quotas)

    def clean_quotas_text(self) -> dict[str, dict[str, int]]:
        return parse_quotas(self.cleaned_data.get("quotas_text") or "")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        opens, closes = data.get("applications_open_at"), data.get("applications_close_at")
        if opens and closes and closes <= opens:
            self.add_error("applications_close_at", _("The window must close after it opens."))
        return data

    def _post_clean(self) -> None:
        pass


class RunForm(forms.Form):
    objective = forms.ChoiceField(
        label=_("How to match"), choices=Objective.choices, initial=Objective.OPTIMAL
    )


def _offering_label(offering: Any) -> str:
    return f"{offering.title} — {offering.organisation.name}"


class ProgrammeOfferingForm(forms.Form):
    """Add one published offering (of any partner) to a programme."""

    offering: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label=_("Add an offering"),
        queryset=None,
        empty_label=_("Choose a published offering"),
        error_messages={"required": _("Choose the offering to add.")},
    )

    def __init__(self, *args: Any, offerings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["offering"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = offerings
        field.label_from_instance = _offering_label  # type: ignore[method-assign,assignment]


class ProgrammeStatusForm(forms.Form):
    status = forms.ChoiceField(choices=ProgrammeStatus.choices)
