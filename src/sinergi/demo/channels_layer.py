"""The demo shops' social channels: preview connections, past posts with metrics, a few
scheduled posts, follower history and WhatsApp conversations with their customers; TikTok
videos with their views, storefront orders the posts brought, and staff's posts that wait for
the owner's approval.

The demo has no video files: its past TikTok posts are records of what was published (a
platform id and metrics, no media), and nothing is scheduled to TikTok, which would refuse a
post without a video. For the same reason the scheduled posts and those waiting for approval
go to Facebook only, which takes a post without a photo: they pass the platform rules as a
scheduled post must.

Every demo connection is the built-in preview: nothing is ever sent to a platform. Rows are
written with bulk inserts in batches of shops; deterministic for the seed.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

from sinergi.accounts.api import Membership, Role
from sinergi.channels.api import (
    AccountMetric,
    AccountStatus,
    ConnectedAccount,
    Conversation,
    ConversationKind,
    Direction,
    Message,
    MessageStatus,
    Platform,
    Post,
    PostAttribution,
    PostMetric,
    PostVariant,
    VariantStatus,
    token_encrypt,
)
from sinergi.commerce.api import Channel, Customer, OrderLine, Product
from sinergi.core.tenancy import across_tenants

if TYPE_CHECKING:
    from sinergi.accounts.api import Organisation
    from sinergi.demo.generator import Ecosystem

SHOPS_PER_BATCH = 500
PAST_POSTS = 10
FUTURE_POSTS = 2
TIKTOK_POSTS = 4
# A post's link brings orders for a week (attribution.WINDOW); this share of the storefront
# orders for a recently posted product came through the post's link.
ATTRIBUTION_WINDOW = timedelta(days=7)
ATTRIBUTED_SHARE = 0.45
CONVERSATIONS = 4
# Hours at which demo shops post, and how well each does (evening posts do best).
HOURS = {8: 0.7, 12: 1.0, 16: 0.9, 19: 1.5, 20: 1.3}
CAPTIONS = (
    "{product} siap kirim hari ini! Pesan lewat WhatsApp ya kak 🙏 #umkm #produklokal",
    "Stok baru {product} sudah datang ✨ Yuk diserbu sebelum kehabisan! #belanjalokal",
    "Promo tanggal muda: {product} lebih hemat minggu ini 🎉 #promo #umkmnaikkelas",
    "Terima kasih pelanggan setia! {product} favorit kalian ada lagi 💛 #bangganbuatanindonesia",
    "Di balik layar: beginilah {product} kami disiapkan setiap pagi ☀️ #ceritaumkm",
)
ASKS = (
    "Kak, {product} masih ada?",
    "Bisa kirim ke {city} kak? Ongkirnya berapa?",
    "Mau pesan {product} 2 ya kak",
    "Harga {product} berapa kak?",
)
ANSWERS = (
    "Masih ada kak, silakan diorder 🙏",
    "Bisa kak, ongkir sekitar 15 ribu ya",
    "Siap kak, kami catat pesanannya",
)
TIKTOK_CAPTIONS = (
    "Cara kami menyiapkan {product} setiap pagi 🎬 #fyp #umkm",
    "Unboxing {product} langsung dari toko 📦 #fyp #produklokal",
    "POV: pesan {product} pagi, sore sudah sampai ✨ #belanjalokal",
    "Sehari di toko kami sampai {product} siap kirim #ceritaumkm #fyp",
)
WAITING_CAPTIONS = (
    "Minggu depan ada promo {product}! Siapkan keranjangnya ya kak 🛒 #promo #umkm",
    "Kata pelanggan: {product} bikin ketagihan 😍 Sudah coba belum? #produklokal",
    "Stok {product} terbatas minggu ini, amankan punyamu sekarang 🙌 #belanjalokal",
)
CITIES = ("Bandung", "Garut", "Yogyakarta", "Surabaya", "Depok", "Bekasi", "Malang")


@dataclass(frozen=True)
class _Published:
    """A past post as attribution needs it."""

    organisation_id: int
    post_id: int
    product_id: int
    at: datetime
    platforms: tuple[str, ...]


def channels_layer(ecosystem: Ecosystem, shop_count: int) -> None:
    """Preview accounts, posts, metrics and conversations for every demo shop."""
    rng = ecosystem.random("channels")
    # TikTok, approvals and attribution draw from their own stream, so the posts,
    # metrics and conversations drawn from ``rng`` stay as they were before them.
    more = ecosystem.random("channels-more")
    now = timezone.now()
    token = token_encrypt("preview")
    with across_tenants(reason="the demo generator writes every shop's channels"):
        for first in range(0, len(ecosystem.shops), SHOPS_PER_BATCH):
            _batch(rng, more, ecosystem.shops[first : first + SHOPS_PER_BATCH], now, token)


def _batch(
    rng: random.Random, more: random.Random, shops: list[Organisation], now: datetime, token: str
) -> None:
    ids = [shop.pk for shop in shops]
    products: dict[int, list[tuple[int | None, str]]] = {}
    for organisation_id, pk, name in Product.objects.filter(
        organisation_id__in=ids, is_active=True
    ).values_list("organisation_id", "pk", "name"):
        products.setdefault(organisation_id, []).append((pk, name))
    customers: dict[int, list[tuple[int, str, str]]] = {}
    for organisation_id, pk, name, phone in (
        Customer.objects.filter(organisation_id__in=ids)
        .exclude(phone="")
        .values_list("organisation_id", "pk", "name", "phone")
    ):
        customers.setdefault(organisation_id, []).append((pk, name, phone))
    owners: dict[int, int] = {}
    staff: dict[int, list[int]] = {}
    for organisation_id, user_id, role in (
        Membership.objects.filter(organisation_id__in=ids, role__in=(Role.OWNER, Role.STAFF))
        .order_by("pk")
        .values_list("organisation_id", "user_id", "role")
    ):
        if role == Role.OWNER:
            owners.setdefault(organisation_id, user_id)
        else:
            staff.setdefault(organisation_id, []).append(user_id)
    by_shop = _accounts(shops, now, token)
    published = _posts(rng, shops, by_shop=by_shop, products=products, now=now, owners=owners)
    _followers(rng, shops, by_shop, now)
    _conversations(
        rng, shops=shops, by_shop=by_shop, products=products, customers=customers, now=now
    )
    published += _tiktok_posts(
        more, shops, by_shop=by_shop, products=products, now=now, owners=owners
    )
    _tiktok_followers(more, shops, by_shop, now)
    _waiting_for_approval(more, shops, by_shop=by_shop, products=products, now=now, staff=staff)
    _attributions(more, ids, published, now)


def _accounts(
    shops: list[Organisation], now: datetime, token: str
) -> dict[int, dict[str, ConnectedAccount]]:
    accounts = ConnectedAccount.objects.bulk_create(
        [
            ConnectedAccount(
                organisation=shop,
                platform=platform,
                name=f"@{shop.slug}" if platform != Platform.WHATSAPP else shop.name,
                external_id=f"preview-{shop.pk}-{platform}",
                phone_number=shop.phone if platform == Platform.WHATSAPP else "",
                access_token_encrypted=token,
                status=AccountStatus.ACTIVE,
                is_preview=True,
                connected_at=now - timedelta(days=90),
            )
            for shop in shops
            for platform in (
                Platform.INSTAGRAM,
                Platform.FACEBOOK,
                Platform.WHATSAPP,
                Platform.TIKTOK,
            )
        ]
    )
    by_shop: dict[int, dict[str, ConnectedAccount]] = {}
    for account in accounts:
        by_shop.setdefault(account.organisation_id, {})[account.platform] = account
    return by_shop


def _posts(
    rng: random.Random,
    shops: list[Organisation],
    *,
    by_shop: dict[int, dict[str, ConnectedAccount]],
    products: dict[int, list[tuple[int | None, str]]],
    now: datetime,
    owners: dict[int, int],
) -> list[_Published]:
    """The shop's Instagram and Facebook posts, composed and approved by its owner."""
    posts, plans = [], []
    for shop in shops:
        catalog = products.get(shop.pk) or [(None, shop.name)]
        for n in range(PAST_POSTS + FUTURE_POSTS):
            product_id, product_name = rng.choice(catalog)
            hour = rng.choice(list(HOURS))
            if n < PAST_POSTS:
                day = now - timedelta(days=rng.randint(1, 60))
            else:
                day = now + timedelta(days=rng.randint(1, 10))
            when = timezone.localtime(day).replace(
                hour=hour, minute=rng.choice((0, 15, 30)), second=0, microsecond=0
            )
            posts.append(
                _owners_post(
                    shop,
                    caption=rng.choice(CAPTIONS).format(product=product_name),
                    product_id=product_id,
                    when=when,
                    owner_id=owners.get(shop.pk),
                )
            )
            plans.append((shop, n < PAST_POSTS, hour))
    posts = Post.objects.bulk_create(posts)

    variants, variant_plans = [], []
    for post, (shop, past, hour) in zip(posts, plans, strict=True):
        # Instagram refuses a post without a photo and the demo has no files: what is still
        # to come goes to Facebook only, so it passes the rules as a scheduled post must.
        for platform in (Platform.INSTAGRAM, Platform.FACEBOOK) if past else (Platform.FACEBOOK,):
            account = by_shop[shop.pk][platform]
            variants.append(
                PostVariant(
                    organisation=shop,
                    post=post,
                    account=account,
                    status=VariantStatus.PUBLISHED if past else VariantStatus.SCHEDULED,
                    platform_post_id=f"preview-{post.pk}-{platform}" if past else "",
                    published_at=post.scheduled_at if past else None,
                    publish_requested_at=post.scheduled_at if past else None,
                )
            )
            variant_plans.append((past, hour, platform))
    variants = PostVariant.objects.bulk_create(variants)
    _metrics(rng, variants, variant_plans, now)
    return [
        _Published(
            post.organisation_id,
            post.pk,
            post.product_id,
            post.scheduled_at,
            (Platform.INSTAGRAM, Platform.FACEBOOK),
        )
        for post, (_shop, past, _hour) in zip(posts, plans, strict=True)
        if past and post.product_id is not None and post.scheduled_at is not None
    ]


