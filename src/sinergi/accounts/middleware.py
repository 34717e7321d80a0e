"""Puts the signed-in person's active organisation on the request and in the tenant context."""

from collections.abc import Callable
from contextlib import ExitStack

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from sinergi.accounts.selectors import memberships_of
from sinergi.core.tenancy import across_tenants, tenant_context

SESSION_KEY = "sinergi_membership_id"
# Paths a partner without 2FA may still open: sign-in, 2FA set-up, static files, language.
_MFA_EXEMPT_PREFIXES = ("/accounts/", "/static/", "/i18n/", "/media/")


class ActiveMembershipMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.membership = None  # type: ignore[attr-defined]
        request.organisation = None  # type: ignore[attr-defined]
        request.memberships = []  # type: ignore[attr-defined]
        user = request.user
        with ExitStack() as stack:
            if user.is_superuser and request.path.startswith("/admin/"):
                stack.enter_context(across_tenants(reason="platform operator in the admin"))
            elif user.is_authenticated:
                memberships = list(memberships_of(user))
                wanted = request.session.get(SESSION_KEY)
                active = next((m for m in memberships if m.pk == wanted), None) or (
                    memberships[0] if memberships else None
                )
                request.memberships = memberships  # type: ignore[attr-defined]
                if active is not None:
                    request.membership = active  # type: ignore[attr-defined]
                    request.organisation = active.organisation  # type: ignore[attr-defined]
                    stack.enter_context(tenant_context(active.organisation_id))
                    if response := self._require_mfa(request):
                        return response
            return self.get_response(request)

    @staticmethod
    def _require_mfa(request: HttpRequest) -> HttpResponse | None:
        """Partner and government staff must turn on 2FA before they see anything else."""
        if not settings.SINERGI_REQUIRE_PARTNER_MFA:
            return None
        if not request.organisation.is_partner:  # type: ignore[attr-defined]
            return None
        if request.path.startswith(_MFA_EXEMPT_PREFIXES):
            return None
        from allauth.mfa.utils import is_mfa_enabled  # noqa: PLC0415  (app registry is ready)

        if is_mfa_enabled(request.user):
            return None
        messages.warning(
            request,
            _(
                "Partner and government accounts must use two-factor sign-in. "
                "Set up an authenticator app to continue."
            ),
        )
        return redirect("mfa_activate_totp")
