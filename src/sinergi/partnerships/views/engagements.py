"""Engagements, seen by both sides: sessions, attendance, team, notes, feedback."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.partnerships import selectors_web as reads
from sinergi.partnerships.forms.offerings import FeedbackForm, MemberForm, NotesForm, SessionForm
from sinergi.partnerships.models import Engagement, EngagementStatus
from sinergi.partnerships.services import engagements as services
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.views.access import OFFERING_MANAGERS, PARTNERS, SHOP_ACTORS, SHOPS


def _page(
    request: WorkspaceRequest,
    engagement: Engagement,
    *,
    side: str,
    status: int = 200,
    **forms: Any,
) -> HttpResponse:
    sessions, members = reads.engagement_sessions(engagement)
    can_manage = request.membership.role in (
        OFFERING_MANAGERS if side == "partner" else SHOP_ACTORS
    )
    rated = engagement.partner_rating if side == "partner" else engagement.shop_rating
    feedback_open = can_manage and engagement.status != EngagementStatus.CANCELLED and not rated
    context: dict[str, Any] = {
        "engagement": engagement,
        "side": side,
        "sessions": sessions,
        "members": members,
        "total_hours": sum((s.hours for s in sessions), Decimal(0)),
        "attended_count": sum(1 for s in sessions if s.attended),
        "can_manage": can_manage,
        "feedback_form": forms.get("feedback_form") or (FeedbackForm() if feedback_open else None),
        "feedback_url": reverse(
            "partnerships:engagement_feedback"
            if side == "partner"
            else "partnerships:shop_engagement_feedback",
            kwargs={"pk": engagement.pk},
        ),
    }
    if side == "partner":
        context["session_form"] = forms.get("session_form") or SessionForm(
            initial={"held_on": timezone.localdate()}
        )
        context["member_form"] = forms.get("member_form") or MemberForm()
        context["notes_form"] = forms.get("notes_form") or NotesForm(
            initial={"notes": engagement.notes}
        )
    return render(request, "partnerships/engagement_detail.html", context, status=status)


def _refused(form: Any, error: PartnershipsError) -> None:
    form.add_error(error.field if error.field in form.fields else None, error.message)


# --- The partner's side ---------------------------------------------------------------------


@membership_required(kinds=PARTNERS)
@require_GET
def engagement_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/engagement_list.html",
        {"engagements": reads.partner_engagements(request.organisation), "side": "partner"},
    )


@membership_required(kinds=PARTNERS)
@require_GET
def engagement_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _page(request, reads.partner_engagement(request.organisation, pk), side="partner")


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def session_add(request: WorkspaceRequest, pk: int) -> HttpResponse:
    engagement = reads.partner_engagement(request.organisation, pk)
    form = SessionForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_session_add(
                engagement=engagement, recorded_by=request.user, **form.cleaned_data
            )
        except PartnershipsError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Logged."))
            return redirect("partnerships:engagement_detail", pk=engagement.pk)
    return _page(request, engagement, side="partner", status=400, session_form=form)


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def member_add(request: WorkspaceRequest, pk: int) -> HttpResponse:
    engagement = reads.partner_engagement(request.organisation, pk)
    form = MemberForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_member_add(engagement=engagement, **form.cleaned_data)
        except PartnershipsError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Added to the team."))
            return redirect("partnerships:engagement_detail", pk=engagement.pk)
    return _page(request, engagement, side="partner", status=400, member_form=form)


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def engagement_notes(request: WorkspaceRequest, pk: int) -> HttpResponse:
    engagement = reads.partner_engagement(request.organisation, pk)
    form = NotesForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_notes_update(engagement=engagement, **form.cleaned_data)
        except PartnershipsError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("partnerships:engagement_detail", pk=engagement.pk)
    return _page(request, engagement, side="partner", status=400, notes_form=form)


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def engagement_feedback(request: WorkspaceRequest, pk: int) -> HttpResponse:
    engagement = reads.partner_engagement(request.organisation, pk)
    return _feedback(request, engagement, side="partner")


def _feedback(request: WorkspaceRequest, engagement: Engagement, *, side: str) -> HttpResponse:
    form = FeedbackForm(request.POST)
    if form.is_valid():
        try:
            services.engagement_feedback_submit(
                engagement=engagement,
                side=side,
                rating=form.cleaned_data["rating"],
                feedback=form.cleaned_data["feedback"],
                by=request.user,
            )
        except PartnershipsError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Thank you for your feedback."))
            name = "engagement_detail" if side == "partner" else "shop_engagement_detail"
            return redirect(f"partnerships:{name}", pk=engagement.pk)
    return _page(request, engagement, side=side, status=400, feedback_form=form)


# --- The shop's side ------------------------------------------------------------------------


@membership_required(kinds=SHOPS)
@require_GET
def shop_engagement_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _page(request, reads.shop_engagement(request.organisation, pk), side="shop")


@membership_required(kinds=SHOPS, roles=SHOP_ACTORS)
@require_POST
def shop_engagement_feedback(request: WorkspaceRequest, pk: int) -> HttpResponse:
    engagement = reads.shop_engagement(request.organisation, pk)
    return _feedback(request, engagement, side="shop")
