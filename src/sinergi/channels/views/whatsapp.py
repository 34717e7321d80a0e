"""Connecting WhatsApp Business numbers: to Meta's Embedded Signup and back, and registering a
number on the Cloud API with the owner's PIN."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import (
    MANAGING_ROLES,
    OrganisationKind,
    WorkspaceRequest,
    membership_required,
)
from sinergi.channels.connectors.base import ConnectorError
from sinergi.channels.forms import WhatsAppPinForm
from sinergi.channels.models import AccountStatus, ConnectedAccount, Platform
from sinergi.channels.services.accounts import AccountTaken
from sinergi.channels.services.oauth import ConnectFailed
from sinergi.channels.services.whatsapp_connect import (
    RegistrationRefused,
    whatsapp_configured,
    whatsapp_connect_complete,
    whatsapp_dialog_url,
    whatsapp_number_register,
)
from sinergi.channels.views.signin_state import signin_state_issue, signin_state_returned

SHOP = (OrganisationKind.SHOP,)
_STATE_SESSION = "channels_whatsapp_state"


def _callback_url() -> str:
    return f"{settings.BASE_URL}{reverse('channels:whatsapp_callback')}"


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_POST
def whatsapp_connect(request: WorkspaceRequest) -> HttpResponse:
    """Send the owner to Meta's Embedded Signup to share a WhatsApp Business number."""
    if not whatsapp_configured():
        messages.error(
            request,
            _("This installation has no WhatsApp sign-up yet; use the preview connections."),
        )
        return redirect("channels:accounts")
    state = signin_state_issue(request, _STATE_SESSION)
    return redirect(whatsapp_dialog_url(redirect_uri=_callback_url(), state=state))


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_GET
def whatsapp_callback(request: WorkspaceRequest) -> HttpResponse:
    """Meta sends the browser back here with a code (or the reason it did not)."""
    if not signin_state_returned(request, _STATE_SESSION):
        messages.error(request, _("The WhatsApp sign-up expired. Please connect again."))
        return redirect("channels:accounts")
    if "error" in request.GET or not request.GET.get("code"):
        messages.warning(request, _("Nothing was connected: the WhatsApp sign-up was cancelled."))
        return redirect("channels:accounts")
    try:
        connected = whatsapp_connect_complete(
            organisation=request.organisation,
            code=request.GET["code"],
            redirect_uri=_callback_url(),
        )
    except (ConnectFailed, AccountTaken) as error:
        messages.error(request, str(error))
        return redirect("channels:accounts")
    except ConnectorError as error:
        messages.error(request, _("Meta refused the connection: %(reason)s") % {"reason": error})
        return redirect("channels:accounts")
    waiting = [a for a in connected if a.status == AccountStatus.NEEDS_REGISTRATION]
    messages.success(
        request,
        ngettext(
            "Connected %(count)d WhatsApp number: %(names)s.",
            "Connected %(count)d WhatsApp numbers: %(names)s.",
            len(connected),
        )
        % {"count": len(connected), "names": ", ".join(a.name for a in connected)},
    )
    if len(waiting) == 1:
        return redirect("channels:whatsapp_register", pk=waiting[0].pk)
    return redirect("channels:accounts")


@membership_required(kinds=SHOP, roles=MANAGING_ROLES)
@require_http_methods(["GET", "POST"])
def whatsapp_register(request: WorkspaceRequest, pk: int) -> HttpResponse:
    """The owner chooses the number's 6-digit PIN; Sinergi registers it on the Cloud API."""
    account = get_object_or_404(ConnectedAccount, pk=pk, platform=Platform.WHATSAPP)
    if account.is_preview:
        raise Http404
    form = WhatsAppPinForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            whatsapp_number_register(account=account, pin=form.cleaned_data["pin"])
        except RegistrationRefused as error:
            form.add_error("pin", str(error))
        else:
            messages.success(
                request,
                _("%(name)s is registered: customers' messages now reach the inbox.")
                % {"name": account.name},
            )
            return redirect("channels:accounts")
    return render(
        request,
        "channels/whatsapp_register.html",
        {"form": form, "account": account},
        status=400 if form.errors else 200,
    )
