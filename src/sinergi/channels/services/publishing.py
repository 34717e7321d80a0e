"""Publishing a post variant: a crash-safe state machine, one short step per task run.

Every step saves its progress before the next one starts, and the final publish is guarded
so that running any step twice, or again after the worker died mid-way, publishes once:

* Instagram: the container id is saved as soon as it exists. Before ``media_publish`` the
  container's ``status_code`` is read: ``PUBLISHED`` means an earlier run published it (and
  died before saving that), so the media is found and recorded instead of published again.
* Instagram carousels: each item container's id is saved as it is made (``item_ids``), so a
  restart reuses them; the carousel container then goes through the same guarded publish.
* Facebook: ``publish_requested_at`` is saved *before* the feed call. A run that finds it set
  without a post id first looks for the post on the Page's feed (same text, posted after
  the request) and records it if it is there. Several photos are uploaded unpublished first
  (ids saved in ``item_ids``) and attached to that one feed call. A video is uploaded once,
  guarded the same way (its id saved at once, the Page's videos searched after a crash),
  then polled until Facebook has processed it.
* TikTok: the video is uploaded in chunks (``FILE_UPLOAD``). The ``publish_id`` from
  ``video/init`` is saved at once, ``publish_requested_at`` just before the final chunk, and
  the status is polled. An upload that never got its final chunk cannot be posted by TikTok,
  so it is started again; once the final chunk may have gone, only the status is read.

A lease on the row keeps two workers (a slow one and the one the stale-task sweeper started)
from working on the same variant at once. Transient errors are retried with back-off, rate
limits wait for the platform, and expired tokens, missing permissions and refused posts fail
with the platform's reason.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.channels.connectors.base import ConnectorError, ErrorKind
from sinergi.channels.connectors.meta import FacebookPageClient, InstagramClient
from sinergi.channels.connectors.tiktok import TikTokClient, chunk_plan
from sinergi.channels.models import (
    ConnectedAccount,
    MediaAsset,
    MediaKind,
    Platform,
    PostVariant,
    VariantStatus,
)
from sinergi.channels.services.accounts import (
    account_error_record,
    account_expiry_check,
    account_token,
    account_transport,
)
from sinergi.channels.services.posts import post_media, variant_text
from sinergi.channels.services.tiktok_connect import tiktok_call
from sinergi.core.tenancy import tenant_context

logger = logging.getLogger(__name__)

BACKOFF = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1))
MAX_ATTEMPTS = len(BACKOFF) + 1
POLL = timedelta(seconds=20)
QUOTA_WAIT = timedelta(hours=1)


class Outcome(StrEnum):
    SKIPPED = "skipped"  # not due, not ours, or already done
    PUBLISHED = "published"
    WAITING = "waiting"  # the platform is still processing: poll again soon
    RETRY = "retry"  # a transient error or a rate limit: try again later
    FAILED = "failed"


@dataclass(frozen=True)
class StepResult:
    outcome: Outcome
    run_after: datetime | None = None


def _lease_seconds() -> int:
    return int(getattr(settings, "SINERGI_CHANNELS_LEASE_SECONDS", 600))


def _claim(variant_id: int, now: datetime) -> bool:
    """Take the lease on a due variant; False when it is not due or another run holds it.

    The conditional UPDATE filters on the variant's own columns only: a filter through a
    join would make Django write ``WHERE id IN (SELECT …)``, which PostgreSQL evaluates on
    the statement's snapshot, and two workers could both take the lease.
    """
    scheduled_at = (
        PostVariant.objects.filter(pk=variant_id)
        .values_list("post__scheduled_at", flat=True)
        .first()
    )
    if scheduled_at is None or scheduled_at > now:
        return False
    return bool(
        PostVariant.objects.filter(
            Q(pk=variant_id),
            Q(status__in=(VariantStatus.SCHEDULED, VariantStatus.PUBLISHING)),
            Q(lease_until__isnull=True) | Q(lease_until__lt=now),
            Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        ).update(
            status=VariantStatus.PUBLISHING,
            lease_until=now + timedelta(seconds=_lease_seconds()),
        )
    )


def _save(variant: PostVariant, **fields: object) -> None:
    for name, value in fields.items():
        setattr(variant, name, value)
    PostVariant.objects.filter(pk=variant.pk).update(**fields)


def variant_publish_step(
    *, variant_id: int, organisation_id: int, now: datetime | None = None
) -> StepResult:
    """Advance one variant as far as it can go now; says when to come back, if at all."""
    now = now or timezone.now()
    with tenant_context(organisation_id):
        with transaction.atomic():
            if not _claim(variant_id, now):
                return StepResult(Outcome.SKIPPED)
        variant = PostVariant.objects.select_related(
            "account", "post", "post__product", "post__organisation"
        ).get(pk=variant_id)
        account = variant.account
        if not account_expiry_check(account=account, now=now):
            return _failed(
                variant, f"{account.status_reason} — {account.status_action}", account.status
            )
        if account.rate_limited_until and account.rate_limited_until > now:
            return _retry_later(variant, account.rate_limited_until, count=False)
        try:
            result = _PLATFORM_STEPS[account.platform](variant, account, now)
        except ConnectorError as error:
            return _handle_error(variant, account, error, now)
        if result.outcome in (Outcome.WAITING, Outcome.RETRY):
            _save(variant, lease_until=None, next_attempt_at=result.run_after)
        return result


def _published(
    variant: PostVariant, platform_id: str, now: datetime, permalink: str = ""
) -> StepResult:
    _save(
        variant,
        status=VariantStatus.PUBLISHED,
        platform_post_id=platform_id,
        permalink=permalink[:500],
        published_at=now,
        lease_until=None,
        next_attempt_at=None,
        last_error="",
        last_error_code="",
    )
    logger.info("variant %s published as %s", variant.pk, platform_id)
    return StepResult(Outcome.PUBLISHED)


def _failed(variant: PostVariant, message: str, code: str = "") -> StepResult:
    _save(
        variant,
        status=VariantStatus.FAILED,
        last_error=message[:500],
        last_error_code=code[:40],
        lease_until=None,
        next_attempt_at=None,
    )
    logger.warning("variant %s failed: %s (%s)", variant.pk, message, code)
    return StepResult(Outcome.FAILED)


def _retry_later(
    variant: PostVariant, when: datetime, *, count: bool, error: str = ""
) -> StepResult:
    fields: dict[str, object] = {"status": VariantStatus.SCHEDULED, "next_attempt_at": when}
    if count:
        fields["attempts"] = variant.attempts + 1
    if error:
        fields["last_error"] = error[:500]
    _save(variant, **fields, lease_until=None)
    return StepResult(Outcome.RETRY, when)


def _handle_error(
    variant: PostVariant, account: ConnectedAccount, error: ConnectorError, now: datetime
) -> StepResult:
    account_error_record(account=account, error=error, now=now)
    if error.kind == ErrorKind.RATE_LIMITED:
        until = account.rate_limited_until or now + QUOTA_WAIT
        return _retry_later(variant, until, count=False, error=str(error))
    if error.kind == ErrorKind.TRANSIENT:
        if variant.attempts + 1 >= MAX_ATTEMPTS:
            return _failed(variant, str(error), error.code)
        return _retry_later(variant, now + BACKOFF[variant.attempts], count=True, error=str(error))
    if error.kind in (ErrorKind.EXPIRED, ErrorKind.PERMISSION):
        return _failed(variant, f"{error.message} — {account.status_action}", error.code)
    return _failed(variant, error.message, error.code)


def _asset_urls(asset: MediaAsset) -> tuple[str, str]:
    """(image url, video url) of one media file, as the platform fetches it."""
    url = f"{settings.BASE_URL}{asset.file.url}"
    return ("", url) if asset.kind == MediaKind.VIDEO else (url, "")


def _media_url(variant: PostVariant) -> tuple[str, str]:
    """(image url, video url) of the post's first media file."""
    media = post_media(variant.post)
    return _asset_urls(media[0]) if media else ("", "")


