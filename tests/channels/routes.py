"""The channels app's tenant-data routes, for the other-tenant harness."""

from typing import Any

from django.utils import timezone

from sinergi.accounts.models import Organisation
from sinergi.channels.models import ConnectedAccount, Conversation, Message, Post, PostVariant
from sinergi.channels.services.accounts import account_connect
from sinergi.core.tenancy import tenant_context
from tests.tenancy import tenant_route


def _account(organisation: Organisation, platform: str = "whatsapp") -> Any:
    return account_connect(
        organisation=organisation,
        platform=platform,
        name="Akun",
        external_id=f"harness-{platform}-{organisation.pk}",
        access_token="t",
        is_preview=True,
    )


def _post(organisation: Organisation) -> dict[str, Any]:
    account = _account(organisation, "facebook")
    with tenant_context(organisation.pk):
        post = Post.objects.create(
            organisation=organisation, caption="Rahasia", scheduled_at=timezone.now()
        )
        PostVariant.objects.create(
            organisation=organisation, post=post, account=account, status="draft"
        )
    return {"pk": post.pk}


def _post_action(organisation: Organisation) -> dict[str, Any]:
    return _post(organisation) | {"action": "schedule"}


def _conversation(organisation: Organisation) -> dict[str, Any]:
    account = _account(organisation)
    with tenant_context(organisation.pk):
        thread = Conversation.objects.create(
            organisation=organisation,
            account=account,
            kind="whatsapp",
            external_thread_id="6281200000000",
            customer_name="Rahasia",
            last_inbound_at=timezone.now(),
        )
        Message.objects.create(
            organisation=organisation,
            account=account,
            conversation=thread,
            direction="in",
            platform_message_id="wamid.secret",
            text="rahasia",
            status="received",
        )
    return {"pk": thread.pk}


def _account_pk(organisation: Organisation) -> dict[str, Any]:
    return {"pk": _account(organisation).pk}


tenant_route("channels:conversation", _conversation)
tenant_route(
    "channels:conversation_reply", _conversation, methods=("post",), data=lambda: {"text": "halo"}
)
tenant_route(
    "channels:conversation_order",
    _conversation,
    methods=("get", "post"),
    data=lambda: {"variant_0": "1", "quantity_0": "1", "shipping_fee": "0", "request_key": "x"},
)
tenant_route("channels:post_detail", _post)
tenant_route("channels:post_edit", _post, methods=("get", "post"), data=lambda: {"caption": "x"})
tenant_route("channels:post_action", _post_action, methods=("post",))
tenant_route("channels:account_disconnect", _account_pk, methods=("post",))


def _whatsapp_number(organisation: Organisation) -> dict[str, Any]:
    """A real (not preview) number waiting for its registration PIN."""
    account = account_connect(
        organisation=organisation,
        platform="whatsapp",
        name="Nomor",
        external_id=f"harness-wa-number-{organisation.pk}",
        access_token="t",
    )
    with tenant_context(organisation.pk):
        ConnectedAccount.objects.filter(pk=account.pk).update(status="needs_registration")
    return {"pk": account.pk}


tenant_route(
    "channels:whatsapp_register",
    _whatsapp_number,
    methods=("get", "post"),
    data=lambda: {"pin": "123456"},
)
