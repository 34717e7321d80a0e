from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from sinergi.web.navigation import NAVIGATION, PHONE_BAR_ITEMS


def workspace(request: HttpRequest) -> dict[str, Any]:
    """The navigation of the active organisation, with the current place marked."""
    organisation = getattr(request, "organisation", None)
    if organisation is None:
        return {"nav": []}
    nav = []
    for item in NAVIGATION[organisation.kind]:
        url = reverse(item.url_name)
        nav.append(
            {
                "label": item.label,
                "url": url,
                "icon": item.icon,
                "current": request.path == url
                or (url != reverse("web:workspace") and request.path.startswith(url)),
            }
        )
    more = nav[PHONE_BAR_ITEMS:]
    return {"nav": nav, "nav_more": more, "nav_more_current": any(i["current"] for i in more)}
