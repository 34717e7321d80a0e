"""Connected accounts: their state, what to do when a platform stops accepting them."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sinergi.accounts.api import (
    MANAGING_ROLES,
    OrganisationKind,
    WorkspaceRequest,
    membership_required,
)
from sinergi.channels import selectors
from sinergi.channels.connectors.base import ConnectorError
from sinergi.channels.models import ConnectedAccount, Platform
from sinergi.channels.services.accounts import AccountTaken, account_connect
from sinergi.channels.services.accounts import account_disconnect as disconnect
from sinergi.channels.services.oauth import ConnectFailed, meta_connect_complete, meta_dialog_url
from sinergi.channels.services.tiktok_connect import tiktok_enabled
from sinergi.channels.services.whatsapp_connect import whatsapp_configured
from sinergi.channels.views.signin_state import signin_state_issue, signin_state_returned

SHOP = (OrganisationKind.SHOP,)


@membership_required(kinds=SHOP)
@require_GET
def account_list(request: WorkspaceRequest) -> HttpResponse:
    followers = selectors.followers_latest()
    return render(
        request,
        "channels/accounts.html",
        {
            "rows": [(a, followers.get(a.pk)) for a in selectors.accounts_list()],
            "can_manage": request.membership.role in MANAGING_ROLES,
            "tiktok_enabled": tiktok_enabled(),
            "whatsapp_enabled": whatsapp_configured(),
        },
    )


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_POST
def preview_connect(request: WorkspaceRequest) -> HttpResponse:
    """Connect the built-in preview of every platform: nothing is sent anywhere."""
    organisation = request.organisation
    for platform in Platform.values:
        account_connect(
            organisation=organisation,
            platform=platform,
            name=f"{organisation.name} ({_('preview')})",
            external_id=f"preview-{organisation.pk}-{platform}",
            access_token="preview",  # noqa: S106  (the preview sends nothing)
            is_preview=True,
            phone_number=organisation.phone if platform == Platform.WHATSAPP else "",
        )
    messages.success(
        request, _("Preview connections are ready: posts and replies are recorded, not sent.")
    )
    return redirect("channels:accounts")


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_POST
def account_disconnect(request: WorkspaceRequest, pk: int) -> HttpResponse:
    account = get_object_or_404(ConnectedAccount, pk=pk)
    disconnect(account=account)
    messages.success(request, _("%(account)s is disconnected.") % {"account": account})
    return redirect("channels:accounts")


_STATE_SESSION = "channels_meta_state"


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_POST
def meta_connect(request: WorkspaceRequest) -> HttpResponse:
    """Send the owner to Meta's sign-in to choose the Pages (and Instagram accounts)."""
    if not settings.SINERGI_META_APP_ID:
        messages.error(
            request, _("This installation has no Meta app yet; use the preview connections.")
        )
        return redirect("channels:accounts")
    state = signin_state_issue(request, _STATE_SESSION)
    return redirect(meta_dialog_url(redirect_uri=_callback_url(), state=state))


def _callback_url() -> str:
    return f"{settings.BASE_URL}{reverse('channels:meta_callback')}"


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_GET
def meta_callback(request: WorkspaceRequest) -> HttpResponse:
    """Meta sends the browser back here with a code (or the reason it did not)."""
    if not signin_state_returned(request, _STATE_SESSION):
        messages.error(request, _("The sign-in with Meta expired. Please connect again."))
        return redirect("channels:accounts")
    if "error" in request.GET or not request.GET.get("code"):
        messages.warning(request, _("Nothing was connected: the sign-in with Meta was cancelled."))
        return redirect("channels:accounts")
    try:
        connected = meta_connect_complete(
            organisation=request.organisation,
            code=request.GET["code"],
            redirect_uri=_callback_url(),
        )
    except (ConnectFailed, AccountTaken) as error:
        messages.error(request, str(error))
    except ConnectorError as error:
        messages.error(request, _("Meta refused the connection: %(reason)s") % {"reason": error})
    else:
        names = ", ".join(str(a) for a in connected)
        messages.success(request, _("Connected: %(names)s.") % {"names": names})
    return redirect("channels:accounts")
