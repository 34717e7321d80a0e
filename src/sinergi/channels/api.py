"""What other apps (the demo generator, insights, web) may import from channels."""

from sinergi.channels.crypto import token_encrypt
from sinergi.channels.models import (
    AccountMetric,
    AccountStatus,
    ConnectedAccount,
    Conversation,
    ConversationKind,
    Direction,
    Message,
    MessageStatus,
    Platform,
    Post,
    PostAttribution,
    PostMetric,
    PostVariant,
    VariantStatus,
)
from sinergi.channels.services.attribution import campaign_remember, order_attribute_from_session

__all__ = [
    "AccountMetric",
    "AccountStatus",
    "ConnectedAccount",
    "Conversation",
    "ConversationKind",
    "Direction",
    "Message",
    "MessageStatus",
    "Platform",
    "Post",
    "PostAttribution",
    "PostMetric",
    "PostVariant",
    "VariantStatus",
    "campaign_remember",
    "order_attribute_from_session",
    "token_encrypt",
]
