"""Background work of the partnership hub."""

from django_tasks import task

from sinergi.partnerships.services.runs import match_run_execute


@task()
def match_run_task(*, run_id: int, organisation_id: int) -> None:
    """Run a batch match (idempotent: safe to run again after a crash)."""
    match_run_execute(run_id=run_id, organisation_id=organisation_id)
