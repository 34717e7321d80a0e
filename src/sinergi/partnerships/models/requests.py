"""What shops ask for: help requests (needs) and applications to offerings."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.tenancy import TenantModel
from sinergi.partnerships.models.offerings import Offering
from sinergi.partnerships.models.taxonomy import Topic


class Urgency(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class HelpRequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    CLOSED = "closed", _("Closed")


class HelpRequest(TenantModel):
    """A shop's need for help on one topic (the tenant is the shop).

    Partners never browse help requests: they see one only through a match to an offering
    they own (see ``selectors.matches_for_partner``). ``languages`` lists the languages the
    shop can follow ("id", "en"); ``needed_by`` excludes offerings starting later.
    """

    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices)
    urgency = models.CharField(
        _("urgency"), max_length=6, choices=Urgency.choices, default=Urgency.MEDIUM
    )
    description = models.TextField(_("what do you need help with?"), max_length=2000)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    needed_by = models.DateField(_("needed by"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=8, choices=HelpRequestStatus.choices, default=HelpRequestStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "topic"], name="helprequest_status_topic")]

    def __str__(self) -> str:
        return f"{self.topic}: {self.description[:40]}"


class ApplicationStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    MATCHED = "matched", _("Matched")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Application(TenantModel):
    """A shop (the tenant) applies to an offering, optionally ranking it (1 = first choice).

    Applications enter matching as preferences: an applied offering scores higher for the
    shop, a better rank higher still. A shop with applications but no open help request is
    matched on its applications alone. The offering's partner sees applications to its own
    offerings through ``selectors.applications_for_offering``.
    """

    offering = models.ForeignKey(
        Offering, on_delete=models.CASCADE, related_name="applications", verbose_name=_("offering")
    )
    help_request = models.ForeignKey(
        HelpRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("help request"),
    )
    preference_rank = models.PositiveSmallIntegerField(
        _("preference rank"), null=True, blank=True, help_text=_("1 is your first choice.")
    )
    partner_rank = models.PositiveSmallIntegerField(
        _("partner's rank"), null=True, blank=True, editable=False
    )
    note = models.TextField(_("note to the partner"), blank=True, max_length=1000)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.SUBMITTED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["preference_rank", "-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "offering"],
                condition=~models.Q(status="withdrawn"),
                name="application_one_active_per_offering",
            ),
            models.CheckConstraint(
                condition=models.Q(preference_rank__isnull=True) | models.Q(preference_rank__gte=1),
                name="application_rank_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} → {self.offering}"
