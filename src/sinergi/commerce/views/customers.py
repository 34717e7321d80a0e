"""The shop's customers: who they are, how often they buy, what they still owe."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from sinergi.accounts.api import WorkspaceRequest, membership_required
from sinergi.commerce import selectors_web
from sinergi.commerce.views import PAGE_SIZE, SHOP


@membership_required(kinds=SHOP)
@require_GET
def customer_list(request: WorkspaceRequest) -> HttpResponse:
    q = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors_web.customer_list(q=q), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "commerce/customer_list.html", {"page": page, "q": q})
