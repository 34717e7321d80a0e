"""The insights pages: overview, sales, products, channels, customers, basket, restock."""

from __future__ import annotations

import zoneinfo
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext
from django.views.decorators.http import require_GET

from sinergi.accounts.api import (
    MANAGING_ROLES,
    OrganisationKind,
    WorkspaceRequest,
    membership_required,
)
from sinergi.core.models import TimeZoneBand
from sinergi.core.money import format_rupiah
from sinergi.insights import narrative
from sinergi.insights.charts import bar_chart, bucket_label, line_chart
from sinergi.insights.contacts import MEMBERS_SHOWN, members_named
from sinergi.insights.engine import Filters, shop_time_zone
from sinergi.insights.engine.sales import bucket_start
from sinergi.insights.forecast import COVER_DAYS, LEAD_TIME_DAYS
from sinergi.insights.forms import channel_choices, filters_from
from sinergi.insights.seasons import seasons_between
from sinergi.insights.segments import ADVICE, whatsapp_link
from sinergi.insights.selectors import insights_page
from sinergi.insights.tables import TABLES

SHOP = (OrganisationKind.SHOP,)

TABS = (
    ("overview", gettext_lazy("Overview")),
    ("sales", gettext_lazy("Sales")),
    ("products", gettext_lazy("Products")),
    ("channels", gettext_lazy("Channels")),
    ("customers", gettext_lazy("Customers")),
    ("basket", gettext_lazy("Bought together")),
    ("restock", gettext_lazy("Restock")),
)
# Customers' names and phone numbers are for the owner only.
PERSONAL_PAGES = frozenset({"customers"})


def shop_today(organisation_id: int) -> Any:
    zone = zoneinfo.ZoneInfo(shop_time_zone(organisation_id))
    return timezone.now().astimezone(zone).date()


def _zone_label(zone: str) -> str:
    try:
        return str(TimeZoneBand(zone).label)
    except ValueError:
        return zone


def _base_context(request: WorkspaceRequest, page: str) -> tuple[dict[str, Any], Filters, str]:
    organisation = request.organisation
    today = shop_today(organisation.pk)
    form, filters, grain = filters_from(request.GET, today=today)
    data = insights_page(organisation_id=organisation.pk, page=page, filters=filters, grain=grain)
    query = urlencode(
        {
            "start": filters.start.isoformat(),
            "end": filters.end.isoformat(),
            "channel": filters.channel,
            "grain": grain,
        }
    )
    is_owner = request.membership.role in MANAGING_ROLES
    context: dict[str, Any] = {
        "page": page,
        "tabs": [
            {"name": name, "label": label, "current": name == page}
            for name, label in TABS
            if is_owner or name not in PERSONAL_PAGES
        ],
        "form": form,
        "filters": filters,
        "grain": grain,
        "query": query,
        "data": data,
        "organisation": organisation,
        "time_zone": _zone_label(data.get("time_zone") or ""),
        "channel_labels": dict(channel_choices()),
        "exports": [
            {"name": name, "title": table.title}
            for name, table in TABLES.items()
            if table.page == page and (is_owner or not table.personal)
        ],
    }
    return context, filters, grain


def _render(request: WorkspaceRequest, page: str, build: Any = None) -> HttpResponse:
    context, filters, grain = _base_context(request, page)
    if context["data"].get("has_orders") and build is not None:
        context.update(build(context["data"], filters, grain, context))
    return render(request, f"insights/{page}.html", context)


def _sales_chart(data: dict[str, Any], filters: Filters, grain: str) -> Any:
    series = data["series"]
    labels = [bucket_label(row["bucket"], grain) for row in series]
    starts = [row["bucket"] for row in series]
    bands = []
    for season in seasons_between(filters.start, filters.end):
        first = bucket_start(max(season.start, filters.start), grain)
        last = bucket_start(min(season.end, filters.end), grain)
        if first in starts and last in starts:
            label = _("Ramadan") if season.kind == "ramadan" else _("Lebaran")
            bands.append((starts.index(first), starts.index(last), season.kind, label))
    return bar_chart(
        _("Revenue per %(grain)s") % {"grain": _(grain)},
        labels,
        [row["revenue"] for row in series],
        tooltips=[
            f"{row['bucket'].isoformat()}: {format_rupiah(row['revenue'])}, "
            + ngettext("%(orders)d order", "%(orders)d orders", row["orders"])
            % {"orders": row["orders"]}
            for row in series
        ],
        overlay=[row.get("revenue_last_year") for row in series],
        overlay_label=_("Same period last year"),
        bands=bands,
    )