# --- Instagram ----------------------------------------------------------------------------


def _instagram_step(variant: PostVariant, account: ConnectedAccount, now: datetime) -> StepResult:
    client = InstagramClient(
        token=account_token(account),
        transport=account_transport(account),
        ig_user_id=account.external_id,
    )
    text = variant_text(variant)
    if not variant.container_id:
        if not variant.item_ids:  # checked once per post, not on every poll of its items
            used, total = client.publishing_limit()
            if used >= total:
                raise ConnectorError(
                    ErrorKind.RATE_LIMITED,
                    _("Instagram allows %(total)d posts a day; that many were posted already.")
                    % {"total": total},
                    code="quota",
                )
        media = post_media(variant.post)
        if len(media) > 1:
            waiting = _instagram_carousel_items(client, variant, media, now)
            if waiting is not None:
                return waiting
            container_id = client.carousel_create(caption=text, children=list(variant.item_ids))
        else:
            image_url, video_url = _asset_urls(media[0]) if media else ("", "")
            container_id = client.container_create(
                caption=text, image_url=image_url, video_url=video_url
            )
        _save(variant, container_id=container_id)  # saved before anything else can fail
    status = client.container_status(variant.container_id)
    if status == "PUBLISHED":
        return _instagram_reconcile(client, variant, text, now)
    if status == "IN_PROGRESS":
        return StepResult(Outcome.WAITING, now + POLL)
    if status == "EXPIRED":  # containers live 24 hours; a carousel's items expire with it
        _save(variant, container_id="", item_ids=[], publish_requested_at=None)
        return StepResult(Outcome.WAITING, now)
    if status != "FINISHED":
        return _failed(
            variant,
            _("Instagram could not process the photo or video (%(s)s).") % {"s": status},
            status,
        )
    _save(variant, publish_requested_at=now)
    media_id = client.media_publish(variant.container_id)
    return _published(variant, media_id, now, _permalink(client, media_id))


