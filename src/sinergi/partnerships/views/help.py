"""Shops' pages: ask for help, browse and apply to offerings, answer matches."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.partnerships import selectors_web as reads
from sinergi.partnerships.forms.requests import ApplicationForm, DeclineForm, HelpRequestForm
from sinergi.partnerships.models import Topic
from sinergi.partnerships.services import matches as match_services
from sinergi.partnerships.services import requests as request_services
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.views.access import SHOP_ACTORS, SHOPS
from sinergi.partnerships.views.display import offering_facts


def _can_ask(request: WorkspaceRequest) -> bool:
    return request.membership.role in SHOP_ACTORS


@membership_required(kinds=SHOPS)
@require_GET
def help_home(request: WorkspaceRequest) -> HttpResponse:
    shop = request.organisation
    matches = [m for m in reads.shop_matches(shop) if m.status in {"proposed", "waitlisted"}][:10]
    return render(
        request,
        "partnerships/help_home.html",
        {
            "requests": reads.shop_help_requests(shop)[:20],
            "matches": matches,
            "engagements": reads.shop_engagements(shop)[:10],
            "offerings": reads.offerings_for_shop(shop, limit=6),
            "applied": set(reads.shop_applications(shop).values_list("offering_id", flat=True)),
            "can_ask": _can_ask(request),
        },
    )


@membership_required(kinds=SHOPS, roles=SHOP_ACTORS)
@require_http_methods(["GET", "POST"])
def help_request_create(request: WorkspaceRequest) -> HttpResponse:
    form = HelpRequestForm(request.POST or None, initial={"topic": request.GET.get("topic", "")})
    if request.method == "POST" and form.is_valid():
        try:
            help_request = request_services.help_request_create(
                shop=request.organisation, created_by=request.user, **form.values()
            )
        except PartnershipsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(
                request,
                _("Thank you. Partners and programmes near you can now offer help."),
            )
            return redirect("partnerships:help_request_detail", pk=help_request.pk)
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": _("Ask for help"),
            "intro": _(
                "Say what you need. Trainings, students, mentors and grants that fit will be "
                "matched to you; you decide whether to accept."
            ),
            "submit_label": _("Send"),
            "back_url": "/help/",
        },
        status=400 if form.is_bound else 200,
    )


@membership_required(kinds=SHOPS)
@require_GET
def help_request_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    help_request = reads.shop_help_request(request.organisation, pk)
    return render(
        request,
        "partnerships/help_request_detail.html",
        {
            "help": help_request,
            "matches": reads.shop_matches(request.organisation, help_request=help_request),
            "can_ask": _can_ask(request),
        },
    )


@membership_required(kinds=SHOPS, roles=SHOP_ACTORS)
@require_POST
def help_request_close(request: WorkspaceRequest, pk: int) -> HttpResponse:
    help_request = reads.shop_help_request(request.organisation, pk)
    try:
        request_services.help_request_close(help_request=help_request)
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Request closed."))
    return redirect("partnerships:help_home")


@membership_required(kinds=SHOPS)
@require_GET
def offering_browse(request: WorkspaceRequest) -> HttpResponse:
    shop = request.organisation
    topic = request.GET.get("topic", "")
    if topic not in Topic.values:
        topic = ""
    return render(
        request,
        "partnerships/offering_browse.html",
        {
            "offerings": reads.offerings_for_shop(shop, topic=topic, limit=60),
            "topics": Topic.choices,
            "selected_topic": topic,
            "applied": set(reads.shop_applications(shop).values_list("offering_id", flat=True)),
        },
    )


def _offering_page(
    request: WorkspaceRequest, pk: int, form: ApplicationForm | None = None, status: int = 200
) -> HttpResponse:
    shop = request.organisation
    offering = reads.published_offering(pk)
    application = reads.shop_applications(shop).filter(offering=offering).first()
    return render(
        request,
        "partnerships/offering_public.html",
        {
            "offering": offering,
            "facts": offering_facts(offering),
            "fits": reads.offering_fits(offering, shop),
            "application": application,
            "form": form or ApplicationForm(),
            "can_ask": _can_ask(request),
        },
        status=status,
    )


@membership_required(kinds=SHOPS)
@require_GET
def offering_public(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _offering_page(request, pk)


@membership_required(kinds=SHOPS, roles=SHOP_ACTORS)
@require_POST
def offering_apply(request: WorkspaceRequest, pk: int) -> HttpResponse:
    offering = reads.published_offering(pk)
    form = ApplicationForm(request.POST)
    if form.is_valid():
        try:
            request_services.application_create(
                shop=request.organisation,
                offering=offering,
                created_by=request.user,
                note=form.cleaned_data["note"],
                preference_rank=form.cleaned_data["preference_rank"],
            )
        except PartnershipsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Application sent."))
            return redirect("partnerships:offering_public", pk=offering.pk)
    return _offering_page(request, pk, form, status=400)


@membership_required(kinds=SHOPS, roles=SHOP_ACTORS)
@require_POST
def application_withdraw(request: WorkspaceRequest, pk: int) -> HttpResponse:
    application = reads.shop_application(request.organisation, pk)
    try:
        request_services.application_withdraw(application=application)
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Application withdrawn."))
    return redirect("partnerships:offering_public", pk=application.offering_id)


@membership_required(kinds=SHOPS, roles=SHOP_ACTORS)
@require_POST
def match_accept(request: WorkspaceRequest, pk: int) -> HttpResponse:
    match = reads.shop_match(request.organisation, pk)
    try:
        match_services.match_accept(match=match, side="shop", user=request.user)
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Accepted. The partner will contact you."))
    return redirect("partnerships:help_home")


@membership_required(kinds=SHOPS, roles=SHOP_ACTORS)
@require_POST
def match_decline(request: WorkspaceRequest, pk: int) -> HttpResponse:
    match = reads.shop_match(request.organisation, pk)
    form = DeclineForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        match_services.match_decline(match=match, side="shop", user=request.user, reason=reason)
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Declined. The place goes to the next shop."))
    return redirect("partnerships:help_home")


@membership_required(kinds=SHOPS)
@require_GET
def shop_engagement_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/engagement_list.html",
        {"engagements": reads.shop_engagements(request.organisation), "side": "shop"},
    )