def _metrics(
    rng: random.Random,
    variants: list[PostVariant],
    variant_plans: list[tuple[bool, int, Platform]],
    now: datetime,
) -> None:
    metrics = []
    for variant, (past, hour, platform) in zip(variants, variant_plans, strict=True):
        if not past or variant.published_at is None:
            continue
        reach = int(
            rng.randint(150, 900) * HOURS[hour] * (1.4 if platform == Platform.INSTAGRAM else 1)
        )
        for days_after, share in ((1, 0.7), (7, 1.0)):
            captured = variant.published_at + timedelta(days=days_after)
            if captured > now:
                continue
            seen = int(reach * share)
            metrics.append(
                PostMetric(
                    organisation_id=variant.organisation_id,
                    variant=variant,
                    captured_at=captured,
                    reach=seen,
                    impressions=int(seen * 1.3),
                    likes=int(seen * rng.uniform(0.04, 0.1)),
                    comments=int(seen * rng.uniform(0.003, 0.015)),
                    shares=int(seen * rng.uniform(0.002, 0.01)),
                    saves=int(seen * rng.uniform(0.005, 0.02)),
                )
            )
    PostMetric.objects.bulk_create(metrics, batch_size=5000)


def _followers(
    rng: random.Random,
    shops: list[Organisation],
    by_shop: dict[int, dict[str, ConnectedAccount]],
    now: datetime,
) -> None:
    followers = []
    for shop in shops:
        for platform in (Platform.INSTAGRAM, Platform.FACEBOOK):
            followers += _follower_weeks(
                rng, by_shop[shop.pk][platform], start=rng.randint(150, 3000), gain=(0, 40), now=now
            )
    AccountMetric.objects.bulk_create(followers, batch_size=5000)


