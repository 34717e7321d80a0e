"""One inbox: conversations with customers across WhatsApp, DMs and comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.channels.models.accounts import ConnectedAccount
from sinergi.core.crypto import EncryptedTextField
from sinergi.core.tenancy import TenantModel


class ConversationKind(models.TextChoices):
    WHATSAPP = "whatsapp", "WhatsApp"
    DIRECT = "direct", _("Direct message")
    COMMENT = "comment", _("Comment")


class Conversation(TenantModel):
    """A thread with one customer on one connected account.

    ``last_inbound_at`` drives the platforms' messaging windows: a free-form reply is
    allowed only within 24 hours of the customer's last message.
    """

    account = models.ForeignKey(ConnectedAccount, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=ConversationKind.choices)
    external_thread_id = models.CharField(max_length=100)
    # The customer's name and phone are personal data, encrypted at rest (docs/adr/0008).
    customer_name = EncryptedTextField(_("name"), max_length=120, blank=True)
    customer_phone = EncryptedTextField(_("phone"), max_length=20, blank=True)
    customer = models.ForeignKey(
        "commerce.Customer", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    last_message_at = models.DateTimeField(default=timezone.now)
    last_inbound_at = models.DateTimeField(null=True, blank=True)
    unread = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ("-last_message_at", "-pk")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "external_thread_id"], name="channels_conversation_unique"
            )
        ]

    def __str__(self) -> str:
        return self.customer_name or self.customer_phone or self.external_thread_id


class Direction(models.TextChoices):
    INBOUND = "in", _("From the customer")
    OUTBOUND = "out", _("From the shop")


class MessageStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    READ = "read", _("Read")
    FAILED = "failed", _("Not sent")


class Message(TenantModel):
    """One message in a conversation. The platform's message id is unique per account, so a
    webhook delivered twice stores the message once."""

    account = models.ForeignKey(ConnectedAccount, on_delete=models.CASCADE, related_name="+")
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    direction = models.CharField(max_length=3, choices=Direction.choices)
    platform_message_id = models.CharField(max_length=200, blank=True)
    text = models.TextField(max_length=4096)
    status = models.CharField(max_length=10, choices=MessageStatus.choices)
    error = models.CharField(max_length=300, blank=True)
    sent_at = models.DateTimeField(default=timezone.now)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order = models.ForeignKey(
        "commerce.Order", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ("sent_at", "pk")
        constraints = [
            models.UniqueConstraint(
                fields=["account", "platform_message_id"],
                condition=~Q(platform_message_id=""),
                name="channels_message_platform_id_unique",
            )
        ]

    def __str__(self) -> str:
        return self.text[:40]
