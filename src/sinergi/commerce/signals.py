"""Signals commerce sends so other apps can follow the storefront without commerce knowing them.

Apps import these from ``sinergi.commerce.api`` and connect in their ``AppConfig.ready``.
A receiver must not change the order: it is told after the order was placed and committed,
and a receiver that fails does not fail the buyer's checkout (they are sent robustly).
"""

from django.dispatch import Signal

# Sent with ``order`` (the placed, committed Order) and ``request`` (the buyer's request,
# whose session holds what the visit remembered, e.g. the post a link came from).
storefront_order_placed = Signal()
