"""A shop's connections to Facebook, Instagram, TikTok and WhatsApp."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.tenancy import TenantModel


class Platform(models.TextChoices):
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    WHATSAPP = "whatsapp", "WhatsApp"


# Platforms that publish posts; WhatsApp only carries conversations.
PUBLISHING_PLATFORMS = (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.TIKTOK)


class AccountStatus(models.TextChoices):
    ACTIVE = "active", _("Connected")
    EXPIRED = "expired", _("Sign-in expired")
    MISSING_PERMISSION = "missing_permission", _("Permission missing")
    NEEDS_REGISTRATION = "needs_registration", _("Number not registered yet")
    DISCONNECTED = "disconnected", _("Disconnected")


class ConnectedAccount(TenantModel):
    """One platform account a shop has connected (a Page, an Instagram professional account,
    a TikTok account or a WhatsApp Business number), with its encrypted tokens.

    ``is_preview`` marks the built-in preview connection: nothing leaves the server, and every
    request that would have been sent is recorded as a :class:`PreviewDelivery`.
    """

    platform = models.CharField(_("platform"), max_length=20, choices=Platform.choices)
    name = models.CharField(_("name"), max_length=120)
    external_id = models.CharField(_("platform id"), max_length=64)
    phone_number = models.CharField(_("phone number"), max_length=20, blank=True)
    access_token_encrypted = models.TextField(blank=True, editable=False)
    refresh_token_encrypted = models.TextField(blank=True, editable=False)
    scopes = models.JSONField(_("permissions"), default=list, blank=True)
    expires_at = models.DateTimeField(_("token expires"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=AccountStatus.choices, default=AccountStatus.ACTIVE
    )
    status_reason = models.CharField(_("reason"), max_length=300, blank=True)
    status_action = models.CharField(_("what to do"), max_length=300, blank=True)
    rate_limited_until = models.DateTimeField(null=True, blank=True)
    is_preview = models.BooleanField(_("preview connection"), default=False)
    connected_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("connected account")
        verbose_name_plural = _("connected accounts")
        ordering = ("platform", "name")
        constraints = [
            # Webhooks find the shop by the platform's id: one shop per platform account.
            models.UniqueConstraint(
                fields=["platform", "external_id"], name="channels_account_platform_id_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_platform_display()} · {self.name}"

    @property
    def can_act(self) -> bool:
        return self.status == AccountStatus.ACTIVE


class AccountMetric(TenantModel):
    """A snapshot of an account's audience (followers) at one time."""

    account = models.ForeignKey(ConnectedAccount, on_delete=models.CASCADE, related_name="+")
    captured_at = models.DateTimeField(default=timezone.now)
    followers = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-captured_at",)


class PreviewDelivery(TenantModel):
    """A request the preview connection would have sent to a platform, exactly as built."""

    account = models.ForeignKey(ConnectedAccount, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(max_length=8)
    path = models.CharField(max_length=300)
    body = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-created_at", "-pk")
