"""The ``state`` of a platform sign-in (Meta, WhatsApp's Embedded Signup, TikTok): issued when
the owner leaves for the platform, kept in the session with the shop it was issued for, and
checked once when the platform sends the browser back, so a forged or replayed return, or one
that lands in another shop, connects nothing."""

from __future__ import annotations

import secrets

from sinergi.accounts.api import WorkspaceRequest


def signin_state_issue(request: WorkspaceRequest, session_key: str) -> str:
    """A new state for the sign-in that is about to start, remembered in the session."""
    state = secrets.token_urlsafe(24)
    request.session[session_key] = {"state": state, "organisation": request.organisation.pk}
    return state


def signin_state_returned(request: WorkspaceRequest, session_key: str) -> bool:
    """Whether the returning request carries the state issued to this shop; it is used up."""
    expected = request.session.pop(session_key, None) or {}
    return bool(
        expected.get("state")
        and secrets.compare_digest(expected["state"], request.GET.get("state", ""))
        and expected.get("organisation") == request.organisation.pk
    )
