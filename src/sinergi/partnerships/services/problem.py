"""Between the database and the pure engine: load a run's problem in bulk, store its result.

Loading reads every open need across tenants: matching is the one channel through which a
partner meets shops it does not know, and it only ever shows the partner the resulting
matches to its own offerings.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
from django.db import connection
from django.db.models import Count, Q
from django.utils import timezone

from sinergi.accounts.api import Organisation, sector_family
from sinergi.core.models import Province, Regency
from sinergi.core.tenancy import across_tenants
from sinergi.partnerships.matching import (
    LOCATION_NAMES,
    Need,
    NeedColumns,
    Offer,
    Problem,
    Result,
    language_mask,
)
from sinergi.partnerships.models import (
    Application,
    ApplicationStatus,
    HelpRequest,
    HelpRequestStatus,
    Match,
    MatchRun,
    MatchStatus,
    Mode,
    Offering,
    OfferingStatus,
    ProgrammeOffering,
    Urgency,
)

URGENCY_LEVEL: dict[str, int] = {Urgency.LOW: 0, Urgency.MEDIUM: 1, Urgency.HIGH: 2}
BATCH = 5000


def _family(kbli_code: str) -> str:
    return str(sector_family(kbli_code)) if kbli_code else ""


def need_of(
    shop: Organisation,
    help_request: HelpRequest | None,
    *,
    topic: str = "",
    languages: Sequence[str] | None = None,
) -> Need:
    """One shop's need as the engine sees it (for single checks, e.g. an application)."""
    return Need(
        key=help_request.pk if help_request else 0,
        shop=shop.pk,
        topic=help_request.topic if help_request else topic,
        urgency=URGENCY_LEVEL.get(help_request.urgency, 1) if help_request else 1,
        province=shop.province_id or "",
        regency=shop.regency_id or "",
        sector=_family(shop.kbli_code),
        size=shop.size_class or "",
        languages=frozenset(
            (help_request.languages if help_request else None) or languages or ["id"]
        ),
        needed_by=help_request.needed_by if help_request else None,
    )


def offer_of(offering: Offering, places: int | None = None) -> Offer:
    """One offering as the engine sees it; ``places`` defaults to the places left."""
    return Offer(
        key=offering.pk,
        topics=frozenset(offering.topics),
        places=offering.places_left if places is None else places,
        online=offering.mode == Mode.ONLINE,
        province=offering.province_id or "",
        regency=offering.regency_id or "",
        language=offering.language,
        starts_on=offering.starts_on,
        ends_on=offering.ends_on,
        sectors=frozenset(offering.eligible_sectors),
        sizes=frozenset(offering.eligible_size_classes),
        provinces=frozenset(offering.eligible_provinces),
    )


@dataclass
class Loaded:
    """A run's problem plus what storing and explaining its result needs."""

    problem: Problem
    offerings: list[Offering]
    application_of: dict[tuple[int, int], int]  # (shop, offering) → application id


def offerings_in_scope(run: MatchRun) -> list[Offering]:
    """The published offerings a run matches: its programme's, or its owner's own."""
    with across_tenants(reason="a programme's offerings belong to several partners"):
        queryset = Offering.objects.filter(status=OfferingStatus.PUBLISHED)
        if run.programme_id is not None:
            queryset = queryset.filter(
                pk__in=ProgrammeOffering.objects.filter(programme_id=run.programme_id).values(
                    "offering_id"
                )
            )
        else:
            queryset = queryset.filter(organisation_id=run.organisation_id)
        return list(
            queryset.annotate(
                pending=Count(
                    "matches",
                    # A retried run does not count the proposals of its own earlier attempt.
                    filter=Q(matches__status=MatchStatus.PROPOSED) & ~Q(matches__run_id=run.pk),
                )
            ).order_by("pk")
        )


