"""The landing page and the workspace home of each kind of organisation."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from sinergi.accounts.api import OrganisationKind, WorkspaceRequest, membership_required
from sinergi.web.onboarding import next_steps


@require_GET
def landing(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect("web:workspace")
    return render(request, "web/landing.html")


@membership_required()
@require_GET
def workspace(request: WorkspaceRequest) -> HttpResponse:
    organisation = request.organisation
    templates: dict[str, str] = {
        OrganisationKind.SHOP: "web/workspace_shop.html",
        OrganisationKind.GOVERNMENT: "web/workspace_government.html",
    }
    template = templates.get(organisation.kind, "web/workspace_partner.html")
    return render(
        request,
        template,
        {
            "organisation": organisation,
            "steps": next_steps(request.membership),
        },
    )