def _instagram_carousel_items(
    client: InstagramClient, variant: PostVariant, media: list[MediaAsset], now: datetime
) -> StepResult | None:
    """Make the item containers still missing, each saved as soon as it exists (a restart
    reuses them), and wait until every item has finished processing. None when all are ready."""
    items = list(variant.item_ids)
    for asset in media[len(items) :]:
        image_url, video_url = _asset_urls(asset)
        items.append(client.carousel_item_create(image_url=image_url, video_url=video_url))
        _save(variant, item_ids=list(items))
    statuses = [client.container_status(item_id) for item_id in items]
    for position, status in enumerate(statuses, start=1):
        if status not in ("FINISHED", "IN_PROGRESS", "EXPIRED"):
            return _failed(
                variant,
                _("Instagram could not process file %(n)d of the carousel (%(s)s).")
                % {"n": position, "s": status},
                status,
            )
    if "EXPIRED" in statuses:
        _save(variant, item_ids=[])
        return StepResult(Outcome.WAITING, now)
    if "IN_PROGRESS" in statuses:
        return StepResult(Outcome.WAITING, now + POLL)
    return None


def _instagram_reconcile(
    client: InstagramClient, variant: PostVariant, text: str, now: datetime
) -> StepResult:
    """The container was published by an earlier run that died: find and record the media."""
    for media in client.media_recent():
        if (media.get("caption") or "").strip() == text.strip():
            return _published(variant, str(media["id"]), now, str(media.get("permalink", "")))
    # Published but not (yet) listed: never publish again; keep the container as the id.
    return _published(variant, f"container:{variant.container_id}", now)


def _permalink(client: InstagramClient, media_id: str) -> str:
    try:
        return client.media_permalink(media_id)
    except ConnectorError:
        return ""  # the post is out; the link is a nicety


# --- Facebook -----------------------------------------------------------------------------


