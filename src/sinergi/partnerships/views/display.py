"""How the pages put an offering's fields into words."""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext as _

from sinergi.accounts.api import SectorFamily, SizeClass
from sinergi.core.models import Province
from sinergi.core.money import format_rupiah
from sinergi.partnerships.models import CapacityUnit, MatchRun, Mode, Offering

Fact = tuple[str | Promise, str]


def capacity_text(offering: Offering) -> str:
    if offering.capacity_unit == CapacityUnit.RUPIAH:
        total, each = format_rupiah(offering.capacity), format_rupiah(offering.per_shop)
    else:
        unit = offering.get_capacity_unit_display()
        total, each = f"{offering.capacity} {unit}", f"{offering.per_shop} {unit}"
    values = {"total": total, "each": each, "left": offering.places_left, "places": offering.places}
    if offering.per_shop == 1:
        return _("%(total)s in total, one per shop: %(left)s of %(places)s places left") % values
    return _("%(total)s in total, %(each)s per shop: %(left)s of %(places)s places left") % values


def _dates(offering: Offering) -> str:
    parts = []
    if offering.starts_on:
        start = offering.starts_on.strftime("%d-%m-%Y")
        end = offering.ends_on.strftime("%d-%m-%Y") if offering.ends_on else ""
        parts.append(f"{start} \u2013 {end}" if end else start)
    if offering.schedule:
        parts.append(offering.schedule)
    return "; ".join(parts) or _("to be agreed")


def _eligibility(offering: Offering) -> str:
    parts = []
    sectors = dict(SectorFamily.choices)
    sizes = dict(SizeClass.choices)
    if offering.eligible_sectors:
        parts.append(", ".join(str(sectors.get(s, s)) for s in offering.eligible_sectors))
    if offering.eligible_size_classes:
        parts.append(", ".join(str(sizes.get(s, s)) for s in offering.eligible_size_classes))
    if offering.eligible_provinces:
        names = dict(
            Province.objects.filter(code__in=offering.eligible_provinces).values_list(
                "code", "name"
            )
        )
        parts.append(", ".join(names.get(c, c) for c in offering.eligible_provinces))
    return "; ".join(parts) or _("every shop")


def offering_facts(offering: Offering) -> list[Fact]:
    """The offering's details as (label, text) pairs for a definition list."""
    if offering.mode == Mode.ON_SITE:
        place = ", ".join(
            str(p) for p in (offering.regency and offering.regency.name, offering.province) if p
        )
        where = f"{offering.get_mode_display()}: {place}"
    else:
        where = str(offering.get_mode_display())
    contact = " · ".join(
        p for p in (offering.contact_name, offering.contact_phone, offering.contact_email) if p
    )
    facts: list[Fact] = [
        (_("Kind"), str(offering.get_kind_display())),
        (_("Topics"), ", ".join(offering.topic_labels())),
        (_("Capacity"), capacity_text(offering)),
        (_("Where"), where),
        (_("When"), _dates(offering)),
        (_("Language"), str(offering.get_language_display())),
        (_("Who may apply"), _eligibility(offering)),
    ]
    if contact:
        facts.append((_("Contact"), contact))
    return facts


# The counts a run page shows first; everything else goes under "technical details".
_MAIN_STATS = (
    "needs",
    "offerings",
    "places",
    "eligible_pairs",
    "matched",
    "waitlisted",
    "unmatched_ineligible",
    "mean_score",
    "seconds_total",
)


def run_stats(run: MatchRun) -> tuple[list[Fact], list[Fact]]:
    """The counts a run recorded, in words: the main ones, then the technical ones."""
    labels: dict[str, str | Promise] = {
        "needs": _("Needs considered"),
        "offerings": _("Offerings"),
        "places": _("Places"),
        "eligible_pairs": _("Eligible pairs"),
        "matched": _("Matched"),
        "waitlisted": _("Waitlisted"),
        "unmatched_ineligible": _("Needs no offering fits"),
        "mean_score": _("Mean score"),
        "objective": _("Total score"),
        "seconds_total": _("Seconds"),
    }
    stats = {k: v for k, v in (run.stats or {}).items() if not isinstance(v, dict | list)}
    main: list[Fact] = [(labels[k], str(stats[k])) for k in _MAIN_STATS if k in stats]
    rest: list[Fact] = [
        (labels.get(k, k.replace("_", " ")), str(v))
        for k, v in stats.items()
        if k not in _MAIN_STATS
    ]
    return main, rest
