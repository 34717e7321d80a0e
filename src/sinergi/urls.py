from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    # First: API calls are the most frequent requests, and every pattern before them is tried.
    path("api/", include("sinergi.commerce.http")),
    path("", include("sinergi.web.urls")),
    path("", include("sinergi.accounts.urls")),
    path("", include("sinergi.commerce.urls")),
    path("", include("sinergi.channels.urls")),
    path("", include("sinergi.insights.urls")),
    path("", include("sinergi.partnerships.urls")),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
