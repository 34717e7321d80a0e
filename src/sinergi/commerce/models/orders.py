"""Customers, orders from every channel, their lines and payments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.crypto import BlindIndexField, EncryptedTextField
from sinergi.core.tenancy import TenantModel


class Channel(models.TextChoices):
    STOREFRONT = "storefront", _("Own storefront")
    WHATSAPP = "whatsapp", "WhatsApp"
    INSTAGRAM = "instagram", "Instagram"
    FACEBOOK = "facebook", "Facebook"
    TIKTOK = "tiktok", "TikTok"
    PHONE = "phone", _("Phone")
    WALK_IN = "walk_in", _("Walk-in")
    SHOPEE = "shopee", "Shopee"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop"


MARKETPLACE_CHANNELS = frozenset({Channel.SHOPEE, Channel.TOKOPEDIA, Channel.TIKTOK_SHOP})


class OrderStatus(models.TextChoices):
    PLACED = "placed", _("Placed")
    PAID = "paid", _("Paid")
    PACKED = "packed", _("Packed")
    SHIPPED = "shipped", _("Shipped")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    RETURNED = "returned", _("Returned")


# Statuses in which the order still holds reserved stock (not yet shipped, not cancelled).
RESERVING_STATUSES = frozenset({OrderStatus.PLACED, OrderStatus.PAID, OrderStatus.PACKED})
# Statuses after which nothing more is owed or delivered.
CLOSED_STATUSES = frozenset({OrderStatus.CANCELLED, OrderStatus.RETURNED})


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    BANK_TRANSFER = "bank_transfer", _("Bank transfer")
    QRIS = "qris", "QRIS"
    EWALLET = "ewallet", _("E-wallet (GoPay, OVO, DANA, ShopeePay)")
    COD = "cod", _("Cash on delivery (COD)")


class Customer(TenantModel):
    """A person who buys from the shop, recognised by their phone number (+62…).

    Name, phone and address are encrypted at rest (docs/adr/0008): the database can neither
    search nor sort them. ``phone_digest`` (a blind index of the normalised phone) finds a
    customer by phone and keeps the phone unique in the shop; lists sort by name in Python.
    """

    name = EncryptedTextField(_("name"), max_length=120)
    phone = EncryptedTextField(_("phone"), max_length=20, blank=True)
    address = EncryptedTextField(_("address"), blank=True, max_length=1000, multiline=True)
    phone_digest = BlindIndexField(source="phone")
    created_at = models.DateTimeField(_("first order"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        # Names are ciphertext to the database: lists sort them after decrypting.
        ordering = ("pk",)
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "phone_digest"],
                condition=~Q(phone_digest=""),
                name="commerce_customer_phone_digest_unique",
            )
        ]

    def __str__(self) -> str:
        return self.name


class OrderCounter(TenantModel):
    """The last order number a shop gave out in a year; bumped with F() under a row lock."""

    year = models.PositiveSmallIntegerField(_("year"))
    last_number = models.PositiveIntegerField(_("last number"), default=0)

    class Meta:
        verbose_name = _("order counter")
        verbose_name_plural = _("order counters")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "year"], name="commerce_ordercounter_year_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}/{self.year}: {self.last_number}"


class OrderRevision(TenantModel):
    """A shop's order revision: every write that changes one of the shop's orders or its lines
    bumps it by one, as the last statement of its transaction, and stamps the changed orders
    with the new value (``Order.revision``). The row stays locked from that UPDATE to the
    commit, so a shop's revisions commit in order: whoever reads revision N can read every
    change up to N as ``Order.revision <= N``. Readers (insights) use it to refresh a copy with
    only the orders changed since, and as a one-row fingerprint of the shop's orders.

    ``epoch`` is the time (microseconds) the row was made: a copy made against another epoch
    (the shop's data was recreated) is thrown away."""

    revision = models.BigIntegerField(_("revision"), default=0)
    epoch = models.BigIntegerField(_("epoch"), default=0)

    class Meta:
        verbose_name = _("order revision")
        verbose_name_plural = _("order revisions")
        constraints = [
            models.UniqueConstraint(fields=["organisation"], name="commerce_orderrevision_unique")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id}: {self.revision}"


class Order(TenantModel):
    """An order from any channel. Totals are integer rupiah and always equal the sum of the lines
    plus shipping minus discount; stock effects follow the status (see services.orders)."""

    number = models.CharField(_("number"), max_length=20)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    # NULL, not "", when there is none: the unique constraint applies only where it is set.
    external_id = models.CharField(  # noqa: DJ001
        _("order id on the channel"),
        max_length=100,
        null=True,
        blank=True,
        help_text=_("The marketplace's or chat's own id: the same order is never entered twice."),
    )
    customer = models.ForeignKey(
        Customer,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="orders",
        verbose_name=_("customer"),
    )
    # Encrypted at rest like the customer's own details (docs/adr/0008); the phone's blind
    # index groups orders without a customer record by buyer (insights) without reading it.
    customer_name = EncryptedTextField(_("customer name"), max_length=120, blank=True)
    customer_phone = EncryptedTextField(_("customer phone"), max_length=20, blank=True)
    customer_phone_digest = BlindIndexField(source="customer_phone")
    address = EncryptedTextField(_("delivery address"), blank=True, max_length=1000, multiline=True)
    delivery_note = EncryptedTextField(_("delivery note"), max_length=255, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OrderStatus.choices, default=OrderStatus.PLACED
    )
    location = models.ForeignKey(
        "commerce.Location",
        on_delete=models.RESTRICT,
        related_name="orders",
        verbose_name=_("ships from"),
    )
    payment_method = models.CharField(
        _("payment method"), max_length=16, choices=PaymentMethod.choices, blank=True
    )
    is_credit = models.BooleanField(
        _("on credit (kasbon)"),
        default=False,
        help_text=_("The customer takes the goods now and pays later."),
    )
    subtotal = models.BigIntegerField(_("subtotal"), default=0)
    shipping_fee = models.BigIntegerField(_("shipping"), default=0)
    discount = models.BigIntegerField(_("discount"), default=0)
    total = models.BigIntegerField(_("total"), default=0)
    amount_paid = models.BigIntegerField(_("paid"), default=0)
    note = models.CharField(_("note"), max_length=255, blank=True)
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    packed_at = models.DateTimeField(_("packed"), null=True, blank=True)
    shipped_at = models.DateTimeField(_("shipped"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    returned_at = models.DateTimeField(_("returned"), null=True, blank=True)
    # The shop's OrderRevision when this order or its lines last changed (0: before revisions).
    revision = models.BigIntegerField(_("revision"), default=0, db_default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("entered by"),
    )

    lines: Any
    payments: Any

    class Meta:
        verbose_name = _("order")
        verbose_name_plural = _("orders")
        ordering = ("-placed_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "number"], name="commerce_order_number_unique"
            ),
            models.UniqueConstraint(
                fields=["organisation", "channel", "external_id"],
                condition=Q(external_id__isnull=False),
                name="commerce_order_external_unique",
            ),
            models.CheckConstraint(
                condition=Q(channel__in=Channel.values), name="commerce_order_channel_valid"
            ),
            models.CheckConstraint(
                condition=Q(status__in=OrderStatus.values), name="commerce_order_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(subtotal__gte=0)
                & Q(shipping_fee__gte=0)
                & Q(discount__gte=0)
                & Q(total__gte=0)
                & Q(amount_paid__gte=0),
                name="commerce_order_amounts_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(total=F("subtotal") + F("shipping_fee") - F("discount")),
                name="commerce_order_total_sums",
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "placed_at"], name="commerce_order_org_placed"),
            models.Index(
                fields=["organisation", "status", "placed_at"], name="commerce_order_org_status"
            ),
            models.Index(fields=["organisation", "revision"], name="commerce_order_org_revision"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def balance_due(self) -> int:
        """What the customer still owes (zero once paid in full)."""
        return max(self.total - self.amount_paid, 0)

    @property
    def is_paid(self) -> bool:
        return self.amount_paid >= self.total


class OrderLine(TenantModel):
    """One product on an order, with the name, SKU and prices copied at the time of the order."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="lines", verbose_name=_("order")
    )
    variant = models.ForeignKey(
        "commerce.Variant",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="order_lines",
        verbose_name=_("variant"),
    )
    product_name = models.CharField(_("product"), max_length=150)
    variant_name = models.CharField(_("variant"), max_length=100, blank=True)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    quantity = models.PositiveIntegerField(_("quantity"))
    unit_price = models.BigIntegerField(_("unit price"))
    unit_cost = models.BigIntegerField(_("unit cost"), null=True, blank=True)
    line_total = models.BigIntegerField(_("line total"))

    class Meta:
        verbose_name = _("order line")
        verbose_name_plural = _("order lines")
        ordering = ("order_id", "pk")
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gt=0), name="commerce_line_quantity_gt_0"),
            models.CheckConstraint(
                condition=Q(unit_price__gte=0), name="commerce_line_unit_price_gte_0"
            ),
            models.CheckConstraint(
                condition=Q(unit_cost__isnull=True) | Q(unit_cost__gte=0),
                name="commerce_line_unit_cost_gte_0",
            ),
            models.CheckConstraint(
                condition=Q(line_total=F("quantity") * F("unit_price")),
                name="commerce_line_total_sums",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.product_name}"


class Payment(TenantModel):
    """Money received for an order: one order may be paid in several parts (or not yet)."""

    order = models.ForeignKey(
        Order, on_delete=models.CASCADE, related_name="payments", verbose_name=_("order")
    )
    method = models.CharField(_("method"), max_length=16, choices=PaymentMethod.choices)
    amount = models.BigIntegerField(_("amount"))
    paid_at = models.DateTimeField(_("paid"), default=timezone.now)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ("-paid_at", "-pk")
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="commerce_payment_amount_gt_0"),
            models.CheckConstraint(
                condition=Q(method__in=PaymentMethod.values), name="commerce_payment_method_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.amount}"
