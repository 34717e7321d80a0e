from django.urls import path

from sinergi.insights.views import exports, pages

app_name = "insights"

urlpatterns = [
    path("insights/", pages.overview, name="overview"),
    path("insights/sales/", pages.sales, name="sales"),
    path("insights/products/", pages.products, name="products"),
    path("insights/channels/", pages.channels, name="channels"),
    path("insights/customers/", pages.customers, name="customers"),
    path("insights/basket/", pages.basket, name="basket"),
    path("insights/restock/", pages.restock, name="restock"),
    path("insights/export/", exports.export, name="export"),
]
