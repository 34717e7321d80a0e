import logging
import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from sinergi.core.periodic import periodic_jobs_run_due
from sinergi.core.taskqueue import stale_tasks_requeue

logger = logging.getLogger(__name__)
SWEEP_SECONDS = 60
# How often the scheduler looks for due periodic jobs (the shortest sensible job interval).
SCHEDULE_SECONDS = 5


def _periodic_loop(stop: threading.Event) -> None:
    """Run due periodic jobs until ``stop``; an error (even the database's) waits for the
    next round instead of ending the loop."""
    while not stop.is_set():
        try:
            periodic_jobs_run_due()
        except Exception:  # the scheduler must outlive a database hiccup
            logger.exception("periodic jobs could not be scheduled")
        finally:
            close_old_connections()
        stop.wait(SCHEDULE_SECONDS)


class Command(BaseCommand):
    help = (
        "Run a task worker, putting tasks of workers that died back in the queue and running "
        "the periodic jobs (SINERGI_PERIODIC_JOBS) when they are due."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queues", default="*")
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument(
            "--no-periodic", action="store_true", help="do not run the periodic jobs"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        stop = threading.Event()

        def sweep() -> None:
            while not stop.wait(SWEEP_SECONDS):
                try:
                    stale_tasks_requeue()
                finally:
                    close_old_connections()

        sweeper = threading.Thread(target=sweep, name="stale-task-sweeper", daemon=True)
        sweeper.start()
        if not options["no_periodic"]:
            threading.Thread(
                target=_periodic_loop, args=(stop,), name="periodic-jobs", daemon=True
            ).start()
        try:
            call_command(
                "db_worker",
                "--queue-name",
                options["queues"],
                "--interval",
                str(options["interval"]),
                verbosity=options["verbosity"],
            )
        finally:
            stop.set()
