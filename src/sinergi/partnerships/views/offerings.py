"""Partners' pages: their offerings, the applications and matches to them."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.partnerships import selectors_web as reads
from sinergi.partnerships.forms.offerings import OFFERING_FIELDS, OfferingForm
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.services.matches import match_accept, match_decline
from sinergi.partnerships.services.offerings import (
    offering_close,
    offering_create,
    offering_publish,
    offering_update,
)
from sinergi.partnerships.views.access import OFFERING_MANAGERS, PARTNERS, PROGRAMME_OWNERS
from sinergi.partnerships.views.display import offering_facts


def _can_manage(request: WorkspaceRequest) -> bool:
    return request.membership.role in OFFERING_MANAGERS


@membership_required(kinds=PARTNERS)
@require_GET
def offering_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/offering_list.html",
        {
            "offerings": reads.partner_offerings(request.organisation),
            "can_manage": _can_manage(request),
            "can_run_programmes": request.organisation.kind in PROGRAMME_OWNERS,
        },
    )


def _form_page(
    request: WorkspaceRequest,
    form: OfferingForm,
    *,
    title: str,
    status: int = 200,
    back_url: str = "",
) -> HttpResponse:
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": title,
            "intro": _(
                "Describe what you offer to small shops. It stays a draft, visible only to your "
                "team, until you publish it."
            ),
            "submit_label": _("Save draft"),
            "back_url": back_url,
        },
        status=status,
    )


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_http_methods(["GET", "POST"])
def offering_create_view(request: WorkspaceRequest) -> HttpResponse:
    organisation = request.organisation
    form = OfferingForm(
        request.POST or None,
        initial={
            "contact_email": organisation.email or request.user.email,
            "contact_phone": organisation.phone,
            "contact_name": request.user.get_full_name(),
            "province": organisation.province_id,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            offering = offering_create(
                organisation=organisation, created_by=request.user, **form.values()
            )
        except PartnershipsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Draft saved. Check it, then publish it."))
            return redirect("partnerships:offering_detail", pk=offering.pk)
    return _form_page(
        request,
        form,
        title=_("New offering"),
        status=400 if form.is_bound else 200,
        back_url="/offerings/",
    )


@membership_required(kinds=PARTNERS)
@require_GET
def offering_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    offering = reads.partner_offering(request.organisation, pk)
    return render(
        request,
        "partnerships/offering_detail.html",
        {
            "offering": offering,
            "facts": offering_facts(offering),
            "applications": reads.applications_to(offering),
            "matches": reads.matches_to(offering),
            "can_manage": _can_manage(request),
        },
    )


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_http_methods(["GET", "POST"])
def offering_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    offering = reads.partner_offering(request.organisation, pk)
    form = OfferingForm(request.POST or None, instance=offering)
    if request.method == "POST" and form.is_valid():
        changed = {
            name: form.cleaned_data[name] for name in form.changed_data if name in OFFERING_FIELDS
        }
        try:
            offering_update(offering=offering, **changed)
        except PartnershipsError as error:
            form.add_error(error.field if error.field in form.fields else None, error.message)
        else:
            messages.success(request, _("Offering saved."))
            return redirect("partnerships:offering_detail", pk=offering.pk)
    return _form_page(
        request,
        form,
        title=_("Edit offering"),
        status=400 if form.is_bound else 200,
        back_url=f"/offerings/{offering.pk}/",
    )


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def offering_publish_view(request: WorkspaceRequest, pk: int) -> HttpResponse:
    offering = reads.partner_offering(request.organisation, pk)
    try:
        offering_publish(offering=offering)
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Published: shops that fit can now find and apply to it."))
    return redirect("partnerships:offering_detail", pk=offering.pk)


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def offering_close_view(request: WorkspaceRequest, pk: int) -> HttpResponse:
    offering = reads.partner_offering(request.organisation, pk)
    try:
        offering_close(offering=offering)
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Closed: no new applications or matches."))
    return redirect("partnerships:offering_detail", pk=offering.pk)


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def match_partner_accept(request: WorkspaceRequest, pk: int) -> HttpResponse:
    match = reads.partner_match(request.organisation, pk)
    try:
        match_accept(match=match, side="partner", user=request.user)
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Accepted. The shop is asked to confirm."))
    return redirect("partnerships:offering_detail", pk=match.offering_id)


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def match_partner_decline(request: WorkspaceRequest, pk: int) -> HttpResponse:
    match = reads.partner_match(request.organisation, pk)
    try:
        match_decline(
            match=match, side="partner", user=request.user, reason=request.POST.get("reason", "")
        )
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Declined. The place stays free for the next run."))
    return redirect("partnerships:offering_detail", pk=match.offering_id)
