"""Programmes: cohorts of offerings with quotas and an application window."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from sinergi.accounts.api import Organisation, OrganisationKind, User
from sinergi.core.models import Province
from sinergi.core.tenancy import tenant_context
from sinergi.partnerships.models import (
    Offering,
    OfferingStatus,
    Programme,
    ProgrammeOffering,
    ProgrammeStatus,
)
from sinergi.partnerships.services.errors import PartnershipsError

PROGRAMME_KINDS = frozenset({OrganisationKind.GOVERNMENT, OrganisationKind.ACADEMIA})


def quotas_clean(quotas: Any) -> dict[str, dict[str, int]]:
    """Check ``{"34": {"min": 5, "max": 40}}``: known provinces, whole numbers, min ≤ max."""
    if not quotas:
        return {}
    if not isinstance(quotas, dict):
        raise PartnershipsError(_("Quotas are a list of provinces with bounds."), field="quotas")
    known = set(Province.objects.values_list("code", flat=True))
    clean: dict[str, dict[str, int]] = {}
    for code, given in quotas.items():
        if code not in known:
            raise PartnershipsError(
                _("Unknown province code %(code)s in the quotas.") % {"code": code},
                field="quotas",
            )
        bounds = given if isinstance(given, dict) else {"max": given}
        entry: dict[str, int] = {}
        for name in ("min", "max"):
            value = bounds.get(name)
            if value in (None, ""):
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PartnershipsError(
                    _("Quota %(name)s for province %(code)s must be a whole number ≥ 0.")
                    % {"name": name, "code": code},
                    field="quotas",
                )
            entry[name] = value
        if "min" in entry and "max" in entry and entry["min"] > entry["max"]:
            raise PartnershipsError(
                _("Province %(code)s: the minimum is above the maximum.") % {"code": code},
                field="quotas",
            )
        if entry:
            clean[code] = entry
    return clean


def _window(opens: datetime | None, closes: datetime | None) -> None:
    if opens and closes and closes <= opens:
        raise PartnershipsError(
            _("Applications must close after they open."), field="applications_close_at"
        )


@transaction.atomic
def programme_create(
    *,
    organisation: Organisation,
    name: str,
    created_by: User | None = None,
    description: str = "",
    quotas: dict[str, Any] | None = None,
    applications_open_at: datetime | None = None,
    applications_close_at: datetime | None = None,
) -> Programme:
    """A government agency or university creates a draft programme."""
    if organisation.kind not in PROGRAMME_KINDS:
        raise PartnershipsError(_("Programmes are run by government agencies and universities."))
    if not name.strip():
        raise PartnershipsError(_("Give the programme a name."), field="name")
    _window(applications_open_at, applications_close_at)
    with tenant_context(organisation.pk):
        return Programme.objects.create(
            organisation=organisation,
            name=name.strip(),
            description=description.strip(),
            quotas=quotas_clean(quotas),
            applications_open_at=applications_open_at,
            applications_close_at=applications_close_at,
            created_by=created_by,
        )


@transaction.atomic
def programme_update(*, programme: Programme, **fields: Any) -> Programme:
    """Change name, description, quotas or the application window."""
    allowed = {"name", "description", "quotas", "applications_open_at", "applications_close_at"}
    if set(fields) - allowed:
        raise PartnershipsError(
            _("These fields cannot be changed: %s") % ", ".join(set(fields) - allowed)
        )
    if "quotas" in fields:
        fields["quotas"] = quotas_clean(fields["quotas"])
    for name, value in fields.items():
        setattr(programme, name, value)
    _window(programme.applications_open_at, programme.applications_close_at)
    programme.save(update_fields=list(fields))
    return programme


@transaction.atomic
def programme_status_set(*, programme: Programme, status: str) -> Programme:
    """Move a programme along draft → open → selecting → running → closed."""
    if status not in ProgrammeStatus.values:
        raise PartnershipsError(_("Unknown status."), field="status")
    with tenant_context(programme.organisation_id):
        has_offerings = programme.links.exists()
    if status != ProgrammeStatus.DRAFT and not has_offerings:
        raise PartnershipsError(_("Add at least one offering first."))
    programme.status = status
    programme.save(update_fields=["status"])
    return programme


@transaction.atomic
def programme_offering_add(*, programme: Programme, offering: Offering) -> ProgrammeOffering:
    """Include a published offering (of any partner) in the programme."""
    if programme.status == ProgrammeStatus.CLOSED:
        raise PartnershipsError(_("This programme is closed."))
    if offering.status != OfferingStatus.PUBLISHED:
        raise PartnershipsError(_("Only published offerings can join a programme."))
    with tenant_context(programme.organisation_id):
        link, _created = ProgrammeOffering.objects.get_or_create(
            organisation_id=programme.organisation_id, programme=programme, offering=offering
        )
    return link


@transaction.atomic
def programme_offering_remove(*, programme: Programme, offering: Offering) -> None:
    """Take an offering out of the programme (matches already made stay)."""
    with tenant_context(programme.organisation_id):
        ProgrammeOffering.objects.filter(programme=programme, offering=offering).delete()