def _follower_weeks(
    rng: random.Random,
    account: ConnectedAccount,
    *,
    start: int,
    gain: tuple[int, int],
    now: datetime,
) -> list[AccountMetric]:
    """The account's followers each week of the last eight, from ``start`` and growing by a
    number of followers in the ``gain`` range every week."""
    weeks = []
    count = start
    for week in range(8, -1, -1):
        weeks.append(
            AccountMetric(
                organisation_id=account.organisation_id,
                account=account,
                captured_at=now - timedelta(weeks=week),
                followers=count,
            )
        )
        count += rng.randint(*gain)
    return weeks


def _conversations(
    rng: random.Random,
    *,
    shops: list[Organisation],
    by_shop: dict[int, dict[str, ConnectedAccount]],
    products: dict[int, list[tuple[int | None, str]]],
    customers: dict[int, list[tuple[int, str, str]]],
    now: datetime,
) -> None:
    threads, scripts = [], []
    for shop in shops:
        people = rng.sample(
            customers.get(shop.pk, []), min(CONVERSATIONS, len(customers.get(shop.pk, [])))
        )
        catalog = products.get(shop.pk) or [(None, shop.name)]
        for customer_id, name, phone in people:
            last = now - timedelta(hours=rng.uniform(0.2, 72))
            ask = rng.choice(ASKS).format(product=rng.choice(catalog)[1], city=rng.choice(CITIES))
            answered = rng.random() < 0.6
            threads.append(
                Conversation(
                    organisation=shop,
                    account=by_shop[shop.pk][Platform.WHATSAPP],
                    kind=ConversationKind.WHATSAPP,
                    external_thread_id=phone.lstrip("+"),
                    customer_name=name,
                    customer_phone=phone,
                    customer_id=customer_id,
                    last_message_at=last + timedelta(minutes=5) if answered else last,
                    last_inbound_at=last,
                    unread=0 if answered else 1,
                )
            )
            scripts.append((last, ask, answered))
    threads = Conversation.objects.bulk_create(threads)
    messages = []
    for thread, (last, ask, answered) in zip(threads, scripts, strict=True):
        messages.append(
            Message(
                organisation_id=thread.organisation_id,
                account=thread.account,
                conversation=thread,
                direction=Direction.INBOUND,
                platform_message_id=f"wamid.demo.{thread.pk}.1",
                text=ask,
                status=MessageStatus.RECEIVED,
                sent_at=last,
            )
        )
        if answered:
            messages.append(
                Message(
                    organisation_id=thread.organisation_id,
                    account=thread.account,
                    conversation=thread,
                    direction=Direction.OUTBOUND,
                    platform_message_id=f"wamid.demo.{thread.pk}.2",
                    text=rng.choice(ANSWERS),
                    status=MessageStatus.READ,
                    sent_at=last + timedelta(minutes=5),
                )
            )
    Message.objects.bulk_create(messages, batch_size=5000)


