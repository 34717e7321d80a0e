"""What the commerce domain refuses, each with a message for the person who asked."""

from __future__ import annotations

from django.utils.translation import gettext as _


class CommerceError(Exception):
    """A request the commerce domain refuses; ``str(error)`` is shown to the user as is."""

    field: str | None = None

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field


class InvalidInput(CommerceError):
    """The request itself is wrong (unknown product, quantity of zero, payment too large…)."""


class InsufficientStock(CommerceError):
    """A movement would take more stock than there is (or than is not already promised)."""

    def __init__(
        self, *, variant_id: int, variant_name: str, available: int, requested: int, message: str
    ) -> None:
        super().__init__(message)
        self.variant_id = variant_id
        self.variant_name = variant_name
        self.available = available
        self.requested = requested


class SoldOut(InsufficientStock):
    """An order asks for more of a variant than is available: nothing of the order was kept."""

    def __init__(self, *, variant_id: int, variant_name: str, available: int, requested: int):
        if available <= 0:
            message = _("%(name)s is sold out.") % {"name": variant_name}
        else:
            message = _("Only %(available)s of %(name)s left (you asked for %(requested)s).") % {
                "available": available,
                "name": variant_name,
                "requested": requested,
            }
        super().__init__(
            variant_id=variant_id,
            variant_name=variant_name,
            available=available,
            requested=requested,
            message=message,
        )


class InvalidTransition(CommerceError):
    """The order is not in a status from which the asked step is possible."""

    def __init__(self, *, number: str, status: str, action: str) -> None:
        super().__init__(
            _("Order %(number)s is %(status)s: it cannot be %(action)s.")
            % {"number": number, "status": status, "action": action}
        )
        self.number, self.status, self.action = number, status, action


class AlreadyReversed(CommerceError):
    """A ledger row may be reversed once only."""