@membership_required(kinds=SHOP)
@require_GET
def overview(request: WorkspaceRequest) -> HttpResponse:
    def build(data: dict[str, Any], filters: Filters, grain: str, ctx: dict[str, Any]) -> Any:
        labels = ctx["channel_labels"]
        return {
            "chart": _sales_chart(data, filters, grain),
            "sentences": narrative.sales_sentences(data, filters.days),
            "channels_sentence": narrative.channels_sentence(data["channel_mix"], labels),
            "customers_sentence": narrative.customers_sentence(data["customers"]),
            "restock_sentence": narrative.restock_sentence(data["restock"], COVER_DAYS),
        }

    return _render(request, "overview", build)


@membership_required(kinds=SHOP)
@require_GET
def sales(request: WorkspaceRequest) -> HttpResponse:
    def build(data: dict[str, Any], filters: Filters, grain: str, ctx: dict[str, Any]) -> Any:
        aov = bar_chart(
            _("Average order value per %(grain)s") % {"grain": _(grain)},
            [bucket_label(row["bucket"], grain) for row in data["series"]],
            [row["aov"] for row in data["series"]],
            tooltips=[
                f"{row['bucket'].isoformat()}: {format_rupiah(row['aov'])}"
                for row in data["series"]
            ],
        )
        return {
            "chart": _sales_chart(data, filters, grain),
            "aov_chart": aov,
            "sentences": narrative.sales_sentences(data, filters.days),
            "periods": [
                (_("This period"), data["current"]),
                (_("Previous period"), data["previous"]),
                (_("Same days last year"), data["last_year"]),
            ],
        }

    return _render(request, "sales", build)


@membership_required(kinds=SHOP)
@require_GET
def products(request: WorkspaceRequest) -> HttpResponse:
    def build(data: dict[str, Any], filters: Filters, grain: str, ctx: dict[str, Any]) -> Any:
        return {"sentence": narrative.products_sentence(data["products"], data["abc"])}

    return _render(request, "products", build)


@membership_required(kinds=SHOP)
@require_GET
def channels(request: WorkspaceRequest) -> HttpResponse:
    def build(data: dict[str, Any], filters: Filters, grain: str, ctx: dict[str, Any]) -> Any:
        labels = ctx["channel_labels"]
        for row in data["mix"]:
            row["label"] = labels.get(row["channel"], row["channel"])
        trend_grain = data["grain"]
        chart = line_chart(
            _("Revenue per channel per %(grain)s") % {"grain": _(trend_grain)},
            [bucket_label(bucket, trend_grain) for bucket in data["buckets"]],
            {labels.get(name, name): values for name, values in data["trend"].items()},
        )
        return {"chart": chart, "sentence": narrative.channels_sentence(data["mix"], labels)}

    return _render(request, "channels", build)


@membership_required(kinds=SHOP)
@require_GET
def customers(request: WorkspaceRequest) -> HttpResponse:
    if request.membership.role not in MANAGING_ROLES:
        raise PermissionDenied

    def build(data: dict[str, Any], filters: Filters, grain: str, ctx: dict[str, Any]) -> Any:
        shop = request.organisation.name
        # Names and phones are encrypted: only the members the page lists are read and named.
        in_segment: dict[str, list[dict[str, Any]]] = {}
        for member in data["members"]:
            in_segment.setdefault(member["segment"], []).append(member)
        shown = members_named([m for found in in_segment.values() for m in found[:MEMBERS_SHOWN]])
        named = {member["customer_key"]: member for member in shown}
        groups = []
        for segment in data["segments"]:
            advice = ADVICE[segment["segment"]]
            members = []
            for row in in_segment.get(segment["segment"], []):
                if row["customer_key"] not in named:
                    members.append(row)  # beyond the list shown: counted, not named
                    continue
                member = named[row["customer_key"]]
                # How a shop addresses a customer: "Kak Sari" by name, plain "Kak" without one.
                name = (
                    pgettext("addressing a customer by name", "%(name)s") % {"name": member["name"]}
                    if member["name"]
                    else pgettext("addressing a customer whose name is unknown", "there")
                )
                text = str(advice.message) % {"name": name, "shop": shop}
                members.append({**member, "whatsapp": whatsapp_link(member["phone"] or "", text)})
            groups.append({**segment, "advice": advice, "members": members})
        return {"groups": groups, "sentence": narrative.customers_sentence(data)}

    return _render(request, "customers", build)


@membership_required(kinds=SHOP)
@require_GET
def basket(request: WorkspaceRequest) -> HttpResponse:
    def build(data: dict[str, Any], filters: Filters, grain: str, ctx: dict[str, Any]) -> Any:
        return {"sentence": narrative.basket_sentence(data["pairs"])}

    return _render(request, "basket", build)


@membership_required(kinds=SHOP)
@require_GET
def restock(request: WorkspaceRequest) -> HttpResponse:
    def build(data: dict[str, Any], filters: Filters, grain: str, ctx: dict[str, Any]) -> Any:
        return {
            "sentence": narrative.restock_sentence(data["restock"], COVER_DAYS),
            "lead_time": LEAD_TIME_DAYS,
            "cover": COVER_DAYS,
        }

    return _render(request, "restock", build)
