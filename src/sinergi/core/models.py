"""Reference data shared by every app: Indonesia's provinces and regencies."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeZoneBand(models.TextChoices):
    """Indonesia's three civil time zones."""

    WIB = "Asia/Jakarta", "WIB"
    WITA = "Asia/Makassar", "WITA"
    WIT = "Asia/Jayapura", "WIT"


class Province(models.Model):
    """A province, keyed by its code in the Ministry of Home Affairs' regulation (e.g. "34")."""

    code = models.CharField(_("code"), max_length=2, primary_key=True)
    name = models.CharField(_("name"), max_length=80)
    time_zone = models.CharField(_("time zone"), max_length=20, choices=TimeZoneBand.choices)

    class Meta:
        ordering = ["code"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class Regency(models.Model):
    """A regency (kabupaten) or city (kota), keyed by its code (e.g. "34.04")."""

    code = models.CharField(_("code"), max_length=5, primary_key=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("province")
    )
    name = models.CharField(_("name"), max_length=80)

    class Meta:
        ordering = ["code"]
        verbose_name = _("regency or city")
        verbose_name_plural = _("regencies and cities")

    def __str__(self) -> str:
        return self.name

    @property
    def short_name(self) -> str:
        """ "Sleman" for "Kabupaten Sleman", "Kota Yogyakarta" stays as it is."""
        return self.name.removeprefix("Kabupaten ")


class PeriodicJob(models.Model):
    """One job of ``SINERGI_PERIODIC_JOBS`` and when it is next due.

    Every worker's scheduler claims a due job by moving ``next_run_at`` on with a conditional
    UPDATE (``… WHERE next_run_at <= now``): of several workers looking at the same interval,
    exactly one updates the row, and only that one runs the job (see ``core.periodic``).
    """

    name = models.CharField(_("job"), max_length=200, unique=True)
    next_run_at = models.DateTimeField(_("next run"))
    last_started_at = models.DateTimeField(_("last started"), null=True, blank=True)
    last_finished_at = models.DateTimeField(_("last finished"), null=True, blank=True)
    last_error = models.CharField(_("last error"), max_length=500, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("periodic job")
        verbose_name_plural = _("periodic jobs")

    def __str__(self) -> str:
        return self.name
