"""``{% posts_awaiting_count %}``: how many posts wait for the signed-in owner's approval."""

from __future__ import annotations

from typing import Any

from django import template

from sinergi.accounts.api import MANAGING_ROLES
from sinergi.channels import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def posts_awaiting_count(context: dict[str, Any]) -> int:
    """The number of posts waiting for approval, for people who may approve (else 0).

    Read in the shop's tenant context, which the workspace request has entered."""
    request = context.get("request")
    membership = getattr(request, "membership", None)
    if membership is None or membership.role not in MANAGING_ROLES:
        return 0
    return selectors.posts_awaiting_approval().count()
