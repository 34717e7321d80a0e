"""Queue what is due: publish steps whose time has come, and (with --metrics) metric syncs.

Publish steps are queued with a deferred start when a post is scheduled; this command is the
safety net that re-derives due work from the posts themselves (a lost enqueue, a backend that
cannot defer). ``sinergi worker`` runs the same jobs itself (``SINERGI_PERIODIC_JOBS``, see
docs/adr/0002-task-queue.md); this command is for installations that prefer cron or a systemd
timer: every minute, and with --metrics a few times a day.
"""

from typing import Any

from django.core.management.base import BaseCommand

from sinergi.channels.tasks import metrics_due_queue, publishing_due_queue


class Command(BaseCommand):
    help = "Queue due publish steps (and metric syncs with --metrics)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--metrics", action="store_true", help="also queue metric syncs")

    def handle(self, *args: Any, **options: Any) -> None:
        due = publishing_due_queue()
        synced = metrics_due_queue() if options["metrics"] else 0
        self.stdout.write(f"queued {due} publish step(s), {synced} metric sync(s)")
