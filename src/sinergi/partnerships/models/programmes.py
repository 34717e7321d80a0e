"""Programmes: a government or university cohort that groups offerings, with quotas."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.tenancy import TenantModel
from sinergi.partnerships.models.offerings import Offering


class ProgrammeStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    SELECTING = "selecting", _("Selecting")
    RUNNING = "running", _("Running")
    CLOSED = "closed", _("Closed")


class Programme(TenantModel):
    """A cohort run by a government agency or university (the tenant).

    ``quotas`` bounds how many shops of each province the programme's matching may place:
    ``{"34": {"max": 40, "min": 5}, "33": {"max": 60}}`` (province code → bounds; provinces
    not listed are unbounded). Selection is by matching over the programme's offerings;
    participants are the shops with accepted matches (``selectors.programme_participants``).
    """

    name = models.CharField(_("name"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    quotas = models.JSONField(_("quotas per province"), default=dict, blank=True)
    applications_open_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    applications_close_at = models.DateTimeField(_("applications close"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ProgrammeStatus.choices, default=ProgrammeStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(applications_close_at__isnull=True)
                | models.Q(applications_open_at__isnull=True)
                | models.Q(applications_close_at__gt=models.F("applications_open_at")),
                name="programme_window_ordered",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def window_is_open(self, at: datetime | None = None) -> bool:
        """Whether applications are accepted at ``at`` (now by default)."""
        at = at or timezone.now()
        if self.applications_open_at and at < self.applications_open_at:
            return False
        return not (self.applications_close_at and at >= self.applications_close_at)


class ProgrammeOffering(TenantModel):
    """An offering (usually another partner's) included in a programme; owned by the programme's
    organisation."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="links", verbose_name=_("programme")
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.CASCADE,
        related_name="programme_links",
        verbose_name=_("offering"),
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("programme offering")
        verbose_name_plural = _("programme offerings")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "offering"], name="programme_offering_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.offering}"
