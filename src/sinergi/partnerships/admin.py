"""The operator's admin for the partnership hub (runs across tenants, see the middleware)."""

from django.contrib import admin

from sinergi.partnerships.models import (
    Application,
    Contribution,
    Engagement,
    HelpRequest,
    Match,
    MatchRun,
    Offering,
    Programme,
)


@admin.register(Offering)
class OfferingAdmin(admin.ModelAdmin[Offering]):
    list_display = ["title", "organisation", "kind", "mode", "status", "capacity", "places_taken"]
    list_filter = ["status", "kind", "mode"]
    search_fields = ["title"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(HelpRequest)
class HelpRequestAdmin(admin.ModelAdmin[HelpRequest]):
    list_display = ["organisation", "topic", "urgency", "status", "created_at"]
    list_filter = ["status", "topic", "urgency"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin[Application]):
    list_display = ["organisation", "offering", "preference_rank", "status"]
    raw_id_fields = ["organisation", "offering", "help_request", "created_by"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin[Programme]):
    list_display = ["name", "organisation", "status"]
    raw_id_fields = ["organisation", "created_by"]


@admin.register(MatchRun)
class MatchRunAdmin(admin.ModelAdmin[MatchRun]):
    list_display = ["pk", "organisation", "programme", "objective", "status", "progress", "seed"]
    list_filter = ["status", "objective"]
    raw_id_fields = ["organisation", "programme", "created_by"]
    readonly_fields = ["stats"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin[Match]):
    list_display = ["pk", "run", "shop", "offering", "score", "status", "lottery_number"]
    list_filter = ["status"]
    raw_id_fields = ["organisation", "run", "shop", "help_request", "application", "offering"]


@admin.register(Engagement)
class EngagementAdmin(admin.ModelAdmin[Engagement]):
    list_display = ["pk", "offering", "shop", "status", "shop_rating", "partner_rating"]
    raw_id_fields = ["organisation", "match", "offering", "shop", "programme"]


@admin.register(Contribution)
class ContributionAdmin(admin.ModelAdmin[Contribution]):
    """Read-only: the ledger is append-only."""

    list_display = ["organisation", "kind", "amount", "programme", "province", "topic"]
    list_filter = ["kind"]

    def has_change_permission(self, request: object, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: object, obj: object = None) -> bool:
        return False
