"""Background work of the commerce domain: import jobs (queue "imports").

Tasks take ids, enter the shop's tenant context through the services, and are idempotent:
a task run twice (the queue re-runs tasks whose worker died) finds the job already past the
step and returns.
"""

from django_tasks import task

from sinergi.commerce.imports import jobs


@task(queue_name="imports")
def import_job_check_task(*, job_id: int, organisation_id: int) -> None:
    """Read an uploaded file and write its preview."""
    jobs.import_job_check(job_id=job_id, organisation_id=organisation_id)


@task(queue_name="imports")
def import_job_apply_task(*, job_id: int, organisation_id: int) -> None:
    """Apply a confirmed import."""
    jobs.import_job_apply(job_id=job_id, organisation_id=organisation_id)
