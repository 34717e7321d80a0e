from django.urls import path

from sinergi.accounts import views

app_name = "accounts"

urlpatterns = [
    path("org/new/", views.organisation_create, name="organisation_create"),
    path("org/switch/", views.membership_switch, name="membership_switch"),
    path("org/profile/", views.organisation_profile, name="organisation_profile"),
    path("org/profile/edit/", views.organisation_edit, name="organisation_edit"),
    path("org/team/", views.team, name="team"),
    path("org/team/invite/", views.invitation_create, name="invitation_create"),
    path("org/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("org/members/<int:pk>/remove/", views.membership_remove, name="membership_remove"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("places/regencies/", views.regency_options, name="regency_options"),
]
