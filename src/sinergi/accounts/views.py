"""Pages for an organisation's profile and team, and for joining one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts import selectors, services
from sinergi.accounts.forms import InvitationForm, OrganisationForm
from sinergi.accounts.middleware import SESSION_KEY
from sinergi.accounts.models import MANAGING_ROLES, Invitation, Membership
from sinergi.accounts.permissions import WorkspaceRequest, membership_required
from sinergi.accounts.sectors import sector_label
from sinergi.core.models import Regency


@login_required
@require_http_methods(["GET", "POST"])
def organisation_create(request: WorkspaceRequest) -> HttpResponse:
    form = OrganisationForm(request.POST or None, initial={"kind": "shop"})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        organisation = services.organisation_create(
            creator=request.user,
            name=data.pop("name"),
            kind=data.pop("kind"),
            **data,
        )
        request.session[SESSION_KEY] = organisation.memberships.get(user=request.user).pk
        messages.success(request, _("%(name)s is ready.") % {"name": organisation.name})
        return redirect("web:workspace")
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": True})


@login_required
@require_POST
def membership_switch(request: WorkspaceRequest) -> HttpResponse:
    wanted = request.POST.get("membership", "")
    membership = next(
        (m for m in request.memberships if str(m.pk) == wanted),
        None,
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = membership.pk
    return redirect("web:workspace")


@membership_required()
@require_GET
def organisation_profile(request: WorkspaceRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "accounts/organisation_profile.html",
        {
            "organisation": organisation,
            "sector": sector_label(organisation.kbli_code) if organisation.kbli_code else "",
        },
    )


@membership_required(roles=MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def organisation_edit(request: WorkspaceRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        services.organisation_profile_update(
            organisation=organisation,
            **{name: form.cleaned_data[name] for name in form.changed_data},
        )
        messages.success(request, _("Profile saved."))
        return redirect("accounts:organisation_profile")
    return render(request, "accounts/organisation_form.html", {"form": form, "creating": False})


@membership_required()
@require_GET
def team(request: WorkspaceRequest) -> HttpResponse:
    organisation = request.organisation
    return render(
        request,
        "accounts/team.html",
        {
            "members": selectors.team_of(organisation),
            "invitations": selectors.open_invitations_of(organisation),
            "form": InvitationForm(kind=organisation.kind),
        },
    )


@membership_required(roles=MANAGING_ROLES)
@require_POST
def invitation_create(request: WorkspaceRequest) -> HttpResponse:
    organisation = request.organisation
    form = InvitationForm(request.POST, kind=organisation.kind)
    if form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation,
                invited_by=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except services.AccountsError as error:
            form.add_error("email", str(error))
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % form.cleaned_data)
            return redirect("accounts:team")
    return render(
        request,
        "accounts/team.html",
        {
            "members": selectors.team_of(organisation),
            "invitations": selectors.open_invitations_of(organisation),
            "form": form,
        },
        status=400,
    )


@membership_required(roles=MANAGING_ROLES)
@require_POST
def invitation_revoke(request: WorkspaceRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(Invitation.objects, pk=pk)
    try:
        services.invitation_revoke(invitation=invitation)
    except services.AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("accounts:team")


@membership_required(roles=MANAGING_ROLES)
@require_POST
def membership_remove(request: WorkspaceRequest, pk: int) -> HttpResponse:
    membership = get_object_or_404(
        Membership,
        pk=pk,
        organisation=request.organisation,
    )
    try:
        services.membership_remove(membership=membership, removed_by=request.user)
    except services.AccountsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("%(name)s was removed from the team.") % {"name": membership.user}
        )
    return redirect("accounts:team")


@require_http_methods(["GET", "POST"])
def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_from_token(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=404)
    if request.method == "POST" and request.user.is_authenticated:
        try:
            membership = services.invitation_accept(
                invitation=invitation,
                user=request.user,
            )
        except services.AccountsError as error:
            messages.error(request, str(error))
        else:
            request.session[SESSION_KEY] = membership.pk
            messages.success(
                request, _("Welcome to %(name)s.") % {"name": invitation.organisation.name}
            )
            return redirect("web:workspace")
    return render(request, "accounts/invitation_accept.html", {"invitation": invitation})


@login_required
@require_GET
def regency_options(request: WorkspaceRequest) -> HttpResponse:
    """The <option>s of a province's regencies, for the profile form."""
    regencies = Regency.objects.filter(province_id=request.GET.get("province", ""))
    return render(request, "accounts/regency_options.html", {"regencies": regencies})
