"""The contribution ledger: what each partner gave, per programme, region and topic."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import Province
from sinergi.core.tenancy import TenantModel
from sinergi.partnerships.models.engagements import Engagement
from sinergi.partnerships.models.offerings import Offering
from sinergi.partnerships.models.programmes import Programme
from sinergi.partnerships.models.taxonomy import Topic


class ContributionKind(models.TextChoices):
    SEATS = "seats", _("Training seats")
    HOURS = "hours", _("Hours of mentoring or support")
    STUDENTS = "students", _("Students placed")
    MONEY = "money", _("Funding (rupiah)")


class Contribution(TenantModel):
    """One append-only ledger row: the partner (tenant) contributed ``amount`` of ``kind``.

    Rows are never updated or deleted; a mistake is corrected by a row with the opposite amount
    that names the row it ``reverses``. The programme owner sees rows of its programme through
    ``selectors.contributions_for_programme``.
    """

    kind = models.CharField(_("kind"), max_length=10, choices=ContributionKind.choices)
    amount = models.BigIntegerField(_("amount"))
    programme = models.ForeignKey(
        Programme,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("programme"),
    )
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    topic = models.CharField(_("topic"), max_length=30, choices=Topic.choices, blank=True)
    offering = models.ForeignKey(
        Offering,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("offering"),
    )
    engagement = models.ForeignKey(
        Engagement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contributions",
        verbose_name=_("engagement"),
    )
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by",
        verbose_name=_("reverses"),
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recorded_at = models.DateTimeField(_("recorded"), default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0) | models.Q(reverses__isnull=False),
                name="contribution_positive_unless_reversal",
            ),
        ]
        indexes = [models.Index(fields=["programme", "kind"], name="contribution_programme")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.amount}"
