"""One inbox: threads per customer, replies, and orders taken in a conversation."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import OrganisationKind, WorkspaceRequest, membership_required
from sinergi.channels import selectors
from sinergi.channels.forms import ConversationOrderForm, ReplyForm, variant_choices
from sinergi.channels.models import Conversation
from sinergi.channels.services.conversations import (
    ReplyRefused,
    conversation_order_place,
    conversation_read,
    message_reply,
    reply_window,
)
from sinergi.commerce.api import CommerceError, variants_with_stock

SHOP = (OrganisationKind.SHOP,)


def _conversation(pk: int) -> Conversation:
    try:
        return selectors.conversation_detail(pk)
    except Conversation.DoesNotExist as error:
        raise Http404 from error


@membership_required(kinds=SHOP)
@require_GET
def inbox(request: WorkspaceRequest) -> HttpResponse:
    unread_only = request.GET.get("show") == "unread"
    return render(
        request,
        "channels/inbox.html",
        {
            "conversations": selectors.conversations_list(unread_only=unread_only)[:100],
            "unread_only": unread_only,
            "has_accounts": selectors.accounts_list().exists(),
        },
    )


def _thread(
    request: WorkspaceRequest, conversation: Conversation, form: ReplyForm, status: int = 200
) -> HttpResponse:
    allowed, _tag, why = reply_window(conversation)
    return render(
        request,
        "channels/conversation.html",
        {
            "conversation": conversation,
            "thread": conversation.messages.select_related("sent_by", "order").order_by(
                "sent_at", "pk"
            ),
            "form": form,
            "can_reply": allowed,
            "window_note": why,
        },
        status=status,
    )


@membership_required(kinds=SHOP)
@require_GET
def conversation(request: WorkspaceRequest, pk: int) -> HttpResponse:
    thread = _conversation(pk)
    if thread.unread:
        conversation_read(organisation=request.organisation, conversation=thread)
    return _thread(request, thread, ReplyForm())


@membership_required(kinds=SHOP)
@require_POST
def reply(request: WorkspaceRequest, pk: int) -> HttpResponse:
    thread = _conversation(pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _thread(request, thread, form, status=400)
    try:
        sent = message_reply(
            organisation=request.organisation,
            conversation=thread,
            text=form.cleaned_data["text"],
            by=request.user,
        )
    except ReplyRefused as error:
        form.add_error("text", str(error))
        return _thread(request, thread, form, status=400)
    if sent.error:
        messages.error(request, _("Not sent: %(reason)s") % {"reason": sent.error})
    return redirect("channels:conversation", pk=thread.pk)


@membership_required(kinds=SHOP)
@require_http_methods(["GET", "POST"])
def order(request: WorkspaceRequest, pk: int) -> HttpResponse:
    thread = _conversation(pk)
    variants = variant_choices(variants_with_stock(organisation=request.organisation))
    form = ConversationOrderForm(
        request.POST or None,
        variants=variants,
        initial={
            "customer_name": thread.customer_name,
            "address": thread.customer.address if thread.customer else "",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            placed, sent = conversation_order_place(
                organisation=request.organisation,
                conversation=thread,
                lines=data["lines"],
                by=request.user,
                request_key=data["request_key"],
                customer_name=data["customer_name"],
                address=data["address"],
                shipping_fee=data["shipping_fee"] or 0,
                payment_method=data["payment_method"],
            )
        except (CommerceError, ReplyRefused) as error:
            form.add_error(None, str(error))
        else:
            if sent.error:
                messages.error(
                    request,
                    _("Order %(number)s placed, but the message was not sent: %(reason)s")
                    % {"number": placed.number, "reason": sent.error},
                )
            else:
                messages.success(
                    request,
                    _("Order %(number)s placed and sent to the customer.")
                    % {"number": placed.number},
                )
            return redirect("channels:conversation", pk=thread.pk)
    return render(
        request,
        "channels/conversation_order.html",
        {"conversation": thread, "form": form},
        status=400 if form.errors else 200,
    )
