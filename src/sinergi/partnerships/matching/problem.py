"""The matching problem as plain data: shops' needs, partners' offers, both sides' preferences.

Pure Python (no Django): the services load a problem from the database, the tests build one
by hand. Needs are held column by column (``NeedColumns``) because national runs have
hundreds of thousands of them; ``Need`` rows are the convenient form for small problems.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

# Points that make up a match's score (the objective maximises their sum).
TOPIC_POINTS = 40
URGENCY_POINTS = (0, 10, 20)  # low, medium, high
LOCATION_POINTS = {"regency": 15, "province": 8, "online": 5}
APPLIED_POINTS = 10  # applied without a rank
FIRST_CHOICE_POINTS = 30  # rank 1; each further rank 5 fewer, never below APPLIED_POINTS

LANGUAGE_BITS = {"id": 1, "en": 2}
NO_DATE = 0  # "no deadline" / "no start date" as a day ordinal


def preference_points(rank: int | None) -> int:
    """Points for a shop's application: rank 1 → 30, rank 2 → 25 … never below 10."""
    if rank is None:
        return APPLIED_POINTS
    return max(FIRST_CHOICE_POINTS - 5 * (rank - 1), APPLIED_POINTS)


@dataclass(frozen=True)
class Need:
    """One shop's need (an open help request).

    ``urgency`` is 0 (low), 1 (medium) or 2 (high); ``sector`` a sector family; ``size`` a
    size class; empty strings mean unknown (and then only offerings open to anyone fit).
    """

    key: int
    shop: int
    topic: str
    urgency: int = 1
    province: str = ""
    regency: str = ""
    sector: str = ""
    size: str = ""
    languages: frozenset[str] = frozenset({"id"})
    needed_by: date | None = None


@dataclass(frozen=True)
class Offer:
    """One offering with the places left for this run; empty eligibility sets mean anyone."""

    key: int
    topics: frozenset[str]
    places: int
    online: bool = True
    province: str = ""
    regency: str = ""
    language: str = "id"
    starts_on: date | None = None
    ends_on: date | None = None
    sectors: frozenset[str] = frozenset()
    sizes: frozenset[str] = frozenset()
    provinces: frozenset[str] = frozenset()


@dataclass
class NeedColumns:
    """Needs column by column (index i is one need). Dates are day ordinals, 0 for none."""

    key: list[int] = field(default_factory=list)
    shop: list[int] = field(default_factory=list)
    topic: list[str] = field(default_factory=list)
    urgency: list[int] = field(default_factory=list)
    province: list[str] = field(default_factory=list)
    regency: list[str] = field(default_factory=list)
    sector: list[str] = field(default_factory=list)
    size: list[str] = field(default_factory=list)
    languages: list[int] = field(default_factory=list)  # bit mask of LANGUAGE_BITS
    needed_by: list[int] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.key)

    @classmethod
    def from_needs(cls, needs: Iterable[Need]) -> NeedColumns:
        columns = cls()
        for need in needs:
            columns.key.append(need.key)
            columns.shop.append(need.shop)
            columns.topic.append(need.topic)
            columns.urgency.append(need.urgency)
            columns.province.append(need.province)
            columns.regency.append(need.regency)
            columns.sector.append(need.sector)
            columns.size.append(need.size)
            columns.languages.append(language_mask(need.languages))
            columns.needed_by.append(need.needed_by.toordinal() if need.needed_by else NO_DATE)
        return columns

    def need(self, i: int) -> Need:
        """Row ``i`` as a Need (for explanations and checks, not for bulk work)."""
        return Need(
            key=self.key[i],
            shop=self.shop[i],
            topic=self.topic[i],
            urgency=self.urgency[i],
            province=self.province[i],
            regency=self.regency[i],
            sector=self.sector[i],
            size=self.size[i],
            languages=frozenset(
                code for code, bit in LANGUAGE_BITS.items() if self.languages[i] & bit
            ),
            needed_by=date.fromordinal(self.needed_by[i]) if self.needed_by[i] else None,
        )


def language_mask(languages: Iterable[str]) -> int:
    mask = 0
    for code in languages:
        mask |= LANGUAGE_BITS.get(code, 0)
    return mask


@dataclass
class Problem:
    """Everything a run decides on.

    ``preferences`` maps (shop, offer key) to the shop's rank for that offering (None when
    it applied without ranking). ``priorities`` maps (offer key, shop) to the partner's rank
    of that shop (stable mode). ``quotas`` maps a province code to (minimum, maximum) shops
    of that province to place (maximum None for no upper bound). ``seed`` drives the lottery.
    ``declined`` holds (need key, offer key) pairs one side already declined: never again.
    """

    needs: NeedColumns
    offers: Sequence[Offer]
    today: date
    seed: int
    preferences: Mapping[tuple[int, int], int | None] = field(default_factory=dict)
    priorities: Mapping[tuple[int, int], int] = field(default_factory=dict)
    quotas: Mapping[str, tuple[int, int | None]] = field(default_factory=dict)
    declined: frozenset[tuple[int, int]] = frozenset()


def ineligibility(need: Need, offer: Offer, today: date) -> str | None:  # noqa: PLR0911 (one return per rule reads as the list of rules)
    """Why ``need`` cannot be matched with ``offer`` (a short code), or None if it can.

    The hard filters, one pair at a time; the bulk engine applies the same rules to arrays.
    """
    if offer.places <= 0:
        return "full"
    if need.topic not in offer.topics:
        return "topic"
    if offer.ends_on is not None and offer.ends_on < today:
        return "ended"
    if need.needed_by and offer.starts_on and offer.starts_on > need.needed_by:
        return "dates"
    if offer.language not in need.languages:
        return "language"
    if offer.sectors and need.sector not in offer.sectors:
        return "sector"
    if offer.sizes and need.size not in offer.sizes:
        return "size"
    if offer.provinces and need.province not in offer.provinces:
        return "region"
    if not offer.online and (not need.province or need.province != offer.province):
        return "location"
    return None


def location_kind(need: Need, offer: Offer) -> str:
    """ "online", "regency" (on site in the shop's regency) or "province"."""
    if offer.online:
        return "online"
    if need.regency and need.regency == offer.regency:
        return "regency"
    return "province"


def pair_score(need: Need, offer: Offer, preference: int | None, applied: bool) -> int:
    """The score of an eligible pair: topic + urgency + location + the shop's preference."""
    score = (
        TOPIC_POINTS + URGENCY_POINTS[need.urgency] + LOCATION_POINTS[location_kind(need, offer)]
    )
    if applied:
        score += preference_points(preference)
    return score
