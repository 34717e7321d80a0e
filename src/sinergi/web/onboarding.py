"""The "what to do next" list on a workspace home, computed from what the organisation has."""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from sinergi.accounts.api import Membership


@dataclass(frozen=True)
class Step:
    title: str | Promise
    hint: str | Promise
    url: str
    done: bool


def next_steps(membership: Membership) -> list[Step]:
    organisation = membership.organisation
    located = bool(organisation.province_id and organisation.regency_id)
    steps = [
        Step(
            _("Say where you are"),
            _("Province and regency let partners nearby find you."),
            reverse("accounts:organisation_edit"),
            located,
        ),
        Step(
            _("Describe your organisation"),
            _("A short description and a contact number build trust."),
            reverse("accounts:organisation_edit"),
            bool(organisation.description and organisation.phone),
        ),
        Step(
            _("Invite your team"),
            _("Staff get their own sign-in; you decide their role."),
            reverse("accounts:team"),
            organisation.memberships.count() > 1,
        ),
    ]
    if organisation.is_shop:
        steps.insert(
            1,
            Step(
                _("Name your sector and channels"),
                _("Your KBLI code and where you sell shape the help you are offered."),
                reverse("accounts:organisation_edit"),
                bool(organisation.kbli_code and organisation.sales_channels),
            ),
        )
    if not membership.can_manage:
        steps = [step for step in steps if step.done or step.url == reverse("accounts:team")]
    return steps
