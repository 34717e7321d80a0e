"""Writes on offerings: create, edit, publish, close."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from sinergi.accounts.api import PARTNER_KINDS, Organisation, SectorFamily, SizeClass, User
from sinergi.core.models import Province, Regency
from sinergi.core.tenancy import tenant_context
from sinergi.partnerships.models import (
    CapacityUnit,
    Language,
    Mode,
    Offering,
    OfferingKind,
    OfferingStatus,
    Topic,
)
from sinergi.partnerships.services.errors import PartnershipsError

EDITABLE_FIELDS = (
    "title",
    "description",
    "kind",
    "topics",
    "capacity",
    "capacity_unit",
    "per_shop",
    "mode",
    "province",
    "regency",
    "starts_on",
    "ends_on",
    "schedule",
    "language",
    "eligible_sectors",
    "eligible_size_classes",
    "eligible_provinces",
    "contact_name",
    "contact_email",
    "contact_phone",
    "auto_accept",
)


def _choices(values: Any, allowed: list[str], field: str, what: str) -> list[str]:
    values = list(dict.fromkeys(values or ()))
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise PartnershipsError(
            _("Unknown %(what)s: %(values)s.") % {"what": what, "values": ", ".join(unknown)},
            field=field,
        )
    return values


def _validate(offering: Offering) -> None:
    """Check one offering's fields; raises PartnershipsError naming the field."""
    _validate_basics(offering)
    _validate_place(offering)
    offering.eligible_sectors = _choices(
        offering.eligible_sectors, SectorFamily.values, "eligible_sectors", _("sector")
    )
    offering.eligible_size_classes = _choices(
        offering.eligible_size_classes, SizeClass.values, "eligible_size_classes", _("size class")
    )
    provinces = list(Province.objects.values_list("code", flat=True))
    offering.eligible_provinces = _choices(
        offering.eligible_provinces, provinces, "eligible_provinces", _("province")
    )


def _validate_basics(offering: Offering) -> None:
    if not offering.title.strip():
        raise PartnershipsError(_("Give the offering a title."), field="title")
    if offering.kind not in OfferingKind.values:
        raise PartnershipsError(_("Choose what kind of offering this is."), field="kind")
    offering.topics = _choices(offering.topics, Topic.values, "topics", _("topic"))
    if not offering.topics:
        raise PartnershipsError(_("Choose at least one topic."), field="topics")
    if offering.capacity_unit not in CapacityUnit.values:
        raise PartnershipsError(_("Choose a capacity unit."), field="capacity_unit")
    if offering.per_shop < 1:
        raise PartnershipsError(_("Each shop uses at least one unit."), field="per_shop")
    if offering.capacity < offering.per_shop:
        raise PartnershipsError(_("The capacity must cover at least one shop."), field="capacity")
    if offering.places < offering.places_taken:
        raise PartnershipsError(
            ngettext(
                "%(n)s place is already taken; the capacity cannot go below that.",
                "%(n)s places are already taken; the capacity cannot go below that.",
                offering.places_taken,
            )
            % {"n": offering.places_taken},
            field="capacity",
        )
    if offering.language not in Language.values:
        raise PartnershipsError(_("Choose a language."), field="language")


def _validate_place(offering: Offering) -> None:
    if offering.mode not in Mode.values:
        raise PartnershipsError(_("Choose online or on site."), field="mode")
    if offering.mode == Mode.ON_SITE and offering.province_id is None:
        raise PartnershipsError(_("An on-site offering needs a province."), field="province")
    if offering.regency_id and offering.province_id is None:
        offering.province_id = Regency.objects.get(pk=offering.regency_id).province_id
    if offering.regency_id and not offering.regency_id.startswith(f"{offering.province_id}."):
        raise PartnershipsError(_("That regency is not in the chosen province."), field="regency")
    if offering.starts_on and offering.ends_on and offering.ends_on < offering.starts_on:
        raise PartnershipsError(_("The end date is before the start date."), field="ends_on")


