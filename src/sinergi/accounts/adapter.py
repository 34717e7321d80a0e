from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest
from django.urls import reverse


class AccountAdapter(DefaultAccountAdapter):
    """Sends people who have no organisation yet to create one."""

    def get_login_redirect_url(self, request: HttpRequest) -> str:
        if not request.user.memberships.exists():  # type: ignore[union-attr]
            return reverse("accounts:organisation_create")
        return super().get_login_redirect_url(request)

    def get_signup_redirect_url(self, request: HttpRequest) -> str:
        return reverse("accounts:organisation_create")
