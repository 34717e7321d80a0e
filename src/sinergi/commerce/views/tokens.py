"""The API tokens page: the owner creates tokens for the shop's programs and revokes them."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.commerce.models import ApiToken
from sinergi.commerce.tokens import TokenRefused, api_token_create, api_token_revoke
from sinergi.commerce.views import MANAGERS, SHOP


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=80,
        help_text=gettext_lazy('Which program will use it, e.g. "Stock sync laptop".'),
    )


@never_cache
@membership_required(kinds=SHOP, roles=MANAGERS)
@require_http_methods(["GET", "POST"])
def token_list(request: WorkspaceRequest) -> HttpResponse:
    form = TokenForm(request.POST or None)
    secret = None
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                _token, secret = api_token_create(
                    organisation=request.organisation,
                    name=form.cleaned_data["name"],
                    created_by=request.user,
                )
            except TokenRefused as error:
                form.add_error("name", str(error))
            else:
                form = TokenForm()
        if form.errors:
            status = 400
    # The secret is rendered in this one response and never again (it is not stored).
    return render(
        request,
        "commerce/tokens/token_list.html",
        {
            "form": form,
            "secret": secret,
            "tokens": ApiToken.objects.select_related("created_by"),
        },
        status=status,
    )


@membership_required(kinds=SHOP, roles=MANAGERS)
@require_POST
def token_revoke(request: WorkspaceRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk)
    api_token_revoke(organisation=request.organisation, token=token)
    messages.success(request, _("Token %(name)s no longer works.") % {"name": token.name})
    return redirect("commerce:token_list")
