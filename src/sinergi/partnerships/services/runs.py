"""Match runs: start one (queued as a background task), and the task's body."""

from __future__ import annotations

import logging
import secrets
import time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.api import PARTNER_KINDS, Organisation, User
from sinergi.core.tenancy import across_tenants, tenant_context
from sinergi.partnerships.matching import MatchingError, solve
from sinergi.partnerships.models import (
    Match,
    MatchRun,
    MatchRunStatus,
    Objective,
    Programme,
    ProgrammeStatus,
)
from sinergi.partnerships.services.errors import PartnershipsError
from sinergi.partnerships.services.problem import (
    matches_store,
    problem_load,
    result_rows,
    stats_of,
)

logger = logging.getLogger(__name__)


@transaction.atomic
def match_run_start(
    *,
    organisation: Organisation,
    created_by: User | None = None,
    programme: Programme | None = None,
    objective: str = Objective.OPTIMAL,
    seed: int | None = None,
) -> MatchRun:
    """Queue a batch match over all open needs and the offerings in scope.

    Scope: the programme's offerings (the caller owns the programme) or, without one, the
    organisation's own published offerings. The seed (random unless given) is stored so the
    lottery can be reproduced. The task is enqueued once the run is committed.
    """
    if organisation.kind not in PARTNER_KINDS:
        raise PartnershipsError(_("Only partners and programme owners run matches."))
    if objective not in Objective.values:
        raise PartnershipsError(_("Choose how to match."), field="objective")
    if programme is not None:
        if programme.organisation_id != organisation.pk:
            raise PartnershipsError(_("You can only match your own programmes."))
        if programme.status in {ProgrammeStatus.DRAFT, ProgrammeStatus.CLOSED}:
            raise PartnershipsError(_("Open the programme before selecting participants."))
        if programme.quotas and objective == Objective.STABLE:
            raise PartnershipsError(
                _("Quotas per province need the best-total-fit objective."), field="objective"
            )
    with tenant_context(organisation.pk):
        if MatchRun.objects.filter(
            programme=programme, status__in=[MatchRunStatus.QUEUED, MatchRunStatus.RUNNING]
        ).exists():
            raise PartnershipsError(_("A match is already running; wait for it to finish."))
        run = MatchRun.objects.create(
            organisation=organisation,
            programme=programme,
            objective=objective,
            seed=secrets.randbelow(2**31) if seed is None else seed,
            created_by=created_by,
        )
    from sinergi.partnerships.tasks import match_run_task  # noqa: PLC0415  (tasks import services)

    transaction.on_commit(
        lambda: match_run_task.enqueue(run_id=run.pk, organisation_id=organisation.pk)
    )
    return run


def _progress(run: MatchRun, progress: int, stage: str, **fields: object) -> None:
    """Record progress in its own short transaction so the run page can show it."""
    run.progress, run.stage = progress, stage
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["progress", "stage", *fields])


def match_run_execute(*, run_id: int, organisation_id: int) -> MatchRun:
    """The task body: load the problem in bulk, solve, store matches in bulk.

    Idempotent: a run already done is left alone, and a run retried after a crash first
    removes any rows of its earlier attempt, in the same transaction as the new rows.
    """
    with tenant_context(organisation_id):
        run = MatchRun.objects.select_related("programme").get(pk=run_id)
    if run.status == MatchRunStatus.DONE:
        return run
    started = time.perf_counter()
    _progress(run, 5, "loading", status=MatchRunStatus.RUNNING, started_at=timezone.now())
    try:
        loaded = problem_load(run)
        loaded_at = time.perf_counter()
        _progress(run, 30, "solving")
        result = solve(loaded.problem, run.objective)
        solved_at = time.perf_counter()
        _progress(run, 70, "storing")
        rows = result_rows(run, loaded, result)
        with transaction.atomic():
            with across_tenants(reason="a retried run removes the rows of its earlier attempt"):
                Match.objects.filter(run_id=run.pk).delete()
            matches_store(rows)
            stored_at = time.perf_counter()
            stats = stats_of(result, loaded)
            stats.update(
                seconds_load=round(loaded_at - started, 3),
                seconds_solve_total=round(solved_at - loaded_at, 3),
                seconds_store=round(stored_at - solved_at, 3),
                seconds_total=round(stored_at - started, 3),
            )
            _progress(
                run,
                100,
                "done",
                status=MatchRunStatus.DONE,
                stats=stats,
                finished_at=timezone.now(),
            )
    except MatchingError as error:
        logger.warning("match run %s failed: %s", run.pk, error)
        _progress(
            run,
            100,
            "failed",
            status=MatchRunStatus.FAILED,
            error=str(error),
            finished_at=timezone.now(),
        )
    return run
