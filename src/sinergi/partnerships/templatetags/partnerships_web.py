"""Small display filters of the partnership pages."""

from typing import Any

from django import template

from sinergi.partnerships import selectors_web as reads

register = template.Library()


@register.filter
def stars(rating: int | None) -> str:
    """ "★★★★☆" for 4 of 5; an empty string when there is no rating."""
    if not rating:
        return ""
    rating = max(1, min(int(rating), 5))
    return "★" * rating + "☆" * (5 - rating)


@register.inclusion_tag("partnerships/_home_shop.html", takes_context=True)
def partnerships_shop_home(context: dict[str, Any]) -> dict[str, Any]:
    """The hub's block on a shop's home: open help requests, offers waiting, offerings that fit."""
    request = context["request"]
    return {"request": request, **reads.shop_home_summary(request.organisation)}


@register.inclusion_tag("partnerships/_home_partner.html", takes_context=True)
def partnerships_partner_home(context: dict[str, Any]) -> dict[str, Any]:
    """The hub's block on a partner's home: its offerings, applications and engagements."""
    request = context["request"]
    return {"request": request, **reads.partner_home_summary(request.organisation)}


@register.inclusion_tag("partnerships/_home_government.html", takes_context=True)
def partnerships_government_home(context: dict[str, Any]) -> dict[str, Any]:
    """The hub's block on a government agency's home: its programmes and offerings."""
    request = context["request"]
    return {"request": request, **reads.government_home_summary(request.organisation)}
