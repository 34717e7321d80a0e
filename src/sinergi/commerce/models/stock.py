"""Stock: where goods are kept, how many, and the append-only ledger of every movement."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.tenancy import TenantModel


class Location(TenantModel):
    """A place goods are kept: the shop, a warehouse, a stall at the market."""

    name = models.CharField(_("name"), max_length=80)
    is_default = models.BooleanField(
        _("default"), default=False, help_text=_("Orders take stock from here.")
    )

    class Meta:
        verbose_name = _("stock location")
        verbose_name_plural = _("stock locations")
        ordering = ("-is_default", "name")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "name"], name="commerce_location_name_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(is_default=True),
                name="commerce_location_one_default",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class StockBalance(TenantModel):
    """How many of a variant are at a location (on hand) and promised to open orders (reserved).

    A cache of the ledger: ``on_hand`` equals the sum of the movements' ``on_hand_delta`` and
    ``reserved`` the sum of their ``reserved_delta``. Only the stock services change it, with a
    conditional UPDATE in the same transaction as the movement row.
    """

    variant = models.ForeignKey(
        "commerce.Variant",
        on_delete=models.CASCADE,
        related_name="balances",
        verbose_name=_("variant"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.RESTRICT, related_name="balances", verbose_name=_("location")
    )
    on_hand = models.BigIntegerField(_("on hand"), default=0)
    reserved = models.BigIntegerField(_("reserved"), default=0)

    class Meta:
        verbose_name = _("stock balance")
        verbose_name_plural = _("stock balances")
        constraints = [
            models.UniqueConstraint(
                fields=["variant", "location"], name="commerce_balance_variant_location_unique"
            ),
            models.CheckConstraint(
                condition=Q(reserved__gte=0), name="commerce_balance_reserved_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(reserved__lte=F("on_hand")),
                name="commerce_balance_reserved_lte_on_hand",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.variant_id}@{self.location_id}: {self.on_hand}/{self.reserved}"

    @property
    def available(self) -> int:
        """What can still be sold: on hand minus what open orders already hold."""
        return self.on_hand - self.reserved


class MovementKind(models.TextChoices):
    RECEIPT = "receipt", _("Receipt")
    SALE = "sale", _("Sale (shipped)")
    RETURN = "return", _("Return")
    ADJUSTMENT = "adjustment", _("Adjustment")
    COUNT = "count", _("Stock count (opname)")
    TRANSFER_OUT = "transfer_out", _("Transfer out")
    TRANSFER_IN = "transfer_in", _("Transfer in")
    RESERVATION = "reservation", _("Reserved for an order")
    RELEASE = "release", _("Released from an order")
    REVERSAL = "reversal", _("Reversal")


class StockMovement(TenantModel):
    """One line of the stock ledger. Never updated or deleted; a mistake is undone by a reversal."""

    variant = models.ForeignKey(
        "commerce.Variant",
        on_delete=models.CASCADE,
        related_name="movements",
        verbose_name=_("variant"),
    )
    location = models.ForeignKey(
        Location, on_delete=models.RESTRICT, related_name="movements", verbose_name=_("location")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=MovementKind.choices)
    on_hand_delta = models.BigIntegerField(_("change on hand"), default=0)
    reserved_delta = models.BigIntegerField(_("change reserved"), default=0)
    order = models.ForeignKey(
        "commerce.Order",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="movements",
        verbose_name=_("order"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.RESTRICT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("when"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("stock movement")
        verbose_name_plural = _("stock movements")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=MovementKind.values), name="commerce_movement_kind_valid"
            ),
            models.CheckConstraint(
                condition=~Q(on_hand_delta=0) | ~Q(reserved_delta=0),
                name="commerce_movement_not_empty",
            ),
        ]
        indexes = [
            models.Index(
                fields=["variant", "location", "created_at"], name="commerce_movement_variant"
            ),
            models.Index(fields=["organisation", "created_at"], name="commerce_movement_org_time"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.variant_id}@{self.location_id} {self.on_hand_delta:+}"
