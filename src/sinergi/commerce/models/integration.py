"""Integration: API tokens for the shop's own programs, and import jobs for uploaded files."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.crypto import EncryptedJSONField
from sinergi.core.encrypted_files import EncryptedFileField
from sinergi.core.tenancy import TenantModel


class ApiToken(TenantModel):
    """A bearer token that lets a program act for one shop through the HTTP API.

    The secret is shown once when the token is created; only its SHA-256 hash is kept, and
    the first characters (``prefix``) let the owner recognise the token in a list. A revoked
    token stays as a record of who had access.
    """

    name = models.CharField(_("name"), max_length=80, help_text=_('e.g. "Stock sync laptop".'))
    prefix = models.CharField(_("starts with"), max_length=16, unique=True)
    secret_hash = models.CharField(_("SHA-256 of the secret"), max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at", "-pk")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class ImportKind(models.TextChoices):
    CATALOG = "catalog", _("Catalog (products and variants)")
    SHOPEE = "shopee", "Shopee"
    TOKOPEDIA = "tokopedia", "Tokopedia"
    TIKTOK_SHOP = "tiktok_shop", "TikTok Shop"


class ImportStatus(models.TextChoices):
    VALIDATING = "validating", _("Checking the file")
    READY = "ready", _("Ready to confirm")
    APPLYING = "applying", _("Importing")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")


def _import_path(instance: ImportJob, filename: str) -> str:
    return f"commerce/{instance.organisation_id}/imports/{filename}"


class ImportJob(TenantModel):
    """One uploaded file on its way into the shop: checked (preview), confirmed, applied.

    ``errors`` is a list of ``{"row": n, "message": "…"}`` (row numbers as the owner sees them
    in a spreadsheet); ``summary`` holds the counts and the preview rows; ``processed_rows``
    over ``total_rows`` is the progress a page polls.

    A marketplace file and its preview name buyers, their phones and addresses, so the stored
    file, ``summary`` and ``errors`` are encrypted with the data keys (docs/adr/0008), and the
    file is deleted once the job is over (done, failed or cancelled: nothing reads it then).
    ``file_sha256`` is the hash of the plain bytes.
    """

    kind = models.CharField(_("kind"), max_length=16, choices=ImportKind.choices)
    source = models.CharField(_("source"), max_length=16, default="upload")
    original_filename = models.CharField(_("file name"), max_length=255)
    file = EncryptedFileField(_("file"), upload_to=_import_path, max_length=255, blank=True)
    file_sha256 = models.CharField(_("SHA-256 of the file"), max_length=64, db_index=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ImportStatus.choices,
        default=ImportStatus.VALIDATING,
    )
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows processed"), default=0)
    errors = EncryptedJSONField(_("errors"), default=list, blank=True)
    summary = EncryptedJSONField(_("summary"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    created_at = models.DateTimeField(_("uploaded"), default=timezone.now, editable=False)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ("-created_at", "-pk")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ImportStatus.values), name="commerce_import_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ImportKind.values), name="commerce_import_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.original_filename}"

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.status == ImportStatus.DONE else 0
        return min(100, self.processed_rows * 100 // self.total_rows)

    @property
    def is_running(self) -> bool:
        return self.status in {ImportStatus.VALIDATING, ImportStatus.APPLYING}


class MarketplaceSku(TenantModel):
    """The owner's answer to "which of my variants is this marketplace SKU?", remembered.

    Marketplace listings often carry SKUs that differ from the shop's own (or none at all);
    the import preview asks once and keeps the answer here for every later file.
    """

    channel = models.CharField(_("marketplace"), max_length=16, choices=ImportKind.choices)
    external_sku = models.CharField(_("marketplace SKU"), max_length=200)
    variant = models.ForeignKey(
        "commerce.Variant",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("variant"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("marketplace SKU")
        verbose_name_plural = _("marketplace SKUs")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "channel", "external_sku"],
                name="commerce_marketplace_sku_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel}:{self.external_sku}"
