from django.urls import path

from sinergi.web import views

app_name = "web"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("app/", views.workspace, name="workspace"),
]
