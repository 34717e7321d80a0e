"""The filter every insights page shares: a date range, a channel, a time grain."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django import forms
from django.apps import apps
from django.utils.translation import gettext_lazy as _

from sinergi.insights.engine import Filters

MAX_DAYS = 3 * 366


def channel_choices() -> list[tuple[str, str]]:
    """The commerce channels (storefront, WhatsApp, marketplaces…) with their labels."""
    field = apps.get_model("commerce", "Order")._meta.get_field("channel")
    return [(str(value), str(label)) for value, label in field.choices or []]


class FilterForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Channel"), required=False)
    grain = forms.ChoiceField(
        label=_("Per"),
        required=False,
        choices=[("day", _("day")), ("week", _("week")), ("month", _("month"))],
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        channel = self.fields["channel"]
        assert isinstance(channel, forms.ChoiceField)
        channel.choices = [("", _("All channels")), *channel_choices()]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end:
            if start > end:
                self.add_error("end", _("The end date must be on or after the start date."))
            elif (end - start).days + 1 > MAX_DAYS:
                self.add_error("start", _("Choose at most three years."))
        return data


def filters_from(params: Any, *, today: date) -> tuple[FilterForm, Filters, str]:
    """The filter form bound to the query string, and the filters to use: the last 30 days
    when nothing (or something invalid) was asked for."""
    default_start = today - timedelta(days=29)
    given = {
        "start": params.get("start") or default_start.isoformat(),
        "end": params.get("end") or today.isoformat(),
        "channel": params.get("channel", ""),
        "grain": params.get("grain") or "",
    }
    form = FilterForm(given, today=today)
    if form.is_valid():
        data = form.cleaned_data
        span = (data["end"] - data["start"]).days + 1
        grain = data["grain"] or ("day" if span <= 45 else "week" if span <= 200 else "month")
        return form, Filters(data["start"], data["end"], data["channel"] or ""), grain
    return form, Filters(default_start, today), "day"
