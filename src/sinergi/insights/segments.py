"""What each RFM segment means to a shop owner, and what to do about it (with a WhatsApp
message ready to send)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SegmentAdvice:
    label: str | Promise
    meaning: str | Promise
    action: str | Promise
    message: str | Promise  # %(name)s and %(shop)s are filled in per customer


ADVICE: dict[str, SegmentAdvice] = {
    "champions": SegmentAdvice(
        _("Best customers"),
        _("Bought recently and often."),
        _("Thank them and offer early access to new products."),
        _(
            "Hello %(name)s, thank you for being a loyal customer of %(shop)s! We have new "
            "products this week. Shall we send you the photos first?"
        ),
    ),
    "loyal": SegmentAdvice(
        _("Loyal customers"),
        _("Buy regularly."),
        _("Keep in touch; suggest products often bought together."),
        _(
            "Hello %(name)s, thank you for shopping at %(shop)s again. Can we prepare "
            "anything for your next order?"
        ),
    ),
    "new": SegmentAdvice(
        _("New customers"),
        _("First order, recently."),
        _("Welcome them and ask how the order was."),
        _(
            "Hello %(name)s, thank you for your first order at %(shop)s! How was it, "
            "is everything as you expected?"
        ),
    ),
    "promising": SegmentAdvice(
        _("Promising"),
        _("Bought recently, not often yet."),
        _("Invite them back with a small offer."),
        _(
            "Hello %(name)s, %(shop)s has a small offer for its customers this week. Shall "
            "we send you the list of products?"
        ),
    ),
    "at_risk": SegmentAdvice(
        _("Loyal customers who have not bought for a while"),
        _("Used to buy often, but not lately."),
        _("Send a personal WhatsApp message before they are gone."),
        _(
            "Hello %(name)s, it has been a while since you shopped at %(shop)s. We miss "
            "you! There are new products and a special discount for you this week."
        ),
    ),
    "lost": SegmentAdvice(
        _("Lost"),
        _("Bought once or twice, long ago."),
        _("A short reminder at a good moment (payday, before Lebaran)."),
        _(
            "Hello %(name)s, how are you? %(shop)s has new products. Reply to this message "
            "if you would like to see the catalogue."
        ),
    ),
}


def whatsapp_link(phone: str, text: str) -> str:
    """A wa.me link that opens a chat with ``phone`` (+62…) with ``text`` typed in."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    if not digits:
        return ""
    return f"https://wa.me/{digits}?text={quote(text)}"
