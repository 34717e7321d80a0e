from django.urls import path

from sinergi.channels import webhooks
from sinergi.channels.views import accounts, inbox, posts, tiktok, whatsapp

app_name = "channels"

urlpatterns = [
    path("app/channels/", inbox.inbox, name="inbox"),
    path("app/channels/conversations/<int:pk>/", inbox.conversation, name="conversation"),
    path("app/channels/conversations/<int:pk>/reply/", inbox.reply, name="conversation_reply"),
    path("app/channels/conversations/<int:pk>/order/", inbox.order, name="conversation_order"),
    path("app/channels/posts/", posts.calendar, name="calendar"),
    path("app/channels/posts/new/", posts.post_create, name="post_create"),
    path("app/channels/posts/<int:pk>/", posts.post_detail, name="post_detail"),
    path("app/channels/posts/<int:pk>/edit/", posts.post_edit, name="post_edit"),
    path("app/channels/posts/<int:pk>/<slug:action>/", posts.post_action, name="post_action"),
    path("app/channels/media/", posts.media_library, name="media"),
    path("app/channels/accounts/", accounts.account_list, name="accounts"),
    path("app/channels/accounts/preview/", accounts.preview_connect, name="preview_connect"),
    path("app/channels/accounts/meta/", accounts.meta_connect, name="meta_connect"),
    path("app/channels/accounts/meta/callback/", accounts.meta_callback, name="meta_callback"),
    path("app/channels/accounts/tiktok/", tiktok.tiktok_connect, name="tiktok_connect"),
    path("app/channels/accounts/tiktok/callback/", tiktok.tiktok_callback, name="tiktok_callback"),
    path("app/channels/accounts/whatsapp/", whatsapp.whatsapp_connect, name="whatsapp_connect"),
    path(
        "app/channels/accounts/whatsapp/callback/",
        whatsapp.whatsapp_callback,
        name="whatsapp_callback",
    ),
    path(
        "app/channels/accounts/<int:pk>/whatsapp-register/",
        whatsapp.whatsapp_register,
        name="whatsapp_register",
    ),
    path(
        "app/channels/accounts/<int:pk>/disconnect/",
        accounts.account_disconnect,
        name="account_disconnect",
    ),
    path("webhooks/meta/", webhooks.meta, name="webhook_meta"),
    path("webhooks/whatsapp/", webhooks.whatsapp, name="webhook_whatsapp"),
]
