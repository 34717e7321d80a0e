"""The channels app's models: connected accounts, posts, metrics and the inbox."""

from sinergi.channels.models.accounts import (
    AccountMetric,
    AccountStatus,
    ConnectedAccount,
    Platform,
    PreviewDelivery,
)
from sinergi.channels.models.content import (
    MediaAsset,
    MediaKind,
    Post,
    PostAttribution,
    PostMedia,
    PostMetric,
    PostVariant,
    VariantStatus,
)
from sinergi.channels.models.inbox import (
    Conversation,
    ConversationKind,
    Direction,
    Message,
    MessageStatus,
)

__all__ = [
    "AccountMetric",
    "AccountStatus",
    "ConnectedAccount",
    "Conversation",
    "ConversationKind",
    "Direction",
    "MediaAsset",
    "MediaKind",
    "Message",
    "MessageStatus",
    "Platform",
    "Post",
    "PostAttribution",
    "PostMedia",
    "PostMetric",
    "PostVariant",
    "PreviewDelivery",
    "VariantStatus",
]