def _owners_post(
    shop: Organisation,
    *,
    caption: str,
    product_id: int | None,
    when: datetime,
    owner_id: int | None,
) -> Post:
    """A post for ``when`` that the shop's owner wrote two days and approved one day before."""
    return Post(
        organisation=shop,
        caption=caption,
        product_id=product_id,
        scheduled_at=when,
        created_by_id=owner_id,
        approved_by_id=owner_id,
        approved_at=when - timedelta(days=1),
        created_at=when - timedelta(days=2),
    )


def _when(rng: random.Random, day: datetime) -> datetime:
    return timezone.localtime(day).replace(
        hour=rng.choice(list(HOURS)), minute=rng.choice((0, 15, 30)), second=0, microsecond=0
    )


def _tiktok_posts(
    rng: random.Random,
    shops: list[Organisation],
    *,
    by_shop: dict[int, dict[str, ConnectedAccount]],
    products: dict[int, list[tuple[int | None, str]]],
    now: datetime,
    owners: dict[int, int],
) -> list[_Published]:
    """Past TikTok videos with their views, likes, comments and shares (TikTok reports no
    reach or saves). Records of what was published: the demo has no video files."""
    posts = []
    for shop in shops:
        catalog = products.get(shop.pk) or [(None, shop.name)]
        for _ in range(TIKTOK_POSTS):
            product_id, product_name = rng.choice(catalog)
            when = _when(rng, now - timedelta(days=rng.randint(1, 60)))
            posts.append(
                _owners_post(
                    shop,
                    caption=rng.choice(TIKTOK_CAPTIONS).format(product=product_name),
                    product_id=product_id,
                    when=when,
                    owner_id=owners.get(shop.pk),
                )
            )
    posts = Post.objects.bulk_create(posts)
    variants = PostVariant.objects.bulk_create(
        [
            PostVariant(
                organisation_id=post.organisation_id,
                post=post,
                account=by_shop[post.organisation_id][Platform.TIKTOK],
                status=VariantStatus.PUBLISHED,
                platform_post_id=f"preview-{post.pk}-{Platform.TIKTOK}",
                published_at=post.scheduled_at,
                publish_requested_at=post.scheduled_at,
            )
            for post in posts
        ]
    )
    metrics = []
    for variant in variants:
        published_at = variant.published_at
        if published_at is None:
            continue
        views = int(rng.randint(400, 4000) * HOURS.get(timezone.localtime(published_at).hour, 1))
        for days_after, share in ((1, 0.75), (7, 1.0)):
            captured = published_at + timedelta(days=days_after)
            if captured > now:
                continue
            seen = int(views * share)
            metrics.append(
                PostMetric(
                    organisation_id=variant.organisation_id,
                    variant=variant,
                    captured_at=captured,
                    video_views=seen,
                    likes=int(seen * rng.uniform(0.05, 0.12)),
                    comments=int(seen * rng.uniform(0.002, 0.01)),
                    shares=int(seen * rng.uniform(0.003, 0.015)),
                )
            )
    PostMetric.objects.bulk_create(metrics, batch_size=5000)
    return [
        _Published(
            post.organisation_id, post.pk, post.product_id, post.scheduled_at, (Platform.TIKTOK,)
        )
        for post in posts
        if post.product_id is not None and post.scheduled_at is not None
    ]


