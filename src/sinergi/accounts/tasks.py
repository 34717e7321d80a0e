"""Background work of the accounts domain."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from sinergi.accounts.models import Invitation
from sinergi.accounts.services import invitation_token
from sinergi.core.tenancy import tenant_context


@task()
def invitation_send(*, invitation_id: int, organisation_id: int) -> None:
    """E-mail an invitation link. Sending twice is harmless: the link is the same."""
    with tenant_context(organisation_id):
        invitation = (
            Invitation.objects.select_related("organisation", "invited_by")
            .filter(pk=invitation_id, accepted_at=None, revoked_at=None)
            .first()
        )
    if invitation is None:
        return
    link = settings.BASE_URL + reverse(
        "accounts:invitation_accept", kwargs={"token": invitation_token(invitation)}
    )
    context = {"invitation": invitation, "link": link}
    with translation.override("id"):
        subject = render_to_string("accounts/email/invitation_subject.txt", context).strip()
        body = render_to_string("accounts/email/invitation_body.txt", context)
    send_mail(subject, body, None, [invitation.email])
