"""Match runs and the matches they propose."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.tenancy import TenantModel
from sinergi.partnerships.models.offerings import Offering
from sinergi.partnerships.models.programmes import Programme
from sinergi.partnerships.models.requests import Application, HelpRequest, Urgency
from sinergi.partnerships.models.taxonomy import Topic


class Objective(models.TextChoices):
    """How a run chooses among feasible matchings."""

    OPTIMAL = "optimal", _("Best total fit (min-cost flow)")
    STABLE = "stable", _("Stable: both sides' rankings (deferred acceptance)")


class MatchRunStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class MatchRun(TenantModel):
    """One batch match, owned by the organisation that ran it (a partner or programme owner).

    Scope: the programme's offerings when ``programme`` is set, else the owner's own published
    offerings. ``seed`` drives the lottery that breaks ties, so a run can be reproduced and
    audited; ``stats`` holds counts and timings, ``progress`` 0-100 for the page that polls it.
    """

    programme = models.ForeignKey(
        Programme,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="runs",
        verbose_name=_("programme"),
    )
    objective = models.CharField(
        _("objective"), max_length=10, choices=Objective.choices, default=Objective.OPTIMAL
    )
    seed = models.BigIntegerField(_("lottery seed"))
    status = models.CharField(
        _("status"), max_length=8, choices=MatchRunStatus.choices, default=MatchRunStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    stage = models.CharField(_("stage"), max_length=60, blank=True)
    stats = models.JSONField(_("statistics"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("match run")
        verbose_name_plural = _("match runs")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="matchrun_progress_percent"
            )
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.get_objective_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in {MatchRunStatus.DONE, MatchRunStatus.FAILED}


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WAITLISTED = "waitlisted", _("Waitlisted")


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Side(models.TextChoices):
    SHOP = "shop", _("Shop")
    PARTNER = "partner", _("Partner")


class Match(TenantModel):
    """A proposed pairing of a shop's need with an offering, owned by the offering's partner.

    The shop side reaches its matches through ``selectors.matches_for_shop`` (filtered by the
    shop explicitly); the run's owner through ``selectors.matches_for_run``. A match is
    accepted when both sides accept (the partner's side is accepted up front when the
    offering accepts automatically); accepting takes one of the offering's places. A
    waitlisted row records an eligible shop left unmatched, with the offering it wanted most
    and its lottery number: the fair comparison group for evaluation.
    ``explanation`` says why, e.g. ``{"topic": "e-commerce", "location": "Kab. Sleman",
    "places_left": 3, "score": 85, "parts": {...}}``.
    """

    # run, shop and offering are the first columns of the composite indexes below, which
    # serve their lookups; single-column indexes would only slow a run's bulk insert.
    run = models.ForeignKey(
        MatchRun,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("run"),
        db_index=False,
    )
    shop = models.ForeignKey(
        settings.SINERGI_TENANT_MODEL,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("shop"),
        db_index=False,
    )
    help_request = models.ForeignKey(
        HelpRequest,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("help request"),
    )
    application = models.ForeignKey(
        Application,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matches",
        verbose_name=_("application"),
    )
    offering = models.ForeignKey(
        Offering,
        on_delete=models.CASCADE,
        related_name="matches",
        verbose_name=_("offering"),
        db_index=False,
    )
    score = models.IntegerField(_("score"), default=0)
    explanation = models.JSONField(_("why"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=MatchStatus.choices, default=MatchStatus.PROPOSED
    )
    shop_decision = models.CharField(
        _("shop's decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    partner_decision = models.CharField(
        _("partner's decision"), max_length=8, choices=Decision.choices, default=Decision.PENDING
    )
    lottery_number = models.PositiveIntegerField(_("lottery number"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("match")
        verbose_name_plural = _("matches")
        ordering = ["-score", "id"]
        indexes = [
            models.Index(fields=["shop", "status"], name="match_shop_status"),
            models.Index(fields=["offering", "status"], name="match_offering_status"),
            models.Index(fields=["run", "status"], name="match_run_status"),
        ]

    def __str__(self) -> str:
        return f"{self.shop_id} ↔ {self.offering_id} ({self.status})"

    def reasons(self) -> list[str]:
        """The explanation as short sentences for people, e.g. "topic matches: E-commerce"."""
        why = self.explanation or {}
        lines: list[object] = []
        if why.get("topic"):
            label = dict(Topic.choices).get(why["topic"], why["topic"])
            lines.append(_("topic matches: %(topic)s") % {"topic": label})
        if why.get("location"):
            lines.append(_("location: %(place)s") % {"place": why["location"]})
        elif why.get("online"):
            lines.append(_("online, no travel needed"))
        if why.get("urgency"):
            label = dict(Urgency.choices).get(why["urgency"], why["urgency"])
            lines.append(_("urgency: %(urgency)s") % {"urgency": label})
        if why.get("preference_rank"):
            lines.append(_("your choice no. %(rank)s") % {"rank": why["preference_rank"]})
        if "places_left" in why:
            lines.append(_("places left: %(n)s") % {"n": why["places_left"]})
        if why.get("lottery"):
            lines.append(_("tie broken by lottery number %(n)s") % {"n": why["lottery"]})
        return [str(line) for line in lines]