def _tiktok_followers(
    rng: random.Random,
    shops: list[Organisation],
    by_shop: dict[int, dict[str, ConnectedAccount]],
    now: datetime,
) -> None:
    followers = []
    for shop in shops:
        # Short videos find new followers faster.
        followers += _follower_weeks(
            rng,
            by_shop[shop.pk][Platform.TIKTOK],
            start=rng.randint(80, 2500),
            gain=(5, 90),
            now=now,
        )
    AccountMetric.objects.bulk_create(followers, batch_size=5000)


def _waiting_for_approval(
    rng: random.Random,
    shops: list[Organisation],
    *,
    by_shop: dict[int, dict[str, ConnectedAccount]],
    products: dict[int, list[tuple[int | None, str]]],
    now: datetime,
    staff: dict[int, list[int]],
) -> None:
    """One or two upcoming posts a staff member composed and sent for the owner's approval
    (shops run by their owner alone have none). They go to Facebook, which takes a post
    without a photo, so they pass the platform rules as a post sent for approval must."""
    posts = []
    for shop in shops:
        team = staff.get(shop.pk)
        if not team:
            continue
        catalog = products.get(shop.pk) or [(None, shop.name)]
        for _ in range(rng.randint(1, 2)):
            product_id, product_name = rng.choice(catalog)
            posts.append(
                Post(
                    organisation=shop,
                    caption=rng.choice(WAITING_CAPTIONS).format(product=product_name),
                    product_id=product_id,
                    scheduled_at=_when(rng, now + timedelta(days=rng.randint(2, 9))),
                    created_by_id=rng.choice(team),
                    created_at=now - timedelta(hours=rng.uniform(1, 30)),
                )
            )
    posts = Post.objects.bulk_create(posts)
    PostVariant.objects.bulk_create(
        [
            PostVariant(
                organisation_id=post.organisation_id,
                post=post,
                account=by_shop[post.organisation_id][Platform.FACEBOOK],
                status=VariantStatus.AWAITING_APPROVAL,
            )
            for post in posts
        ]
    )


def _attributions(
    rng: random.Random, shop_ids: list[int], published: list[_Published], now: datetime
) -> None:
    """Attribute a share of the storefront orders placed within a week after a post about
    one of their products to that post (the latest such post: the last click wins)."""
    if not published:
        return
    posts: dict[tuple[int, int], list[_Published]] = {}
    for post in sorted(published, key=lambda p: (p.at, p.post_id)):
        posts.setdefault((post.organisation_id, post.product_id), []).append(post)
    earliest = min(post.at for post in published)
    orders: dict[int, tuple[int, datetime, set[int]]] = {}
    for order_id, organisation_id, placed_at, product_id in (
        OrderLine.objects.filter(
            organisation_id__in=shop_ids,
            order__channel=Channel.STOREFRONT,
            order__placed_at__gte=earliest,
            order__placed_at__lte=now,
            variant__isnull=False,
        )
        .order_by("order__placed_at", "order_id", "pk")
        .values_list("order_id", "organisation_id", "order__placed_at", "variant__product_id")
    ):
        orders.setdefault(order_id, (organisation_id, placed_at, set()))[2].add(product_id)
    rows = []
    for order_id, (organisation_id, placed_at, bought) in orders.items():
        recent = [
            post
            for product_id in sorted(bought)
            for post in posts.get((organisation_id, product_id), [])
            if post.at <= placed_at <= post.at + ATTRIBUTION_WINDOW
        ]
        if not recent or rng.random() >= ATTRIBUTED_SHARE:
            continue
        post = max(recent, key=lambda p: (p.at, p.post_id))
        rows.append(
            PostAttribution(
                organisation_id=organisation_id,
                post_id=post.post_id,
                order_id=order_id,
                source=rng.choice(post.platforms),
                attributed_at=placed_at,
            )
        )
    PostAttribution.objects.bulk_create(rows, batch_size=5000)