def _facebook_step(variant: PostVariant, account: ConnectedAccount, now: datetime) -> StepResult:
    client = FacebookPageClient(
        token=account_token(account),
        transport=account_transport(account),
        page_id=account.external_id,
    )
    text = variant_text(variant)
    media = post_media(variant.post)
    if len(media) == 1 and media[0].kind == MediaKind.VIDEO:
        return _facebook_video_step(client, variant, text, media[0], now)
    if variant.publish_requested_at is not None:
        since = variant.publish_requested_at - timedelta(minutes=1)
        for item in client.feed_recent():
            created = _graph_time(item.get("created_time"))
            if (item.get("message") or "").strip() == text and (
                created is None or created >= since
            ):
                return _published(variant, str(item["id"]), now, str(item.get("permalink_url", "")))
    photo_ids: list[str] = []
    if len(media) > 1:
        # Unpublished photos are invisible until the feed post attaches them: making one
        # twice after a crash leaves an orphan, never a second post.
        photo_ids = list(variant.item_ids)
        for asset in media[len(photo_ids) :]:
            photo_ids.append(client.photo_upload_unpublished(url=_asset_urls(asset)[0]))
            _save(variant, item_ids=list(photo_ids))
    _save(variant, publish_requested_at=now)
    if photo_ids:
        post_id = client.feed_post(message=text, photo_ids=photo_ids)
    elif media:
        post_id = client.photo_post(caption=text, url=_asset_urls(media[0])[0])
    else:
        post_id = client.feed_post(message=text)
    return _published(variant, post_id, now)


def _facebook_video_step(
    client: FacebookPageClient,
    variant: PostVariant,
    text: str,
    asset: MediaAsset,
    now: datetime,
) -> StepResult:
    """``POST /{page}/videos`` once, then poll the video until Facebook has processed it.

    The upload publishes the video, so it is guarded like a feed post: ``publish_requested_at``
    is saved first and the video id at once; a run that finds a request without an id looks
    for the video on the Page (same description, uploaded after the request) before it would
    upload again.
    """
    if not variant.container_id:
        if variant.publish_requested_at is not None:
            since = variant.publish_requested_at - timedelta(minutes=1)
            for item in client.videos_recent():
                created = _graph_time(item.get("created_time"))
                if (item.get("description") or "").strip() == text and (
                    created is None or created >= since
                ):
                    _save(variant, container_id=str(item["id"]))
                    break
        if not variant.container_id:
            _save(variant, publish_requested_at=now)
            video_id = client.video_post(description=text, file_url=_asset_urls(asset)[1])
            _save(variant, container_id=video_id)
    body = client.video_status(variant.container_id)
    status = body.get("status") or {}
    video_status = str(status.get("video_status", ""))
    publishing = str((status.get("publishing_phase") or {}).get("status", ""))
    if video_status == "error" or publishing == "error":
        errors = (status.get("processing_phase") or {}).get("errors") or []
        reason = str(errors[0].get("message", "")) if errors else video_status
        return _failed(
            variant, _("Facebook could not process the video: %(r)s") % {"r": reason}, "video"
        )
    if video_status == "ready" or publishing == "complete":
        post_id = str(body.get("post_id") or variant.container_id)
        return _published(variant, post_id, now, str(body.get("permalink_url", "")))
    return StepResult(Outcome.WAITING, now + POLL)


