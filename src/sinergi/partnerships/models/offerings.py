"""What partners offer to shops: courses, internships, mentoring, grants and more."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sinergi.core.models import Province, Regency
from sinergi.core.tenancy import TenantModel
from sinergi.partnerships.models.taxonomy import Language, Topic


class OfferingKind(models.TextChoices):
    COURSE = "course", _("Training course")
    WORKSHOP = "workshop", _("Workshop")
    SEMINAR = "seminar", _("Seminar")
    INTERNSHIP = "internship", _("Student internship")
    MENTORING = "mentoring", _("Mentoring")
    TECHNICAL_SUPPORT = "technical_support", _("Technical support")
    GRANT = "grant", _("Grant or funding")
    INFRASTRUCTURE = "infrastructure", _("Infrastructure (connectivity, devices)")


class CapacityUnit(models.TextChoices):
    """What an offering's capacity counts."""

    SEATS = "seats", _("seats")
    HOURS = "hours", _("hours")
    TEAMS = "teams", _("student teams")
    RUPIAH = "rupiah", _("rupiah")


class Mode(models.TextChoices):
    ONLINE = "online", _("Online")
    ON_SITE = "on_site", _("On site")


class OfferingStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PUBLISHED = "published", _("Published")
    CLOSED = "closed", _("Closed")


class Offering(TenantModel):
    """An offering a partner organisation (the tenant) makes to shops.

    Capacity is ``capacity`` units (seats, hours, student teams or rupiah); each shop served
    uses ``per_shop`` units, so the offering serves ``places = capacity // per_shop`` shops.
    ``places_taken`` counts accepted matches; it only moves through a conditional UPDATE
    (see ``match_accept``) so it never exceeds ``places``, whatever the interleaving.
    Eligibility lists are empty for "anyone": ``eligible_sectors`` holds sector families
    (``SectorFamily`` values), ``eligible_size_classes`` size classes and
    ``eligible_provinces`` province codes. On-site offerings only reach shops of their
    province.
    """

    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    kind = models.CharField(_("kind"), max_length=20, choices=OfferingKind.choices)
    topics = models.JSONField(
        _("topics"), default=list, help_text=_("Codes of the shared topic taxonomy.")
    )
    capacity = models.PositiveBigIntegerField(_("capacity"))
    capacity_unit = models.CharField(
        _("capacity unit"), max_length=10, choices=CapacityUnit.choices, default=CapacityUnit.SEATS
    )
    per_shop = models.PositiveBigIntegerField(
        _("units per shop"),
        default=1,
        help_text=_("How much of the capacity one shop uses, e.g. 4 hours or Rp 5.000.000."),
    )
    places_taken = models.PositiveIntegerField(_("places taken"), default=0, editable=False)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.ONLINE)
    province = models.ForeignKey(
        Province,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province"),
    )
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("regency or city"),
    )
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    schedule = models.CharField(_("schedule"), max_length=200, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.INDONESIAN
    )
    eligible_sectors = models.JSONField(_("eligible sectors"), default=list, blank=True)
    eligible_size_classes = models.JSONField(_("eligible size classes"), default=list, blank=True)
    eligible_provinces = models.JSONField(_("eligible provinces"), default=list, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    auto_accept = models.BooleanField(
        _("accept matches automatically"),
        default=True,
        help_text=_("Matched shops only need to accept; otherwise you confirm each match."),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=OfferingStatus.choices, default=OfferingStatus.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        verbose_name = _("offering")
        verbose_name_plural = _("offerings")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(per_shop__gte=1), name="offering_per_shop_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(mode="online") | models.Q(province__isnull=False),
                name="offering_on_site_has_province",
            ),
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(starts_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="offering_dates_ordered",
            ),
            models.CheckConstraint(
                condition=models.Q(places_taken__lte=models.F("capacity") / models.F("per_shop")),
                name="offering_places_taken_within_capacity",
            ),
        ]
        indexes = [models.Index(fields=["status", "mode", "province"], name="offering_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def places(self) -> int:
        """How many shops this offering can serve."""
        return int(self.capacity // self.per_shop)

    @property
    def places_left(self) -> int:
        return max(self.places - self.places_taken, 0)

    def topic_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels[code]) for code in self.topics if code in labels]

    @property
    def is_published(self) -> bool:
        return self.status == OfferingStatus.PUBLISHED
