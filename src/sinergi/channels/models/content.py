"""The content studio: media, posts composed once and their per-platform variants, metrics."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.channels.models.accounts import ConnectedAccount
from sinergi.core.tenancy import TenantModel


class MediaKind(models.TextChoices):
    IMAGE = "image", _("Image")
    VIDEO = "video", _("Video")


class MediaAsset(TenantModel):
    """A photo or video in the shop's media library, with what the platform rules check."""

    file = models.FileField(_("file"), upload_to="channels/media/%Y/%m/")
    title = models.CharField(_("title"), max_length=120, blank=True)
    kind = models.CharField(_("kind"), max_length=10, choices=MediaKind.choices)
    content_type = models.CharField(max_length=60)
    size_bytes = models.PositiveBigIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    duration_seconds = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("media")
        verbose_name_plural = _("media")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return self.title or (self.file.name or "").rsplit("/", 1)[-1]


class Post(TenantModel):
    """A post composed once; each platform gets a :class:`PostVariant` tailored from it.

    Staff compose drafts that wait for the owner's approval; the owner's posts are approved
    as they are scheduled.
    """

    caption = models.TextField(_("caption"), max_length=5000, blank=True)
    media = models.ManyToManyField(MediaAsset, through="PostMedia", blank=True, related_name="+")
    product = models.ForeignKey(
        "commerce.Product",
        verbose_name=_("linked product"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    scheduled_at = models.DateTimeField(_("publish at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("post")
        verbose_name_plural = _("posts")
        ordering = ("-scheduled_at", "-pk")

    def __str__(self) -> str:
        return (self.caption[:40] or f"#{self.pk}").strip()


class PostMedia(models.Model):
    """One file of a post, at its place: a carousel shows its files in ``position`` order.

    Not a tenant model of its own: a row is reached only through its post, which is.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="media_links")
    media = models.ForeignKey(
        MediaAsset, on_delete=models.CASCADE, db_column="mediaasset_id", related_name="post_links"
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "channels_post_media"
        ordering = ("position", "pk")
        unique_together = [("post", "media")]

    def __str__(self) -> str:
        return f"{self.post_id} #{self.position}: {self.media_id}"


class VariantStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHING = "publishing", _("Publishing")
    PUBLISHED = "published", _("Published")
    FAILED = "failed", _("Failed")


class PostVariant(TenantModel):
    """A post as it goes to one connected account, and the progress of publishing it.

    Publishing is a state machine whose every step is saved before the next one starts:
    ``container_id`` (Instagram container, Facebook video) or ``publish_id`` (TikTok) and
    each carousel item's id in ``item_ids`` are stored as soon as the platform returns them,
    and ``publish_requested_at`` is stored *before* the final publish call, so a run after a
    crash reconciles with the platform instead of publishing twice.
    """

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="variants")
    account = models.ForeignKey(ConnectedAccount, on_delete=models.CASCADE, related_name="+")
    caption = models.TextField(_("caption"), max_length=5000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=VariantStatus.choices, default=VariantStatus.DRAFT
    )
    container_id = models.CharField(max_length=64, blank=True)
    # A carousel's items in media order (Instagram item containers, Facebook unpublished
    # photos), each saved as soon as the platform returns it, so a restart reuses them.
    item_ids = models.JSONField(default=list, blank=True)
    publish_requested_at = models.DateTimeField(null=True, blank=True)
    platform_post_id = models.CharField(max_length=64, blank=True)
    permalink = models.URLField(max_length=500, blank=True)
    published_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)
    last_error_code = models.CharField(max_length=40, blank=True)

    class Meta:
        verbose_name = _("post variant")
        verbose_name_plural = _("post variants")
        ordering = ("post", "account__platform")
        constraints = [
            models.UniqueConstraint(fields=["post", "account"], name="channels_variant_unique"),
            models.UniqueConstraint(
                fields=["account", "platform_post_id"],
                condition=~Q(platform_post_id=""),
                name="channels_variant_platform_id_unique",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post} → {self.account}"


class PostMetric(TenantModel):
    """A snapshot of a published variant's insights at one time (kept as a time series)."""

    variant = models.ForeignKey(PostVariant, on_delete=models.CASCADE, related_name="metrics")
    captured_at = models.DateTimeField(default=timezone.now)
    reach = models.PositiveIntegerField(default=0)
    impressions = models.PositiveIntegerField(default=0)
    likes = models.PositiveIntegerField(default=0)
    comments = models.PositiveIntegerField(default=0)
    shares = models.PositiveIntegerField(default=0)
    saves = models.PositiveIntegerField(default=0)
    video_views = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("-captured_at",)

    @property
    def engagement(self) -> int:
        return self.likes + self.comments + self.shares + self.saves


class PostAttribution(TenantModel):
    """A storefront order that came from a visit through a post's link (UTM campaign
    ``post-<id>``). One row per order: an order is attributed to one post at most."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="attributions")
    order = models.OneToOneField("commerce.Order", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(max_length=20, blank=True)
    attributed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ("-attributed_at",)