def _area_ids(fields: dict[str, Any]) -> dict[str, Any]:
    """Accept Province/Regency objects or codes for ``province`` and ``regency``."""
    for name in ("province", "regency"):
        if name in fields:
            value = fields.pop(name)
            fields[f"{name}_id"] = value.pk if isinstance(value, Province | Regency) else value
            fields[f"{name}_id"] = fields[f"{name}_id"] or None
    return fields


@transaction.atomic
def offering_create(
    *,
    organisation: Organisation,
    title: str,
    kind: str,
    topics: list[str],
    capacity: int,
    created_by: User | None = None,
    capacity_unit: str = CapacityUnit.SEATS,
    per_shop: int = 1,
    mode: str = Mode.ONLINE,
    province: Province | str | None = None,
    regency: Regency | str | None = None,
    starts_on: date | None = None,
    ends_on: date | None = None,
    schedule: str = "",
    language: str = Language.INDONESIAN,
    eligible_sectors: list[str] | None = None,
    eligible_size_classes: list[str] | None = None,
    eligible_provinces: list[str] | None = None,
    contact_name: str = "",
    contact_email: str = "",
    contact_phone: str = "",
    description: str = "",
    auto_accept: bool = True,
) -> Offering:
    """Create a draft offering of a partner organisation (industry, academia, government)."""
    if organisation.kind not in PARTNER_KINDS:
        raise PartnershipsError(_("Only partner organisations make offerings."))
    fields = _area_ids({"province": province, "regency": regency})
    offering = Offering(
        organisation=organisation,
        title=title.strip(),
        kind=kind,
        topics=list(topics),
        capacity=capacity,
        capacity_unit=capacity_unit,
        per_shop=per_shop,
        mode=mode,
        starts_on=starts_on,
        ends_on=ends_on,
        schedule=schedule,
        language=language,
        eligible_sectors=list(eligible_sectors or []),
        eligible_size_classes=list(eligible_size_classes or []),
        eligible_provinces=list(eligible_provinces or []),
        contact_name=contact_name,
        contact_email=contact_email,
        contact_phone=contact_phone,
        description=description,
        auto_accept=auto_accept,
        created_by=created_by,
        **fields,
    )
    _validate(offering)
    with tenant_context(organisation.pk):
        offering.save()
    return offering


@transaction.atomic
def offering_update(*, offering: Offering, **fields: Any) -> Offering:
    """Change the editable fields of an offering that is not closed."""
    if offering.status == OfferingStatus.CLOSED:
        raise PartnershipsError(_("A closed offering cannot be changed."))
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise PartnershipsError(_("These fields cannot be changed: %s") % ", ".join(unknown))
    fields = _area_ids(fields)
    for name, value in fields.items():
        setattr(offering, name, value)
    _validate(offering)
    cleaned = {"topics", "province_id", "eligible_sectors", "eligible_size_classes"}
    offering.save(update_fields={*fields, *cleaned, "eligible_provinces"})
    return offering


@transaction.atomic
def offering_publish(*, offering: Offering) -> Offering:
    """Publish a draft: shops can find it and matching runs include it.

    The platform verifies partners first (``Organisation.is_verified``)."""
    if offering.status == OfferingStatus.PUBLISHED:
        return offering
    if offering.status == OfferingStatus.CLOSED:
        raise PartnershipsError(_("A closed offering cannot be published again."))
    if not offering.organisation.is_verified:
        raise PartnershipsError(
            _("Your organisation must be verified by the platform before it publishes.")
        )
    _validate(offering)
    if offering.ends_on and offering.ends_on < timezone.localdate():
        raise PartnershipsError(_("This offering has already ended."), field="ends_on")
    offering.status = OfferingStatus.PUBLISHED
    offering.published_at = timezone.now()
    offering.save(update_fields=["status", "published_at"])
    return offering


@transaction.atomic
def offering_close(*, offering: Offering) -> Offering:
    """Close an offering: no new applications or matches; accepted matches go on."""
    if offering.status == OfferingStatus.CLOSED:
        return offering
    offering.status = OfferingStatus.CLOSED
    offering.closed_at = timezone.now()
    offering.save(update_fields=["status", "closed_at"])
    return offering
