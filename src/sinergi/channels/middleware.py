"""Remembering which post's link brought a visitor to the storefront.

A post's storefront link carries ``utm_campaign=post-<id>`` (see ``posts.storefront_link``).
The storefront belongs to commerce, which knows nothing of posts; this middleware notes the
campaign in the visitor's session on any storefront page, and the receiver in
``channels.receivers`` attributes the order the visitor places later.

It touches the session only when the query names a post: a storefront visit without one
reads and writes no session, so a cached storefront page still costs no database query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

from sinergi.channels.services.attribution import CAMPAIGN, campaign_remember

STOREFRONT_VIEWS = "commerce:storefront_"


class PostCampaignMiddleware:
    """Keep ``utm_campaign=post-<id>`` of a storefront landing in the visitor's session."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> None:
        if request.method != "GET" or not CAMPAIGN.match(request.GET.get("utm_campaign", "")):
            return
        match = request.resolver_match
        if match is None or not match.view_name.startswith(STOREFRONT_VIEWS):
            return
        campaign_remember(request.session, request.GET)
