"""Programme owners' pages (government agencies, universities): programmes and match runs."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.partnerships import selectors_web as reads
from sinergi.partnerships.forms.programmes import (
    ProgrammeForm,
    ProgrammeOfferingForm,
    ProgrammeStatusForm,
    RunForm,
)
from sinergi.partnerships.models import Programme, ProgrammeStatus
from sinergi.partnerships.services import programmes as services
from sinergi.partnerships.services import runs as match_services
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.views.access import (
    OFFERING_MANAGERS,
    PARTNERS,
    PROGRAMME_MANAGERS,
    PROGRAMME_OWNERS,
)
from sinergi.partnerships.views.display import run_stats


def _can_manage(request: WorkspaceRequest) -> bool:
    return request.membership.role in PROGRAMME_MANAGERS


@membership_required(kinds=PROGRAMME_OWNERS)
@require_GET
def programme_list(request: WorkspaceRequest) -> HttpResponse:
    return render(
        request,
        "partnerships/programme_list.html",
        {
            "programmes": reads.programmes_of(request.organisation),
            "can_manage": _can_manage(request),
        },
    )


def _form(request: WorkspaceRequest, programme: Programme | None) -> ProgrammeForm:
    return ProgrammeForm(request.POST or None, instance=programme)


def _form_page(request: WorkspaceRequest, form: ProgrammeForm, *, title: str) -> HttpResponse:
    return render(
        request,
        "partnerships/form_page.html",
        {
            "form": form,
            "title": title,
            "intro": _(
                "A programme groups offerings into a cohort. Shops apply in the window; you "
                "select them by running a match that respects the quotas."
            ),
            "submit_label": _("Save"),
            "back_url": "/programmes/",
        },
        status=400 if form.is_bound else 200,
    )


def _values(form: ProgrammeForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "name": data["name"],
        "description": data["description"],
        "quotas": data["quotas_text"],
        "applications_open_at": data["applications_open_at"],
        "applications_close_at": data["applications_close_at"],
    }


def _refused(form: ProgrammeForm, error: PartnershipsError) -> None:
    field = {"quotas": "quotas_text"}.get(error.field or "", error.field)
    form.add_error(field if field in form.fields else None, error.message)


@membership_required(kinds=PROGRAMME_OWNERS, roles=PROGRAMME_MANAGERS)
@require_http_methods(["GET", "POST"])
def programme_create(request: WorkspaceRequest) -> HttpResponse:
    form = _form(request, None)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_create(
                organisation=request.organisation, created_by=request.user, **_values(form)
            )
        except PartnershipsError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Programme created."))
            return redirect("partnerships:programme_detail", pk=programme.pk)
    return _form_page(request, form, title=_("New programme"))


@membership_required(kinds=PROGRAMME_OWNERS, roles=PROGRAMME_MANAGERS)
@require_http_methods(["GET", "POST"])
def programme_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    programme = reads.programme_of(request.organisation, pk)
    form = _form(request, programme)
    if request.method == "POST" and form.is_valid():
        try:
            services.programme_update(programme=programme, **_values(form))
        except PartnershipsError as error:
            _refused(form, error)
        else:
            messages.success(request, _("Programme saved."))
            return redirect("partnerships:programme_detail", pk=programme.pk)
    return _form_page(request, form, title=_("Edit programme"))


def _detail(
    request: WorkspaceRequest,
    programme: Programme,
    *,
    add_form: ProgrammeOfferingForm | None = None,
    status: int = 200,
) -> HttpResponse:
    offerings = reads.programme_offerings(programme)
    can_manage = _can_manage(request)
    return render(
        request,
        "partnerships/programme_detail.html",
        {
            "programme": programme,
            "quotas": reads.quota_rows(programme),
            "offerings": offerings,
            "runs": reads.programme_runs(programme)[:10],
            "participant_count": reads.programme_participant_count(programme),
            "run_form": RunForm(),
            "add_form": add_form
            or ProgrammeOfferingForm(offerings=reads.offerings_to_include(programme)),
            "can_manage": can_manage,
            "can_run": can_manage and programme.status in RUNNABLE,
            "next_statuses": NEXT_STATUS.get(programme.status, ()),
        },
        status=status,
    )


# The moves the programme page offers from each status.
NEXT_STATUS: dict[str, tuple[tuple[str, str | Promise], ...]] = {
    ProgrammeStatus.DRAFT: ((ProgrammeStatus.OPEN, _lazy("Open for applications")),),
    ProgrammeStatus.OPEN: ((ProgrammeStatus.RUNNING, _lazy("Start the programme")),),
    ProgrammeStatus.SELECTING: ((ProgrammeStatus.RUNNING, _lazy("Start the programme")),),
    ProgrammeStatus.RUNNING: ((ProgrammeStatus.CLOSED, _lazy("Close the programme")),),
}
RUNNABLE = frozenset({ProgrammeStatus.OPEN, ProgrammeStatus.SELECTING, ProgrammeStatus.RUNNING})


@membership_required(kinds=PROGRAMME_OWNERS)
@require_GET
def programme_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _detail(request, reads.programme_of(request.organisation, pk))


@membership_required(kinds=PROGRAMME_OWNERS, roles=PROGRAMME_MANAGERS)
@require_POST
def programme_offering_add(request: WorkspaceRequest, pk: int) -> HttpResponse:
    programme = reads.programme_of(request.organisation, pk)
    form = ProgrammeOfferingForm(request.POST, offerings=reads.offerings_to_include(programme))
    if form.is_valid():
        try:
            services.programme_offering_add(
                programme=programme, offering=form.cleaned_data["offering"]
            )
        except PartnershipsError as error:
            form.add_error("offering", error.message)
        else:
            messages.success(request, _("Offering added."))
            return redirect("partnerships:programme_detail", pk=programme.pk)
    return _detail(request, programme, add_form=form, status=400)


@membership_required(kinds=PROGRAMME_OWNERS, roles=PROGRAMME_MANAGERS)
@require_POST
def programme_offering_remove(request: WorkspaceRequest, pk: int, offering_pk: int) -> HttpResponse:
    programme = reads.programme_of(request.organisation, pk)
    offering = next((o for o in reads.programme_offerings(programme) if o.pk == offering_pk), None)
    if offering is None:
        raise Http404
    services.programme_offering_remove(programme=programme, offering=offering)
    messages.success(request, _("Offering removed from the programme."))
    return redirect("partnerships:programme_detail", pk=programme.pk)


@membership_required(kinds=PROGRAMME_OWNERS, roles=PROGRAMME_MANAGERS)
@require_POST
def programme_status(request: WorkspaceRequest, pk: int) -> HttpResponse:
    programme = reads.programme_of(request.organisation, pk)
    form = ProgrammeStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Unknown status."))
        return redirect("partnerships:programme_detail", pk=programme.pk)
    try:
        services.programme_status_set(programme=programme, status=form.cleaned_data["status"])
    except PartnershipsError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("The programme is now: %(status)s.") % {"status": programme.get_status_display()},
        )
    return redirect("partnerships:programme_detail", pk=programme.pk)


@membership_required(kinds=PROGRAMME_OWNERS)
@require_GET
def programme_participants(request: WorkspaceRequest, pk: int) -> HttpResponse:
    programme = reads.programme_of(request.organisation, pk)
    return render(
        request,
        "partnerships/participants.html",
        {"programme": programme, "participants": reads.programme_participants(programme)},
    )


@membership_required(kinds=PROGRAMME_OWNERS, roles=PROGRAMME_MANAGERS)
@require_POST
def programme_run(request: WorkspaceRequest, pk: int) -> HttpResponse:
    programme = reads.programme_of(request.organisation, pk)
    form = RunForm(request.POST)
    objective = form.cleaned_data["objective"] if form.is_valid() else "optimal"
    try:
        run = match_services.match_run_start(
            organisation=request.organisation,
            programme=programme,
            objective=objective,
            created_by=request.user,
        )
    except PartnershipsError as error:
        messages.error(request, error.message)
        return redirect("partnerships:programme_detail", pk=programme.pk)
    return redirect("partnerships:run_detail", pk=run.pk)


@membership_required(kinds=PARTNERS, roles=OFFERING_MANAGERS)
@require_POST
def run_create(request: WorkspaceRequest) -> HttpResponse:
    """A partner matches its own published offerings with the open needs that fit them."""
    try:
        run = match_services.match_run_start(
            organisation=request.organisation,
            programme=None,
            objective="optimal",
            created_by=request.user,
        )
    except PartnershipsError as error:
        messages.error(request, error.message)
        return redirect("partnerships:offering_list")
    return redirect("partnerships:run_detail", pk=run.pk)


@membership_required(kinds=PARTNERS)
@require_GET
def run_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    run = reads.run_of(request.organisation, pk)
    matches, waitlist = reads.run_matches(run) if run.is_finished else ([], [])
    stats, technical = run_stats(run)
    return render(
        request,
        "partnerships/run_detail.html",
        {
            "run": run,
            "stats": stats,
            "technical": technical,
            "matches": matches,
            "waitlist": waitlist,
        },
    )


@membership_required(kinds=PARTNERS)
@require_GET
def run_progress(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """The progress bar alone, polled by htmx until the run is finished."""
    run = reads.run_of(request.organisation, pk)
    return render(request, "partnerships/_run_progress.html", {"run": run})


@membership_required(kinds=PROGRAMME_OWNERS)
@require_GET
def programme_ledger(request: WorkspaceRequest, pk: int) -> HttpResponse:
    programme = reads.programme_of(request.organisation, pk)
    by = request.GET.get("by", "partner")
    return render(
        request,
        "partnerships/ledger.html",
        {
            "programme": programme,
            "ledger": reads.programme_ledger(programme, by=by),
            "by": by,
            "groupings": [
                (key, label) for key, (_col, label) in reads.GROUPINGS.items() if key != "programme"
            ],
        },
    )


@membership_required(kinds=PARTNERS)
@require_GET
def ledger(request: WorkspaceRequest) -> HttpResponse:
    by = request.GET.get("by", "programme")
    return render(
        request,
        "partnerships/ledger.html",
        {
            "ledger": reads.partner_ledger(request.organisation, by=by),
            "by": by,
            "groupings": [
                (key, label) for key, (_col, label) in reads.GROUPINGS.items() if key != "partner"
            ],
        },
    )
