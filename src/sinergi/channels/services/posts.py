"""Composing, checking, approving and scheduling posts; the media library."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from PIL import Image, UnidentifiedImageError

from sinergi.accounts.api import Organisation, User
from sinergi.channels.models import (
    ConnectedAccount,
    MediaAsset,
    MediaKind,
    Post,
    PostMedia,
    PostVariant,
    VariantStatus,
)
from sinergi.channels.models.accounts import PUBLISHING_PLATFORMS
from sinergi.channels.services import approvals
from sinergi.channels.services.rules import MediaFacts, post_problems
from sinergi.commerce.api import Product
from sinergi.core.tenancy import tenant_context

VIDEO_TYPES = {"video/mp4", "video/quicktime", "video/webm"}
MAX_UPLOAD_BYTES = 300 * 1024 * 1024
MAX_POST_MEDIA = 10  # the largest carousel any platform takes
EDITABLE = (VariantStatus.DRAFT, VariantStatus.AWAITING_APPROVAL, VariantStatus.SCHEDULED)


class PostInvalid(Exception):
    """A post cannot be saved or scheduled; ``problems`` are sentences for the shop."""

    def __init__(self, problems: list[str]):
        super().__init__("; ".join(problems))
        self.problems = problems


def media_add(
    *,
    organisation: Organisation,
    upload: UploadedFile,
    title: str = "",
    duration_seconds: float | None = None,
    width: int = 0,
    height: int = 0,
) -> MediaAsset:
    """Add a photo or a video to the media library.

    A photo's format and size are read from the file itself; a video's duration and size
    come from the browser (there is no video decoder on the server).
    """
    content_type = (upload.content_type or "").lower()
    name = upload.name or "media"
    if (upload.size or 0) > MAX_UPLOAD_BYTES:
        raise PostInvalid([_("%(name)s is larger than 300 MB.") % {"name": name}])
    if content_type in VIDEO_TYPES:
        kind = MediaKind.VIDEO
    else:
        kind = MediaKind.IMAGE
        try:
            with Image.open(upload) as image:
                width, height = image.size
                content_type = Image.MIME.get(image.format or "", content_type)
        except (UnidentifiedImageError, OSError) as error:
            raise PostInvalid(
                [_("%(name)s is neither a photo nor a video Sinergi can read.") % {"name": name}]
            ) from error
        upload.seek(0)
    with tenant_context(organisation.pk), transaction.atomic():
        return MediaAsset.objects.create(
            organisation=organisation,
            file=upload,
            title=title.strip()[:120],
            kind=kind,
            content_type=content_type,
            size_bytes=upload.size or 0,
            width=width,
            height=height,
            duration_seconds=duration_seconds,
        )


def storefront_link(
    *, organisation: Organisation, product: Product, platform: str, post_id: int
) -> str:
    """The product's storefront address with UTM tags naming the platform and the post."""
    query = urlencode(
        {"utm_source": platform, "utm_medium": "social", "utm_campaign": f"post-{post_id}"}
    )
    return f"{settings.BASE_URL}/s/{organisation.slug}/p/{product.slug}/?{query}"


def variant_text(variant: PostVariant) -> str:
    """Exactly the text the platform receives: the tailored caption and the product link."""
    post = variant.post
    text = (variant.caption or post.caption).strip()
    if post.product_id is not None and post.product is not None:
        link = storefront_link(
            organisation=post.organisation,
            product=post.product,
            platform=variant.account.platform,
            post_id=post.pk,
        )
        text = f"{text}\n\n{link}" if text else link
    return text


def media_facts(asset: MediaAsset) -> MediaFacts:
    return MediaFacts(
        name=str(asset),
        kind=asset.kind,
        content_type=asset.content_type,
        size_bytes=asset.size_bytes,
        width=asset.width,
        height=asset.height,
        duration_seconds=asset.duration_seconds,
    )


def post_media(post: Post) -> list[MediaAsset]:
    """The post's files in the order the shop gave them (a carousel's order)."""
    links = PostMedia.objects.filter(post=post).select_related("media").order_by("position", "pk")
    return [link.media for link in links]


def variant_problems(variant: PostVariant) -> list[str]:
    """Why the variant's platform would refuse it, or []."""
    media = [media_facts(m) for m in post_media(variant.post)]
    return post_problems(variant.account.platform, variant_text(variant), media)


def post_save(
    *,
    organisation: Organisation,
    author: User,
    caption: str,
    accounts: Sequence[ConnectedAccount],
    media: Sequence[MediaAsset] = (),
    product: Product | None = None,
    scheduled_at: datetime | None = None,
    captions: dict[int, str] | None = None,
    post: Post | None = None,
) -> Post:
    """Create or edit a post as a draft, with one variant per chosen account.

    Variants of accounts no longer chosen are removed; a post that is publishing or
    published cannot be edited.
    """
    captions = captions or {}
    if not accounts:
        raise PostInvalid([_("Choose at least one account to post to.")])
    if any(a.platform not in PUBLISHING_PLATFORMS for a in accounts):
        raise PostInvalid([_("WhatsApp numbers carry conversations, not posts.")])
    with tenant_context(organisation.pk), transaction.atomic():
        if post is None:
            post = Post.objects.create(organisation=organisation, created_by=author)
        elif post.variants.exclude(status__in=EDITABLE).exists():
            raise PostInvalid([_("This post is being published or was published already.")])
        post.caption = caption.strip()
        post.product = product
        post.scheduled_at = scheduled_at
        post.approved_by = None
        post.approved_at = None
        post.save()
        _media_place(post, media)
        post.variants.exclude(account__in=accounts).delete()
        # A container made from the old caption or files must not be published: forget it,
        # unless a publish was already asked for (then the platform may have it).
        post.variants.filter(publish_requested_at__isnull=True).update(container_id="", item_ids=[])
        for account in accounts:
            PostVariant.objects.update_or_create(
                post=post,
                account=account,
                defaults={
                    "organisation": organisation,
                    "caption": captions.get(account.pk, "").strip(),
                    "status": VariantStatus.DRAFT,
                },
            )
    return post


