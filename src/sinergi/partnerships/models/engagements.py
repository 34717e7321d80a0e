"""Engagements: an accepted match carried out — sessions, attendance, deliverables, ratings."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.tenancy import TenantModel
from sinergi.partnerships.models.matching import Match
from sinergi.partnerships.models.offerings import Offering
from sinergi.partnerships.models.programmes import Programme


class EngagementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Engagement(TenantModel):
    """The work that follows an accepted match, owned by the offering's partner.

    The shop sees it through ``selectors.engagements_for_shop``. At the end each side leaves
    feedback and a 1-5 rating (``engagement_feedback_submit``); both ratings in makes it
    completed.
    """

    match = models.OneToOneField(
        Match, on_delete=models.PROTECT, related_name="engagement", verbose_name=_("match")
    )
    offering = models.ForeignKey(
        Offering, on_delete=models.PROTECT, related_name="engagements", verbose_name=_("offering")
    )
    shop = models.ForeignKey(
        settings.SINERGI_TENANT_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("shop"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("programme"),
    )
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=EngagementStatus.choices,
        default=EngagementStatus.ACTIVE,
    )
    supervisor_name = models.CharField(_("supervisor"), max_length=120, blank=True)
    supervisor_email = models.EmailField(_("supervisor e-mail"), blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    shop_rating = models.PositiveSmallIntegerField(
        _("shop's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    shop_feedback = models.TextField(_("shop's feedback"), blank=True, max_length=3000)
    partner_rating = models.PositiveSmallIntegerField(
        _("partner's rating"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    partner_feedback = models.TextField(_("partner's feedback"), blank=True, max_length=3000)
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(shop_rating__isnull=True)
                | models.Q(shop_rating__gte=1, shop_rating__lte=5),
                name="engagement_shop_rating_1_5",
            ),
            models.CheckConstraint(
                condition=models.Q(partner_rating__isnull=True)
                | models.Q(partner_rating__gte=1, partner_rating__lte=5),
                name="engagement_partner_rating_1_5",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.offering} · {self.shop_id}"


class SessionKind(models.TextChoices):
    SESSION = "session", _("Session")
    MILESTONE = "milestone", _("Milestone")


class EngagementSession(TenantModel):
    """A session held or a milestone reached, with attendance and deliverables; owned like its
    engagement by the partner."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("engagement")
    )
    kind = models.CharField(
        _("kind"), max_length=10, choices=SessionKind.choices, default=SessionKind.SESSION
    )
    title = models.CharField(_("title"), max_length=160)
    held_on = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=5, decimal_places=1, default=0)
    attended = models.BooleanField(_("the shop attended"), default=True)
    attendees = models.PositiveSmallIntegerField(_("people attending"), default=1)
    deliverable = models.CharField(_("deliverable"), max_length=300, blank=True)
    notes = models.TextField(_("notes"), blank=True, max_length=3000)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("session or milestone")
        verbose_name_plural = _("sessions and milestones")
        ordering = ["held_on", "id"]

    def __str__(self) -> str:
        return self.title


class MemberRole(models.TextChoices):
    STUDENT = "student", _("Student")
    SUPERVISOR = "supervisor", _("Supervisor")
    MENTOR = "mentor", _("Mentor")


class EngagementMember(TenantModel):
    """A person the partner places with the shop: a student of an internship team, its
    supervising lecturer, or a mentor."""

    engagement = models.ForeignKey(
        Engagement, on_delete=models.CASCADE, related_name="members", verbose_name=_("engagement")
    )
    name = models.CharField(_("name"), max_length=120)
    role = models.CharField(
        _("role"), max_length=10, choices=MemberRole.choices, default=MemberRole.STUDENT
    )
    email = models.EmailField(_("e-mail"), blank=True)
    study_programme = models.CharField(_("study programme"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        ordering = ["role", "name"]

    def __str__(self) -> str:
        return self.name
