"""Forms shops fill in: asking for help, applying to an offering, declining a match."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from sinergi.partnerships.forms.offerings import DateInput
from sinergi.partnerships.models import HelpRequest, Language, Topic, Urgency


class HelpRequestForm(forms.ModelForm):
    topic = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=[("", _("Choose a topic")), *Topic.choices],
        error_messages={"required": _("Choose the topic you need help with.")},
    )
    urgency = forms.ChoiceField(
        label=_("How urgent is it?"),
        choices=Urgency.choices,
        initial=Urgency.MEDIUM,
        widget=forms.RadioSelect,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you can follow"),
        choices=Language.choices,
        initial=[Language.INDONESIAN],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = HelpRequest
        fields = ["topic", "urgency", "description", "languages", "needed_by"]
        labels = {"description": _("Describe it in a few sentences")}
        widgets = {
            "description": forms.Textarea(
                attrs={
                    "rows": 4,
                    "placeholder": _(
                        "e.g. We sell snacks on Instagram but few people order. "
                        "We want to learn to make good posts and reply faster."
                    ),
                }
            ),
            "needed_by": DateInput(),
        }

    def _post_clean(self) -> None:
        pass

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "topic": data["topic"],
            "urgency": data["urgency"],
            "description": data["description"],
            "languages": data.get("languages") or [],
            "needed_by": data.get("needed_by"),
        }


class ApplicationForm(forms.Form):
    note = forms.CharField(
        label=_("A note to the partner"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Optional: tell them what you hope to learn."),
    )
    preference_rank = forms.IntegerField(
        label=_("How much do you want this? (1 = first choice)"),
        required=False,
        min_value=1,
        max_value=20,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=300,
    )