def _media_place(post: Post, media: Sequence[MediaAsset]) -> None:
    """Keep exactly ``media`` on the post, at positions 0, 1, 2… in the given order."""
    unique = list(dict.fromkeys(media))
    if len(unique) > MAX_POST_MEDIA:
        raise PostInvalid(
            [
                ngettext(
                    "A post takes at most %(limit)d photo or video.",
                    "A post takes at most %(limit)d photos or videos.",
                    MAX_POST_MEDIA,
                )
                % {"limit": MAX_POST_MEDIA}
            ]
        )
    PostMedia.objects.filter(post=post).delete()
    PostMedia.objects.bulk_create(
        PostMedia(post=post, media=asset, position=index) for index, asset in enumerate(unique)
    )


def post_schedule(
    *,
    organisation: Organisation,
    post: Post,
    by: User,
    can_approve: bool,
    now: datetime | None = None,
) -> Post:
    """Check every variant against its platform's rules and schedule the post.

    Staff's posts wait for the owner's approval; an owner's (or manager's) post is approved
    as it is scheduled. Raises :class:`PostInvalid` listing every problem; nothing changes then.
    """
    now = now or timezone.now()
    with tenant_context(organisation.pk), transaction.atomic():
        post = Post.objects.select_for_update().get(pk=post.pk)
        variants = list(post.variants.select_related("account", "post__product"))
        problems = _schedule_problems(post, variants, now)
        if problems:
            raise PostInvalid(problems)
        waiting = PostVariant.objects.filter(post=post, status=VariantStatus.AWAITING_APPROVAL)
        if not can_approve:
            submitted = (
                PostVariant.objects.filter(post=post, status__in=EDITABLE)
                .exclude(status=VariantStatus.AWAITING_APPROVAL)
                .update(status=VariantStatus.AWAITING_APPROVAL)
            )
            if submitted:
                approvals.approval_requested_after_commit(post)
            return post
        if waiting.exists():
            approvals.approval_decided_after_commit(post, by=by, decision=approvals.APPROVED)
        post.approved_by, post.approved_at = by, now
        post.save(update_fields=["approved_by", "approved_at"])
        PostVariant.objects.filter(post=post, status__in=EDITABLE).update(
            status=VariantStatus.SCHEDULED, attempts=0, next_attempt_at=None, last_error=""
        )
        _enqueue_after_commit(post)
    return post


def post_unschedule(*, organisation: Organisation, post: Post) -> Post:
    """Take a scheduled or waiting post back to draft (not once publishing has started)."""
    with tenant_context(organisation.pk), transaction.atomic():
        changed = PostVariant.objects.filter(
            post=post, status__in=(VariantStatus.SCHEDULED, VariantStatus.AWAITING_APPROVAL)
        ).update(status=VariantStatus.DRAFT)
        if not changed:
            raise PostInvalid([_("Only a scheduled post can go back to draft.")])
    return post


def post_retry(*, organisation: Organisation, post: Post) -> Post:
    """Schedule the failed variants of a post again, now."""
    with tenant_context(organisation.pk), transaction.atomic():
        PostVariant.objects.filter(post=post, status=VariantStatus.FAILED).update(
            status=VariantStatus.SCHEDULED, attempts=0, next_attempt_at=None, last_error=""
        )
        _enqueue_after_commit(post)
    return post


def _schedule_problems(post: Post, variants: list[PostVariant], now: datetime) -> list[str]:
    problems: list[str] = []
    if not variants:
        problems.append(_("Choose at least one account to post to."))
    if post.scheduled_at is None:
        problems.append(_("Choose when to publish."))
    for variant in variants:
        if variant.status not in EDITABLE:
            problems.append(_("This post is being published or was published already."))
            break
        if not variant.account.can_act:
            problems.append(
                _("%(account)s: %(action)s")
                % {"account": variant.account, "action": variant.account.status_action}
            )
        problems += variant_problems(variant)
    return problems


def _enqueue_after_commit(post: Post) -> None:
    from sinergi.channels.tasks import variant_publish_enqueue  # noqa: PLC0415  (tasks import services)

    for variant_id in post.variants.values_list("pk", flat=True):
        transaction.on_commit(
            functools.partial(
                variant_publish_enqueue,
                variant_id=variant_id,
                organisation_id=post.organisation_id,
                run_after=post.scheduled_at,
            )
        )
