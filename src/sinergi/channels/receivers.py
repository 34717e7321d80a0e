"""What channels does when other apps signal (connected in ``ChannelsConfig.ready``)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from sinergi.channels.services.attribution import order_attribute_from_session
from sinergi.commerce.api import Order


def storefront_order_attribute(
    sender: type[Order], *, order: Order, request: HttpRequest, **kwargs: Any
) -> None:
    """Attribute a storefront order to the post whose link the buyer came through, if any."""
    order_attribute_from_session(
        organisation=order.organisation, order=order, session=request.session
    )