def problem_load(run: MatchRun, *, today: date | None = None) -> Loaded:
    """Read the run's problem in bulk: offerings in scope with the places left (places minus
    taken minus proposals still awaiting an answer), every open need that has no pending or
    accepted match, and the shops' applications to these offerings."""
    today = today or timezone.localdate()
    offerings = offerings_in_scope(run)
    offers = [
        offer_of(o, places=max(o.places - o.places_taken - o.pending, 0))  # type: ignore[attr-defined]
        for o in offerings
    ]
    topics = sorted({t for o in offerings for t in o.topics})
    needs = NeedColumns()
    with across_tenants(reason="matching reads every open need; partners see only matches"):
        busy = (
            Match.objects.filter(
                status__in=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED],
                help_request__isnull=False,
            )
            .exclude(run_id=run.pk)
            .values("help_request_id")
        )
        rows = (
            HelpRequest.objects.filter(status=HelpRequestStatus.OPEN, topic__in=topics)
            .exclude(pk__in=busy)
            .order_by("pk")
            .values_list(
                "pk",
                "organisation_id",
                "topic",
                "urgency",
                "languages",
                "needed_by",
                "organisation__province_id",
                "organisation__regency_id",
                "organisation__kbli_code",
                "organisation__size_class",
            )
        )
        families: dict[str, str] = {}
        for pk, shop, topic, urgency, languages, needed_by, prov, reg, kbli, size in rows.iterator(
            chunk_size=BATCH
        ):
            needs.key.append(pk)
            needs.shop.append(shop)
            needs.topic.append(topic)
            needs.urgency.append(URGENCY_LEVEL.get(urgency, 1))
            needs.province.append(prov or "")
            needs.regency.append(reg or "")
            family = families.get(kbli)
            if family is None:
                family = families[kbli] = _family(kbli)
            needs.sector.append(family)
            needs.size.append(size or "")
            needs.languages.append(language_mask(languages or ["id"]))
            needs.needed_by.append(needed_by.toordinal() if needed_by else 0)
        offering_ids = [o.pk for o in offerings]
        declined = frozenset(
            Match.objects.filter(
                status=MatchStatus.DECLINED,
                offering_id__in=offering_ids,
                help_request__isnull=False,
            ).values_list("help_request_id", "offering_id")
        )
        applications = Application.objects.filter(
            offering_id__in=offering_ids, status=ApplicationStatus.SUBMITTED
        ).values_list("pk", "organisation_id", "offering_id", "preference_rank", "partner_rank")
        preferences: dict[tuple[int, int], int | None] = {}
        priorities: dict[tuple[int, int], int] = {}
        application_of: dict[tuple[int, int], int] = {}
        for pk, shop, offering_id, rank, partner_rank in applications.iterator(chunk_size=BATCH):
            preferences[(shop, offering_id)] = rank
            application_of[(shop, offering_id)] = pk
            if partner_rank is not None:
                priorities[(offering_id, shop)] = partner_rank
    quotas: dict[str, tuple[int, int | None]] = {}
    if run.programme is not None:
        for code, bounds in (run.programme.quotas or {}).items():
            quotas[code] = (int(bounds.get("min") or 0), bounds.get("max"))
    problem = Problem(
        needs=needs,
        offers=offers,
        today=today,
        seed=run.seed,
        preferences=preferences,
        priorities=priorities,
        quotas=quotas,
        declined=declined,
    )
    return Loaded(problem=problem, offerings=offerings, application_of=application_of)


def _area_names(loaded: Loaded) -> dict[str, str]:
    codes = {o.regency_id for o in loaded.offerings if o.regency_id}
    codes |= {o.province_id for o in loaded.offerings if o.province_id}
    names = dict(Regency.objects.filter(code__in=codes).values_list("code", "name"))
    names.update(Province.objects.filter(code__in=codes).values_list("code", "name"))
    return {code: name.replace("Kabupaten ", "Kab. ") for code, name in names.items()}


