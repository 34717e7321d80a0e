from django.urls import URLPattern, path

from sinergi.commerce.views import catalog, customers, imports, orders, stock, storefront, tokens

app_name = "commerce"

urlpatterns: list[URLPattern] = [
    # Catalog
    path("app/catalog/", catalog.product_list, name="product_list"),
    path("app/catalog/new/", catalog.product_create, name="product_create"),
    path("app/catalog/<int:pk>/", catalog.product_edit, name="product_edit"),
    path("app/catalog/<int:pk>/archive/", catalog.product_archive, name="product_archive"),
    path("app/catalog/<int:pk>/photos/", catalog.photo_upload, name="photo_upload"),
    path("app/catalog/photos/<int:pk>/delete/", catalog.photo_delete, name="photo_delete"),
    # Stock
    path("app/stock/", stock.stock_list, name="stock_list"),
    path("app/stock/alert/", stock.low_stock_alert, name="low_stock_alert"),
    path("app/stock/locations/new/", stock.location_create, name="location_create"),
    path("app/stock/ledger/", stock.movement_list, name="movement_list"),
    path("app/stock/ledger/<int:pk>/reverse/", stock.movement_reverse, name="movement_reverse"),
    path("app/stock/<int:pk>/", stock.variant_stock, name="variant_stock"),
    path("app/stock/<int:pk>/receive/", stock.stock_receive, name="stock_receive"),
    path("app/stock/<int:pk>/adjust/", stock.stock_adjust, name="stock_adjust"),
    path("app/stock/<int:pk>/count/", stock.stock_count, name="stock_count"),
    path("app/stock/<int:pk>/transfer/", stock.stock_transfer, name="stock_transfer"),
    # Orders
    path("app/orders/", orders.order_list, name="order_list"),
    path("app/orders/new/", orders.order_create, name="order_create"),
    path("app/orders/new/products/", orders.order_product_search, name="order_product_search"),
    path("app/orders/new/line/", orders.order_line_row, name="order_line_row"),
    path("app/orders/kasbon/", orders.debtor_list, name="debtor_list"),
    path("app/orders/<int:pk>/", orders.order_detail, name="order_detail"),
    path("app/orders/<int:pk>/payments/", orders.payment_create, name="payment_create"),
    path("app/orders/<int:pk>/<str:kind>.pdf", orders.order_document, name="order_document"),
    path("app/orders/<int:pk>/<slug:action>/", orders.order_step, name="order_step"),
    # Customers
    path("app/customers/", customers.customer_list, name="customer_list"),
    # Imports, exports and API tokens
    path("app/imports/", imports.import_list, name="import_list"),
    path("app/imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("app/imports/<int:pk>/progress/", imports.import_progress, name="import_progress"),
    path("app/imports/<int:pk>/confirm/", imports.import_confirm, name="import_confirm"),
    path("app/imports/<int:pk>/cancel/", imports.import_cancel, name="import_cancel"),
    path("app/catalog/export/", imports.catalog_export, name="catalog_export"),
    path("app/api-tokens/", tokens.token_list, name="token_list"),
    path("app/api-tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
    # Public storefront
    path("s/<slug:shop>/", storefront.storefront_home, name="storefront_home"),
    path(
        "s/<slug:shop>/p/<slug:product>/", storefront.storefront_product, name="storefront_product"
    ),
    path(
        "s/<slug:shop>/photo/<int:pk>/<slug:size>/",
        storefront.storefront_photo,
        name="storefront_photo",
    ),
    path("s/<slug:shop>/cart/", storefront.storefront_cart, name="storefront_cart"),
    path("s/<slug:shop>/cart/add/", storefront.storefront_cart_add, name="storefront_cart_add"),
    path("s/<slug:shop>/checkout/", storefront.storefront_checkout, name="storefront_checkout"),
    path("s/<slug:shop>/order/<str:number>/", storefront.storefront_order, name="storefront_order"),
]
