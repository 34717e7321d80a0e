"""Queue what is due: publish steps whose time has come, and (with --metrics) metric syncs.

Publish steps are queued with a deferred start when a post is scheduled; this command is the
safety net that re-derives due work from the posts themselves (a lost enqueue, a backend that
cannot defer). Run it every minute from cron or a systemd timer until Sinergi has periodic
jobs (docs/adr/0002-task-queue.md), and with --metrics a few times a day.
"""

from typing import Any

from django.core.management.base import BaseCommand

from sinergi.channels.services.schedule import due_variants, metric_organisations
from sinergi.channels.tasks import metrics_sync, variant_publish_enqueue


class Command(BaseCommand):
    help = "Queue due publish steps (and metric syncs with --metrics)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--metrics", action="store_true", help="also queue metric syncs")

    def handle(self, *args: Any, **options: Any) -> None:
        due = due_variants()
        for variant_id, organisation_id in due:
            variant_publish_enqueue(variant_id=variant_id, organisation_id=organisation_id)
        synced = 0
        if options["metrics"]:
            for organisation_id in metric_organisations():
                metrics_sync.enqueue(organisation_id=organisation_id)
                synced += 1
        self.stdout.write(f"queued {len(due)} publish step(s), {synced} metric sync(s)")