def result_rows(run: MatchRun, loaded: Loaded, result: Result) -> list[tuple[object, ...]]:
    """The Match rows of a result, as tuples in ``MATCH_COLUMNS`` order: one proposed row
    per match (with its explanation), one waitlisted row per eligible unmatched need."""
    problem, offerings = loaded.problem, loaded.offerings
    needs = problem.needs
    names = _area_names(loaded)
    now = timezone.now()
    arcs = result.arcs
    owner = [o.organisation_id for o in offerings]
    auto = ["accepted" if o.auto_accept else "pending" for o in offerings]
    urgency_names = ["low", "medium", "high"]
    rows: list[tuple[object, ...]] = []
    for a in result.matched.tolist():
        i, j = int(arcs.need[a]), int(arcs.offer[a])
        offering = offerings[j]
        shop = needs.shop[i]
        location = LOCATION_NAMES[int(arcs.location[a])]
        rank = int(arcs.preference[a])
        why: dict[str, object] = {
            "topic": needs.topic[i],
            "urgency": urgency_names[needs.urgency[i]],
            "places_left": int(result.places_left[j]),
            "score": int(arcs.score[a]),
            "lottery": int(result.lottery[i]),
        }
        if location == "online":
            why["online"] = True
        else:
            code = offering.regency_id if location == "regency" else offering.province_id
            why["location"] = names.get(code or "", code or "")
        if rank:
            why["preference_rank"] = rank if rank > 0 else None
            why["applied"] = True
        rows.append(
            (
                offering.organisation_id,
                run.pk,
                shop,
                needs.key[i],
                loaded.application_of.get((shop, offering.pk)),
                offering.pk,
                int(arcs.score[a]),
                why,
                MatchStatus.PROPOSED,
                "pending",
                auto[j],
                int(result.lottery[i]),
                "",
                now,
            )
        )
    for i, j in zip(result.waitlist_need.tolist(), result.waitlist_offer.tolist(), strict=True):
        offering = offerings[j]
        shop = needs.shop[i]
        rows.append(
            (
                owner[j],
                run.pk,
                shop,
                needs.key[i],
                loaded.application_of.get((shop, offering.pk)),
                offering.pk,
                0,
                {"topic": needs.topic[i], "waitlist": True, "lottery": int(result.lottery[i])},
                MatchStatus.WAITLISTED,
                "pending",
                "pending",
                int(result.lottery[i]),
                "",
                now,
            )
        )
    return rows


MATCH_COLUMNS = (
    "organisation_id",
    "run_id",
    "shop_id",
    "help_request_id",
    "application_id",
    "offering_id",
    "score",
    "explanation",
    "status",
    "shop_decision",
    "partner_decision",
    "lottery_number",
    "decline_reason",
    "created_at",
)


def _copy_text(value: object) -> str:
    """One value in COPY's text format (NULL is \\N; backslash, tab and newline escaped)."""
    if value is None:
        return "\\N"
    if isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    elif isinstance(value, datetime):
        value = value.isoformat()
    text = str(value)
    if "\\" in text or "\t" in text or "\n" in text or "\r" in text:
        text = (
            text.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return text


def _copy_line(row: tuple[object, ...]) -> str:
    return "\t".join(map(_copy_text, row)) + "\n"


def matches_store(rows: list[tuple[object, ...]]) -> int:
    """Insert Match rows in bulk: COPY on PostgreSQL, batched bulk_create elsewhere.

    Runs inside the caller's transaction, so a run's rows appear all at once or not at all.
    """
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        table = Match._meta.db_table
        columns = ", ".join(f'"{name}"' for name in MATCH_COLUMNS)
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor, for COPY
            with raw.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
                for start in range(0, len(rows), BATCH):
                    copy.write("".join(_copy_line(row) for row in rows[start : start + BATCH]))
        return len(rows)
    objects = [Match(**dict(zip(MATCH_COLUMNS, row, strict=True))) for row in rows]
    with across_tenants(reason="a run stores matches for the partners of its offerings"):
        Match.objects.bulk_create(objects, batch_size=BATCH)
    return len(rows)


def stats_of(result: Result, loaded: Loaded) -> dict[str, object]:
    """Counts for the run page and the audit: sizes, matches, waitlist, objective."""
    return {
        "needs": len(loaded.problem.needs),
        "offerings": len(loaded.offerings),
        "places": int(sum(o.places for o in loaded.problem.offers)),
        "matched": len(result.matched),
        "waitlisted": len(result.waitlist_need),
        "unmatched_ineligible": len(loaded.problem.needs)
        - len(result.matched)
        - len(result.waitlist_need),
        "objective": result.objective,
        "mean_score": round(float(np.mean(result.arcs.score[result.matched])), 2)
        if len(result.matched)
        else 0,
        **result.stats,
    }
