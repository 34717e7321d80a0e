from django.contrib import admin

from sinergi.channels.models import (
    ConnectedAccount,
    Conversation,
    Message,
    Post,
    PostMedia,
    PostVariant,
)


@admin.register(ConnectedAccount)
class ConnectedAccountAdmin(admin.ModelAdmin):
    list_display = ["name", "platform", "organisation", "status", "is_preview", "expires_at"]
    list_filter = ["platform", "status", "is_preview"]
    search_fields = ["name", "external_id"]
    raw_id_fields = ["organisation"]
    # Tokens are never shown, not even encrypted.
    exclude = ["access_token_encrypted", "refresh_token_encrypted"]


class PostVariantInline(admin.TabularInline):
    model = PostVariant
    extra = 0
    raw_id_fields = ["account", "organisation"]
    readonly_fields = [
        "container_id",
        "item_ids",
        "platform_post_id",
        "publish_requested_at",
        "attempts",
    ]


class PostMediaInline(admin.TabularInline):
    model = PostMedia
    extra = 0
    raw_id_fields = ["media"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "scheduled_at", "created_at"]
    raw_id_fields = ["organisation", "product", "created_by", "approved_by"]
    inlines = [PostMediaInline, PostVariantInline]


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "kind", "last_message_at", "unread"]
    raw_id_fields = ["organisation", "account", "customer"]


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ["__str__", "organisation", "direction", "status", "sent_at"]
    list_filter = ["direction", "status"]
    raw_id_fields = ["organisation", "account", "conversation", "sent_by", "order"]
