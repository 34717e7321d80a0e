"""Connecting a TikTok account: to TikTok's sign-in (Login Kit) and back."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.accounts.api import (
    MANAGING_ROLES,
    OrganisationKind,
    WorkspaceRequest,
    membership_required,
)
from sinergi.channels.connectors.base import ConnectorError
from sinergi.channels.services.accounts import AccountTaken
from sinergi.channels.services.tiktok_connect import (
    tiktok_authorize_url,
    tiktok_connect_complete,
    tiktok_enabled,
)
from sinergi.channels.views.signin_state import signin_state_issue, signin_state_returned

SHOP = (OrganisationKind.SHOP,)
_STATE_SESSION = "channels_tiktok_state"


def _callback_url() -> str:
    return f"{settings.BASE_URL}{reverse('channels:tiktok_callback')}"


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_POST
def tiktok_connect(request: WorkspaceRequest) -> HttpResponse:
    """Send the owner to TikTok's sign-in to allow Sinergi to post and read metrics."""
    if not tiktok_enabled():
        messages.error(
            request, _("This installation has no TikTok app yet; use the preview connections.")
        )
        return redirect("channels:accounts")
    state = signin_state_issue(request, _STATE_SESSION)
    return redirect(tiktok_authorize_url(redirect_uri=_callback_url(), state=state))


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_GET
def tiktok_callback(request: WorkspaceRequest) -> HttpResponse:
    """TikTok sends the browser back here with a code (or ``error`` and its description)."""
    if not signin_state_returned(request, _STATE_SESSION):
        messages.error(request, _("The sign-in with TikTok expired. Please connect again."))
        return redirect("channels:accounts")
    if "error" in request.GET or not request.GET.get("code"):
        messages.warning(
            request, _("Nothing was connected: the sign-in with TikTok was cancelled.")
        )
        return redirect("channels:accounts")
    try:
        account = tiktok_connect_complete(
            organisation=request.organisation,
            code=request.GET["code"],
            redirect_uri=_callback_url(),
        )
    except AccountTaken as error:
        messages.error(request, str(error))
    except ConnectorError as error:
        messages.error(request, _("TikTok refused the connection: %(reason)s") % {"reason": error})
    else:
        if account.can_act:
            messages.success(request, _("Connected: %(names)s.") % {"names": account})
        else:
            messages.warning(
                request,
                _("%(account)s is connected, but: %(reason)s %(action)s")
                % {
                    "account": account,
                    "reason": account.status_reason,
                    "action": account.status_action,
                },
            )
    return redirect("channels:accounts")
