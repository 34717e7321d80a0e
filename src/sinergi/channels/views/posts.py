"""The content calendar, composing posts, their progress and results, the media library."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sinergi.accounts.api import (
    MANAGING_ROLES,
    OrganisationKind,
    WorkspaceRequest,
    membership_required,
)
from sinergi.channels import selectors
from sinergi.channels.forms import MediaForm, PostForm
from sinergi.channels.models import MediaAsset, Platform, Post, VariantStatus
from sinergi.channels.services.approvals import ApprovalError, post_send_back
from sinergi.channels.services.attribution import post_results
from sinergi.channels.services.posts import (
    EDITABLE,
    PostInvalid,
    media_add,
    post_media,
    post_retry,
    post_save,
    post_schedule,
    post_unschedule,
    variant_problems,
)
from sinergi.commerce.api import Product

SHOP = (OrganisationKind.SHOP,)


def _post(pk: int) -> Post:
    try:
        return selectors.post_detail(pk)
    except Post.DoesNotExist as error:
        raise Http404 from error


def _anchor(raw: str) -> date:
    try:
        return date.fromisoformat(raw)
    except ValueError:
        return timezone.localdate()


@membership_required(kinds=SHOP)
@require_GET
def calendar(request: WorkspaceRequest) -> HttpResponse:
    anchor = _anchor(request.GET.get("date", ""))
    week = request.GET.get("view") == "week"
    step = timedelta(days=7) if week else timedelta(days=31)
    previous = anchor - step if week else (anchor.replace(day=1) - timedelta(days=1))
    following = (
        anchor + step if week else (anchor.replace(day=28) + timedelta(days=4)).replace(day=1)
    )
    return render(
        request,
        "channels/calendar.html",
        {
            "days": selectors.calendar_days(anchor=anchor, week=week),
            "anchor": anchor,
            "week": week,
            "previous": previous,
            "following": following,
            "drafts": selectors.posts_unscheduled(),
            "best_hours": selectors.best_hours(),
            "has_accounts": selectors.publishing_accounts().exists(),
            # The list of posts waiting for approval, for the people who may approve.
            "awaiting": list(selectors.posts_awaiting_approval())
            if request.GET.get("awaiting") and request.membership.role in MANAGING_ROLES
            else None,
        },
    )


def _form(request: WorkspaceRequest, post: Post | None) -> PostForm:
    initial = {}
    if post is not None:
        initial = {
            "caption": post.caption,
            "accounts": [v.account_id for v in post.variants.all()],
            "assets": [m.pk for m in post_media(post)],
            "product": post.product_id,
            "scheduled_at": timezone.localtime(post.scheduled_at) if post.scheduled_at else None,
        } | {f"caption_{v.account_id}": v.caption for v in post.variants.all()}
    elif request.GET.get("date"):
        initial = {"scheduled_at": f"{request.GET['date']} 19:00"}
    return PostForm(
        request.POST or None,
        initial=initial,
        accounts=selectors.publishing_accounts(),
        media=MediaAsset.objects.all(),
        products=Product.objects.filter(is_active=True).order_by("name"),
    )


def _compose(request: WorkspaceRequest, post: Post | None) -> HttpResponse:
    form = _form(request, post)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            post = post_save(
                organisation=request.organisation,
                author=request.user,
                caption=data["caption"],
                accounts=list(data["accounts"]),
                media=form.ordered_assets(),
                product=data["product"],
                scheduled_at=data["scheduled_at"],
                captions=form.captions(),
                post=post,
            )
            if "schedule" in request.POST:
                post_schedule(
                    organisation=request.organisation,
                    post=post,
                    by=request.user,
                    can_approve=request.membership.role in MANAGING_ROLES,
                )
                messages.success(
                    request,
                    _("Post scheduled.")
                    if request.membership.role in MANAGING_ROLES
                    else _("Post sent to the owner for approval."),
                )
            else:
                messages.success(request, _("Draft saved."))
            return redirect("channels:post_detail", pk=post.pk)
        except PostInvalid as error:
            for problem in error.problems:
                form.add_error(None, problem)
            if post is not None and "schedule" in request.POST:
                messages.warning(request, _("The draft was saved, but it cannot be scheduled yet."))
    return render(
        request,
        "channels/post_form.html",
        {"form": form, "post": post},
        status=400 if form.errors else 200,
    )


@membership_required(kinds=SHOP)
@require_http_methods(["GET", "POST"])
def post_create(request: WorkspaceRequest) -> HttpResponse:
    return _compose(request, None)


@membership_required(kinds=SHOP)
@require_http_methods(["GET", "POST"])
def post_edit(request: WorkspaceRequest, pk: int) -> HttpResponse:
    return _compose(request, _post(pk))


@membership_required(kinds=SHOP)
@require_GET
def post_detail(request: WorkspaceRequest, pk: int) -> HttpResponse:
    post = _post(pk)
    variants = list(post.variants.all())
    statuses = {v.status for v in variants}
    attributions = list(post.attributions.select_related("order")[:20])
    for attribution in attributions:  # utm_source: a platform's code, shown by its name
        source = attribution.source
        attribution.source_label = Platform(source).label if source in Platform.values else source  # type: ignore[attr-defined]
    return render(
        request,
        "channels/post_detail.html",
        {
            "post": post,
            # A platform's rules matter until the variant goes out, not for what was published.
            "variants": [
                (v, variant_problems(v) if v.status in EDITABLE else [], list(v.metrics.all())[:12])
                for v in variants
            ],
            "previews": selectors.post_previews(post),
            "can_approve": request.membership.role in MANAGING_ROLES,
            "can_schedule": bool(statuses & {VariantStatus.DRAFT, VariantStatus.AWAITING_APPROVAL}),
            "can_unschedule": bool(
                statuses & {VariantStatus.SCHEDULED, VariantStatus.AWAITING_APPROVAL}
            ),
            "can_retry": VariantStatus.FAILED in statuses,
            "can_edit": statuses <= set(EDITABLE),
            "can_send_back": request.membership.role in MANAGING_ROLES
            and VariantStatus.AWAITING_APPROVAL in statuses,
            "results": post_results(post),
            "attributions": attributions,
        },
    )


@membership_required(kinds=SHOP)
@require_POST
def post_action(request: WorkspaceRequest, pk: int, action: str) -> HttpResponse:
    post = _post(pk)
    can_approve = request.membership.role in MANAGING_ROLES
    try:
        if action in ("schedule", "approve"):
            if action == "approve" and not can_approve:
                raise PermissionDenied
            post_schedule(
                organisation=request.organisation,
                post=post,
                by=request.user,
                can_approve=can_approve,
            )
            messages.success(
                request,
                _("Post scheduled.") if can_approve else _("Post sent to the owner for approval."),
            )
        elif action == "send_back":
            if not can_approve:
                raise PermissionDenied
            post_send_back(organisation=request.organisation, post=post, by=request.user)
            messages.success(request, _("The post went back to its author as a draft."))
        elif action == "unschedule":
            post_unschedule(organisation=request.organisation, post=post)
            messages.success(request, _("The post is a draft again."))
        elif action == "retry":
            post_retry(organisation=request.organisation, post=post)
            messages.success(request, _("Trying again."))
        else:
            raise Http404
    except PostInvalid as error:
        for problem in error.problems:
            messages.error(request, problem)
    except ApprovalError as error:
        messages.error(request, str(error))
    return redirect("channels:post_detail", pk=post.pk)


@membership_required(kinds=SHOP)
@require_http_methods(["GET", "POST"])
def media_library(request: WorkspaceRequest) -> HttpResponse:
    form = MediaForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            media_add(
                organisation=request.organisation,
                upload=form.cleaned_data["file"],
                title=form.cleaned_data["title"],
                duration_seconds=form.cleaned_data["duration_seconds"],
            )
        except PostInvalid as error:
            form.add_error("file", error.problems)
        else:
            messages.success(request, _("Added to the media library."))
            return redirect("channels:media")
    return render(
        request,
        "channels/media.html",
        {"form": form, "assets": MediaAsset.objects.all()[:60]},
        status=400 if form.errors else 200,
    )
