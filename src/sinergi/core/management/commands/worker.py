import threading
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import close_old_connections

from sinergi.core.taskqueue import stale_tasks_requeue

SWEEP_SECONDS = 60


class Command(BaseCommand):
    help = "Run a task worker, putting tasks of workers that died back in the queue."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--queues", default="*")
        parser.add_argument("--interval", type=float, default=1.0)

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
