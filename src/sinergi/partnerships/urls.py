from django.urls import path

from sinergi.partnerships.views import engagements, help, offerings, programmes

app_name = "partnerships"

urlpatterns = [
    # Partners
    path("offerings/", offerings.offering_list, name="offering_list"),
    path("offerings/new/", offerings.offering_create_view, name="offering_create"),
    path("offerings/<int:pk>/", offerings.offering_detail, name="offering_detail"),
    path("offerings/<int:pk>/edit/", offerings.offering_edit, name="offering_edit"),
    path("offerings/<int:pk>/publish/", offerings.offering_publish_view, name="offering_publish"),
    path("offerings/<int:pk>/close/", offerings.offering_close_view, name="offering_close"),
    path(
        "offerings/matches/<int:pk>/accept/",
        offerings.match_partner_accept,
        name="match_partner_accept",
    ),
    path(
        "offerings/matches/<int:pk>/decline/",
        offerings.match_partner_decline,
        name="match_partner_decline",
    ),
    path("offerings/match/", programmes.run_create, name="run_create"),
    path("engagements/", engagements.engagement_list, name="engagement_list"),
    path("engagements/<int:pk>/", engagements.engagement_detail, name="engagement_detail"),
    path("engagements/<int:pk>/sessions/", engagements.session_add, name="session_add"),
    path("engagements/<int:pk>/team/", engagements.member_add, name="member_add"),
    path("engagements/<int:pk>/notes/", engagements.engagement_notes, name="engagement_notes"),
    path(
        "engagements/<int:pk>/feedback/",
        engagements.engagement_feedback,
        name="engagement_feedback",
    ),
    path("contributions/", programmes.ledger, name="ledger"),
    # Shops
    path("help/", help.help_home, name="help_home"),
    path("help/ask/", help.help_request_create, name="help_request_create"),
    path("help/requests/<int:pk>/", help.help_request_detail, name="help_request_detail"),
    path("help/requests/<int:pk>/close/", help.help_request_close, name="help_request_close"),
    path("help/offerings/", help.offering_browse, name="offering_browse"),
    path("help/offerings/<int:pk>/", help.offering_public, name="offering_public"),
    path("help/offerings/<int:pk>/apply/", help.offering_apply, name="offering_apply"),
    path(
        "help/applications/<int:pk>/withdraw/",
        help.application_withdraw,
        name="application_withdraw",
    ),
    path("help/matches/<int:pk>/accept/", help.match_accept, name="match_accept"),
    path("help/matches/<int:pk>/decline/", help.match_decline, name="match_decline"),
    path("help/engagements/", help.shop_engagement_list, name="shop_engagement_list"),
    path(
        "help/engagements/<int:pk>/",
        engagements.shop_engagement_detail,
        name="shop_engagement_detail",
    ),
    path(
        "help/engagements/<int:pk>/feedback/",
        engagements.shop_engagement_feedback,
        name="shop_engagement_feedback",
    ),
    # Programmes
    path("programmes/", programmes.programme_list, name="programme_list"),
    path("programmes/new/", programmes.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme_detail"),
    path("programmes/<int:pk>/edit/", programmes.programme_edit, name="programme_edit"),
    path(
        "programmes/<int:pk>/participants/",
        programmes.programme_participants,
        name="programme_participants",
    ),
    path(
        "programmes/<int:pk>/contributions/", programmes.programme_ledger, name="programme_ledger"
    ),
    path("programmes/<int:pk>/match/", programmes.programme_run, name="programme_run"),
    path("programmes/<int:pk>/status/", programmes.programme_status, name="programme_status"),
    path(
        "programmes/<int:pk>/offerings/",
        programmes.programme_offering_add,
        name="programme_offering_add",
    ),
    path(
        "programmes/<int:pk>/offerings/<int:offering_pk>/remove/",
        programmes.programme_offering_remove,
        name="programme_offering_remove",
    ),
    path("match-runs/<int:pk>/", programmes.run_detail, name="run_detail"),
    path("match-runs/<int:pk>/progress/", programmes.run_progress, name="run_progress"),
]
