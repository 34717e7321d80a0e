"""The demo shops' social channels: preview connections, past posts with metrics, a few
scheduled posts, follower history and WhatsApp conversations with their customers.

Every demo connection is the built-in preview: nothing is ever sent to a platform. Rows are
written with bulk inserts in batches of shops; deterministic for the seed.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.utils import timezone

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
    PostMetric,
    PostVariant,
    VariantStatus,
    token_encrypt,
)
from sinergi.commerce.api import Customer, Product
from sinergi.core.tenancy import across_tenants

if TYPE_CHECKING:
    from sinergi.accounts.api import Organisation
    from sinergi.demo.generator import Ecosystem

SHOPS_PER_BATCH = 500
PAST_POSTS = 10
FUTURE_POSTS = 2
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
CITIES = ("Bandung", "Garut", "Yogyakarta", "Surabaya", "Depok", "Bekasi", "Malang")


def channels_layer(ecosystem: Ecosystem, shop_count: int) -> None:
    """Preview accounts, posts, metrics and conversations for every demo shop."""
    rng = ecosystem.random("channels")
    now = timezone.now()
    token = token_encrypt("preview")
    with across_tenants(reason="the demo generator writes every shop's channels"):
        for first in range(0, len(ecosystem.shops), SHOPS_PER_BATCH):
            _batch(rng, ecosystem.shops[first : first + SHOPS_PER_BATCH], now, token)


def _batch(rng: random.Random, shops: list[Organisation], now: datetime, token: str) -> None:
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
    by_shop = _accounts(shops, now, token)
    _posts(rng, shops, by_shop, products, now)
    _followers(rng, shops, by_shop, now)
    _conversations(
        rng, shops=shops, by_shop=by_shop, products=products, customers=customers, now=now
    )


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
            for platform in (Platform.INSTAGRAM, Platform.FACEBOOK, Platform.WHATSAPP)
        ]
    )
    by_shop: dict[int, dict[str, ConnectedAccount]] = {}
    for account in accounts:
        by_shop.setdefault(account.organisation_id, {})[account.platform] = account
    return by_shop


def _posts(
    rng: random.Random,
    shops: list[Organisation],
    by_shop: dict[int, dict[str, ConnectedAccount]],
    products: dict[int, list[tuple[int | None, str]]],
    now: datetime,
) -> None:
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
                Post(
                    organisation=shop,
                    caption=rng.choice(CAPTIONS).format(product=product_name),
                    product_id=product_id,
                    scheduled_at=when,
                    approved_at=when - timedelta(days=1),
                    created_at=when - timedelta(days=2),
                )
            )
            plans.append((shop, n < PAST_POSTS, hour))
    posts = Post.objects.bulk_create(posts)

    variants, variant_plans = [], []
    for post, (shop, past, hour) in zip(posts, plans, strict=True):
        for platform in (Platform.INSTAGRAM, Platform.FACEBOOK):
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
            count = rng.randint(150, 3000)
            for week in range(8, -1, -1):
                followers.append(
                    AccountMetric(
                        organisation=shop,
                        account=by_shop[shop.pk][platform],
                        captured_at=now - timedelta(weeks=week),
                        followers=count,
                    )
                )
                count += rng.randint(0, 40)
    AccountMetric.objects.bulk_create(followers, batch_size=5000)


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
