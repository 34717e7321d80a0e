from django.contrib import admin

from sinergi.core.models import PeriodicJob


@admin.register(PeriodicJob)
class PeriodicJobAdmin(admin.ModelAdmin):
    """When each periodic job last ran and is next due (set ``next run`` to now to run it
    at the next scheduler round)."""

    list_display = ["name", "next_run_at", "last_started_at", "last_finished_at", "last_error"]
    readonly_fields = ["name", "last_started_at", "last_finished_at", "last_error"]
