"""Each platform's rules for a post, checked before it can be scheduled.

Sources: Instagram Graph API "Content Publishing" (JPEG only, aspect ratio 4:5 to 1.91:1
for photos and a carousel's videos, 8 MB images, reels MP4/MOV 3 s to 15 min, 2,200-character
captions, 30 hashtags, carousels of 2 to 10 photos and videos), Facebook Page photos/videos
(several photos go out as one feed post with ``attached_media``; a video goes alone), TikTok
Content Posting API (one video, MP4/WebM/MOV, 3 s to 10 min, 4 GB, 2,200-character title).
Pure functions: no database.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MB = 1024 * 1024
HASHTAG = re.compile(r"(?<!\w)#\w+")


@dataclass(frozen=True)
class MediaFacts:
    """What the rules need to know about one media file."""

    name: str
    kind: str  # "image" or "video"
    content_type: str
    size_bytes: int
    width: int
    height: int
    duration_seconds: float | None = None


@dataclass(frozen=True)
class PlatformRules:
    caption_max: int
    hashtags_max: int | None
    media_required: bool
    media_max: int
    image_types: frozenset[str]
    image_max_bytes: int
    video_types: frozenset[str]
    video_max_bytes: int
    aspect_min: float | None  # width / height
    aspect_max: float | None
    video_min_seconds: float
    video_max_seconds: float
    images_allowed: bool = True
    # Whether a video may be one of several files (an Instagram carousel) or must go alone
    # (a Facebook album holds photos only).
    videos_in_carousel: bool = True


_MP4_MOV = frozenset({"video/mp4", "video/quicktime"})

RULES: dict[str, PlatformRules] = {
    "instagram": PlatformRules(
        caption_max=2200,
        hashtags_max=30,
        media_required=True,
        media_max=10,
        image_types=frozenset({"image/jpeg"}),
        image_max_bytes=8 * MB,
        video_types=_MP4_MOV,
        video_max_bytes=300 * MB,
        aspect_min=4 / 5,
        aspect_max=1.91,
        video_min_seconds=3,
        video_max_seconds=15 * 60,
    ),
    "facebook": PlatformRules(
        caption_max=63206,
        hashtags_max=None,
        media_required=False,
        media_max=10,
        image_types=frozenset({"image/jpeg", "image/png", "image/gif", "image/webp"}),
        image_max_bytes=10 * MB,
        video_types=_MP4_MOV,
        video_max_bytes=1024 * MB,
        aspect_min=None,
        aspect_max=None,
        video_min_seconds=1,
        video_max_seconds=240 * 60,
        videos_in_carousel=False,
    ),
    "tiktok": PlatformRules(
        caption_max=2200,
        hashtags_max=None,
        media_required=True,
        media_max=1,
        image_types=frozenset(),
        image_max_bytes=0,
        video_types=frozenset({"video/mp4", "video/webm", "video/quicktime"}),
        video_max_bytes=4096 * MB,
        aspect_min=None,
        aspect_max=None,
        video_min_seconds=3,
        video_max_seconds=10 * 60,
        images_allowed=False,
    ),
}


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB"


def post_problems(platform: str, caption: str, media: list[MediaFacts]) -> list[str]:
    """Every reason ``platform`` would refuse this post, as sentences for the shop; [] if none."""
    rules = RULES.get(platform)
    if rules is None:
        return []
    label = {"instagram": "Instagram", "facebook": "Facebook", "tiktok": "TikTok"}[platform]
    problems: list[str] = []
    if len(caption) > rules.caption_max:
        problems.append(
            _("%(platform)s: the caption has %(count)d characters; the limit is %(limit)d.")
            % {"platform": label, "count": len(caption), "limit": rules.caption_max}
        )
    hashtags = len(HASHTAG.findall(caption))
    if rules.hashtags_max is not None and hashtags > rules.hashtags_max:
        problems.append(
            _("%(platform)s: %(count)d hashtags; at most %(limit)d are allowed.")
            % {"platform": label, "count": hashtags, "limit": rules.hashtags_max}
        )
    if rules.media_required and not media:
        problems.append(
            _("%(platform)s needs a video.") % {"platform": label}
            if not rules.images_allowed
            else _("%(platform)s needs a photo or a video.") % {"platform": label}
        )
    problems += _count_problems(label, rules, media)
    for item in media:
        problems += _media_problems(label, rules, item, in_carousel=len(media) > 1)
    return problems


def _count_problems(label: str, rules: PlatformRules, media: list[MediaFacts]) -> list[str]:
    """How many files the platform takes in one post, and which may go together."""
    count = len(media)
    if rules.media_max == 1 and count > 1:
        return [
            ngettext(
                "%(platform)s posts only one video; this post has %(count)d file. Choose one.",
                "%(platform)s posts only one video; this post has %(count)d files. Choose one.",
                count,
            )
            % {"platform": label, "count": count}
        ]
    if count > rules.media_max:
        return [
            ngettext(
                "%(platform)s: a carousel takes 2 to %(limit)d photos or videos; "
                "this post has %(count)d file.",
                "%(platform)s: a carousel takes 2 to %(limit)d photos or videos; "
                "this post has %(count)d files.",
                count,
            )
            % {"platform": label, "limit": rules.media_max, "count": count}
        ]
    if count > 1 and not rules.videos_in_carousel and any(m.kind == "video" for m in media):
        return [
            _(
                "%(platform)s posts several photos together, but a video goes alone: "
                "choose either one video or only photos."
            )
            % {"platform": label}
        ]
    return []


def _media_problems(
    label: str, rules: PlatformRules, item: MediaFacts, *, in_carousel: bool
) -> list[str]:
    facts = {"platform": label, "name": item.name}
    if item.kind == "image":
        if not rules.images_allowed:
            return [_("%(platform)s posts only videos; %(name)s is a photo.") % facts]
        if item.content_type not in rules.image_types:
            kinds = ", ".join(sorted(t.split("/")[1].upper() for t in rules.image_types))
            return [
                _("%(platform)s accepts %(kinds)s photos; %(name)s is %(type)s.")
                % (facts | {"kinds": kinds, "type": item.content_type})
            ]
        problems = []
        if item.size_bytes > rules.image_max_bytes:
            problems.append(
                _("%(platform)s: %(name)s is %(size)s; photos may be at most %(limit)s.")
                % (facts | {"size": _mb(item.size_bytes), "limit": _mb(rules.image_max_bytes)})
            )
        problems += _aspect_problems(rules, item, facts)
        return problems
    if item.content_type not in rules.video_types:
        return [
            _("%(platform)s accepts MP4 or MOV videos; %(name)s is %(type)s.")
            % (facts | {"type": item.content_type})
        ]
    problems = []
    if item.size_bytes > rules.video_max_bytes:
        problems.append(
            _("%(platform)s: %(name)s is %(size)s; videos may be at most %(limit)s.")
            % (facts | {"size": _mb(item.size_bytes), "limit": _mb(rules.video_max_bytes)})
        )
    duration = item.duration_seconds
    if duration is not None and not (
        rules.video_min_seconds <= duration <= rules.video_max_seconds
    ):
        problems.append(
            _(
                "%(platform)s: %(name)s lasts %(seconds)d s; "
                "videos must last %(min)d s to %(max)d s."
            )
            % (
                facts
                | {
                    "seconds": round(duration),
                    "min": rules.video_min_seconds,
                    "max": rules.video_max_seconds,
                }
            )
        )
    if in_carousel:  # a video alone is a reel (9:16 is its usual shape); in a carousel it is
        problems += _aspect_problems(rules, item, facts)  # cropped like the photos
    return problems


def _aspect_problems(rules: PlatformRules, item: MediaFacts, facts: dict[str, str]) -> list[str]:
    if rules.aspect_min is None or rules.aspect_max is None or not item.width or not item.height:
        return []
    ratio = item.width / item.height
    if rules.aspect_min - 0.005 <= ratio <= rules.aspect_max + 0.005:
        return []
    return [
        _(
            "%(platform)s: %(name)s is %(width)d×%(height)d; the shape must be between "
            "4:5 (portrait) and 1.91:1 (landscape). Crop it and upload it again."
        )
        % (facts | {"width": item.width, "height": item.height})
    ]