def _graph_time(raw: object) -> datetime | None:
    if not isinstance(raw, str):
        return None
    try:
        return datetime.strptime(raw, "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return None


# --- TikTok -------------------------------------------------------------------------------

# Unaudited apps may post privately only; of the levels TikTok offers the creator, the most
# private one is taken.
TIKTOK_PRIVACY_ORDER = (
    "SELF_ONLY",
    "MUTUAL_FOLLOW_FRIENDS",
    "FOLLOWER_OF_CREATOR",
    "PUBLIC_TO_EVERYONE",
)


class _LeaseLost(Exception):
    """Another run took this variant over while an upload was under way."""


def _lease_hold(variant: PostVariant, now: datetime, **fields: object) -> None:
    """Extend this run's lease (and save ``fields``) if the run still holds it.

    A long upload keeps its lease chunk by chunk, so a second run cannot start the same
    upload beside it; a run that finds its lease gone stops before sending more.
    """
    renewed = max(now, timezone.now()) + timedelta(seconds=_lease_seconds())
    held = PostVariant.objects.filter(pk=variant.pk, lease_until=variant.lease_until).update(
        lease_until=renewed, **fields
    )
    if not held:
        raise _LeaseLost
    for name, value in {"lease_until": renewed, **fields}.items():
        setattr(variant, name, value)


def _tiktok_step(variant: PostVariant, account: ConnectedAccount, now: datetime) -> StepResult:
    try:
        return tiktok_call(account, lambda client: _tiktok_advance(client, variant, now), now=now)
    except _LeaseLost:
        logger.warning("variant %s: another run took over the TikTok upload", variant.pk)
        return StepResult(Outcome.SKIPPED)


def _tiktok_advance(client: TikTokClient, variant: PostVariant, now: datetime) -> StepResult:
    """Direct Post with ``FILE_UPLOAD``: creator info → init → chunks → status.

    ``publish_id`` is saved as ``container_id`` as soon as init answers, and
    ``publish_requested_at`` just before the final chunk, the one that lets TikTok post.
    Without it an upload never completed, so TikTok cannot post it, and a new init is
    safe; with it, only the status is read from then on.
    """
    if variant.container_id and variant.publish_requested_at is None:
        logger.info("variant %s: unfinished TikTok upload, starting again", variant.pk)
        _save(variant, container_id="")
    if not variant.container_id:
        if variant.publish_requested_at is not None:
            return _failed(
                variant,
                _(
                    "TikTok may have received this video before the connection broke. "
                    "Check the TikTok app; if the video is not there, try again."
                ),
                "unconfirmed",
            )
        refused = _tiktok_upload(client, variant, now)
        if refused is not None:
            return refused
    data = client.status_fetch(variant.container_id)
    status = data.get("status", "")
    if status == "PUBLISH_COMPLETE":
        ids = data.get("publicaly_available_post_id") or []
        return _published(variant, str(ids[0]) if ids else variant.container_id, now)
    if status == "FAILED":
        return _failed(
            variant,
            _("TikTok refused the video: %(r)s") % {"r": data.get("fail_reason", "")},
            "FAILED",
        )
    return StepResult(Outcome.WAITING, now + POLL)


def _tiktok_upload(client: TikTokClient, variant: PostVariant, now: datetime) -> StepResult | None:
    """Check the creator's limits, init and send every chunk; a StepResult only on refusal."""
    asset = variant.post.media.filter(kind=MediaKind.VIDEO).first()
    if asset is None:
        return _failed(variant, _("TikTok posts only videos; this post has none."), "no_video")
    info = client.creator_info()
    longest = info.get("max_video_post_duration_sec")
    if longest and asset.duration_seconds and asset.duration_seconds > float(longest):
        return _failed(
            variant,
            _("TikTok lets this account post videos of up to %(max)s s; %(name)s lasts %(s)d s.")
            % {"max": longest, "name": asset, "s": round(asset.duration_seconds)},
            "too_long",
        )
    offered = [str(level) for level in info.get("privacy_level_options") or []]
    privacy = next((level for level in TIKTOK_PRIVACY_ORDER if level in offered), "")
    if not privacy:
        return _failed(
            variant, _("TikTok offers this account no way to post at the moment."), "privacy"
        )
    try:
        size = asset.file.size
    except OSError:
        return _failed(
            variant,
            _("The file %(name)s is missing from the media library; add the video again.")
            % {"name": asset},
            "missing_file",
        )
    try:
        plan = chunk_plan(size)
    except ValueError:
        return _failed(
            variant,
            _("%(name)s is too large for TikTok; choose a shorter or smaller video.")
            % {"name": asset},
            "too_large",
        )
    publish_id, upload_url = client.video_init_upload(
        title=variant_text(variant), privacy_level=privacy, plan=plan
    )
    _save(variant, container_id=publish_id)  # saved before anything else can fail
    ranges = list(plan.ranges())
    with asset.file.open("rb") as handle:
        for index, (first, last) in enumerate(ranges):
            final = index == len(ranges) - 1
            _lease_hold(variant, now, **({"publish_requested_at": now} if final else {}))
            handle.seek(first)
            client.chunk_put(
                upload_url, handle.read(last - first + 1), first=first, total=plan.video_size
            )
    return None


_PLATFORM_STEPS = {
    Platform.INSTAGRAM: _instagram_step,
    Platform.FACEBOOK: _facebook_step,
    Platform.TIKTOK: _tiktok_step,
}
