"""The one decorator views use to say who may open them."""

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from sinergi.accounts.models import Membership, Organisation, User

F = TypeVar("F", bound=Callable[..., HttpResponse])


class WorkspaceRequest(HttpRequest):
    """A request inside a workspace: what ActiveMembershipMiddleware puts on it."""

    user: User
    membership: Membership
    organisation: Organisation
    memberships: list[Membership]


def membership_required(
    *, kinds: Iterable[str] | None = None, roles: Iterable[str] | None = None
) -> Callable[[F], F]:
    """Require a signed-in member of an organisation of one of ``kinds``, in one of ``roles``.

    Anonymous people go to sign-in; people with no organisation go to create one; a
    workspace of another kind answers 404 (it does not exist for them), a role that may
    not act answers 403.
    """
    allowed_kinds = frozenset(kinds) if kinds is not None else None
    allowed_roles = frozenset(roles) if roles is not None else None

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                return redirect("accounts:organisation_create")
            if allowed_kinds is not None and membership.organisation.kind not in allowed_kinds:
                raise Http404
            if allowed_roles is not None and membership.role not in allowed_roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorate
