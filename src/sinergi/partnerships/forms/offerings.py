"""Forms partners fill in: offerings, sessions, team members, feedback, contributions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.api import SectorFamily, SizeClass
from sinergi.core.models import Province, Regency
from sinergi.partnerships.models import (
    EngagementMember,
    EngagementSession,
    Mode,
    Offering,
    Topic,
)

OFFERING_FIELDS = [
    "title",
    "kind",
    "description",
    "topics",
    "capacity",
    "capacity_unit",
    "per_shop",
    "mode",
    "province",
    "regency",
    "starts_on",
    "ends_on",
    "schedule",
    "language",
    "eligible_sectors",
    "eligible_size_classes",
    "eligible_provinces",
    "contact_name",
    "contact_email",
    "contact_phone",
    "auto_accept",
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%d")


class OfferingForm(forms.ModelForm):
    """Everything issue 6 asks of an offering; the service does the writing."""

    topics = forms.MultipleChoiceField(
        label=_("Topics"),
        choices=Topic.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one topic.")},
    )
    eligible_sectors = forms.MultipleChoiceField(
        label=_("Sectors that may apply"),
        choices=SectorFamily.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every sector."),
    )
    eligible_size_classes = forms.MultipleChoiceField(
        label=_("Business sizes that may apply"),
        choices=SizeClass.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Leave empty for every size."),
    )
    eligible_provinces = forms.MultipleChoiceField(
        label=_("Provinces that may apply"),
        choices=(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Leave empty for all of Indonesia."),
    )

    class Meta:
        model = Offering
        fields = OFFERING_FIELDS
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "starts_on": DateInput(),
            "ends_on": DateInput(),
            "schedule": forms.TextInput(
                attrs={"placeholder": _("e.g. Saturdays 09.00-12.00, 4 weeks")}
            ),
            "contact_phone": forms.TextInput(attrs={"inputmode": "tel", "placeholder": "+62 812…"}),
            "capacity": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
            "per_shop": forms.NumberInput(attrs={"inputmode": "numeric", "min": 1}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provinces = [(p.code, p.name) for p in Province.objects.all()]
        eligible = self.fields["eligible_provinces"]
        assert isinstance(eligible, forms.MultipleChoiceField)
        eligible.choices = provinces
        province = self.data.get("province") or self.instance.province_id
        regency = self.fields["regency"]
        assert isinstance(regency, forms.ModelChoiceField)
        regency.queryset = Regency.objects.filter(province_id=province or "")
        self.fields["province"].widget.attrs.update(
            {"hx-get": "/places/regencies/", "hx-target": "#id_regency", "hx-trigger": "change"}
        )
        self.fields["capacity"].help_text = _(
            "How much you give in total, counted in the unit below (seats, hours, teams or rupiah)."
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") == Mode.ON_SITE and not data.get("province"):
            self.add_error(
                "province", _("An on-site offering needs the province where it is held.")
            )
        regency, province = data.get("regency"), data.get("province")
        if regency and province and regency.province_id != province.pk:
            self.add_error("regency", _("This regency is not in the chosen province."))
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The end date is before the start date."))
        capacity, per_shop = data.get("capacity"), data.get("per_shop")
        if capacity and per_shop and per_shop > capacity:
            self.add_error("per_shop", _("One shop cannot use more than the whole capacity."))
        return data

    def _post_clean(self) -> None:
        # The service writes the row; constraint checks that need the organisation run there.
        pass

    def values(self) -> dict[str, Any]:
        """Cleaned values as the offering services take them."""
        return {name: self.cleaned_data[name] for name in OFFERING_FIELDS}


class SessionForm(forms.ModelForm):
    class Meta:
        model = EngagementSession
        fields = [
            "kind",
            "title",
            "held_on",
            "hours",
            "attended",
            "attendees",
            "deliverable",
            "notes",
        ]
        widgets = {
            "held_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "hours": forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5", "min": 0}),
            "attendees": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
        }

    def _post_clean(self) -> None:
        pass


class MemberForm(forms.ModelForm):
    class Meta:
        model = EngagementMember
        fields = ["name", "role", "email", "study_programme"]

    def _post_clean(self) -> None:
        pass


class NotesForm(forms.Form):
    notes = forms.CharField(
        label=_("Notes"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


RATING_CHOICES = [(n, "★" * n) for n in range(5, 0, -1)]


class FeedbackForm(forms.Form):
    """Feedback and a 1-5 rating from one side at the end of an engagement."""

    rating = forms.TypedChoiceField(
        label=_("Rating"),
        choices=RATING_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose from one to five stars.")},
    )
    feedback = forms.CharField(
        label=_("Feedback"),
        required=False,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What went well, what could be better?"),
    )
