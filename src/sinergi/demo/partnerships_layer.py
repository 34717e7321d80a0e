"""The partnership hub in the demo: offerings, help requests, programmes, past matches,
engagements with sessions and ratings, and the contribution ledger.

Deterministic for a seed (its own random stream, "partnerships"); rows are built in memory
and written with bulk inserts, so the layer stays fast at benchmark sizes.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.utils import timezone

from sinergi.accounts.api import Organisation, OrganisationKind, sector_family
from sinergi.core.models import Province, Regency
from sinergi.core.tenancy import across_tenants
from sinergi.partnerships.models import (
    Application,
    Contribution,
    Engagement,
    EngagementMember,
    EngagementSession,
    HelpRequest,
    Match,
    MatchRun,
    Offering,
    Programme,
    ProgrammeOffering,
)

# (title, kind, topics, capacity, unit, per shop, mode, schedule)
_Template = tuple[str, str, tuple[str, ...], int, str, int, str, str]

# fmt: off
OFFERINGS: dict[str, tuple[_Template, ...]] = {
    OrganisationKind.INDUSTRY: (
        ("Pelatihan Jualan di Instagram untuk UMKM Kuliner", "course", ("social-media", "digital-marketing"), 40, "seats", 1, "online", "Sabtu 09.00-12.00, 4 pekan"),  # noqa: E501
        ("Workshop Foto Produk Pakai HP", "workshop", ("photography", "social-media"), 25, "seats", 1, "on_site", "Satu hari, 08.30-15.00"),  # noqa: E501
        ("Pendampingan Buka Toko di Shopee dan Tokopedia", "mentoring", ("e-commerce",), 60, "hours", 6, "online", "3 sesi @ 2 jam"),  # noqa: E501
        ("Dukungan Teknis Pembayaran QRIS", "technical_support", ("digital-payments",), 80, "hours", 2, "on_site", "Sesuai janji"),  # noqa: E501
        ("Kelas Iklan Berbayar TikTok untuk Pemula", "course", ("digital-marketing", "social-media"), 50, "seats", 1, "online", "Rabu malam 19.30-21.00, 3 pekan"),  # noqa: E501
        ("Pelatihan Kirim Paket Hemat dan Aman", "workshop", ("logistics", "packaging"), 30, "seats", 1, "on_site", "Satu hari"),  # noqa: E501
    ),
    OrganisationKind.ACADEMIA: (
        ("Magang Mahasiswa: Digitalisasi Pembukuan", "internship", ("bookkeeping", "data-analytics"), 6, "teams", 1, "on_site", "8 pekan, 3 hari per pekan"),  # noqa: E501
        ("Magang Mahasiswa: Katalog dan Toko Online", "internship", ("e-commerce", "photography"), 5, "teams", 1, "on_site", "10 pekan"),  # noqa: E501
        ("Seminar Keamanan Siber untuk Pelaku UMKM", "seminar", ("cybersecurity",), 100, "seats", 1, "online", "Kamis 13.00-15.00"),  # noqa: E501
        ("Mentoring Analisis Data Penjualan Sederhana", "mentoring", ("data-analytics", "bookkeeping"), 48, "hours", 4, "online", "4 sesi @ 1 jam"),  # noqa: E501
        ("Klinik Desain Kemasan Produk", "workshop", ("packaging", "product-design"), 20, "seats", 1, "on_site", "Dua hari"),  # noqa: E501
    ),
    OrganisationKind.GOVERNMENT: (
        ("Hibah Peralatan Pengemasan", "grant", ("packaging",), 150_000_000, "rupiah", 5_000_000, "on_site", "Penyaluran triwulan III"),  # noqa: E501
        ("Bantuan Internet dan Tablet untuk Warung", "infrastructure", ("connectivity",), 40, "seats", 1, "on_site", "Pemasangan Juli-Agustus"),  # noqa: E501
        ("Pelatihan NIB dan Sertifikasi Halal Gratis", "course", ("licensing",), 80, "seats", 1, "on_site", "Sabtu, 2 pekan"),  # noqa: E501
        ("Bimbingan Teknis Ekspor untuk UMKM", "course", ("export", "logistics"), 30, "seats", 1, "online", "5 sesi daring"),  # noqa: E501
    ),
}
# fmt: on

NEEDS: dict[str, tuple[str, ...]] = {
    "social-media": (
        "Kami jualan di Instagram tapi yang pesan sedikit. "
        "Ingin belajar bikin konten dan balas DM lebih cepat.",
        "Akun Instagram toko sepi, tidak tahu jam posting yang bagus dan cara pakai Reels.",
    ),
    "e-commerce": (
        "Ingin buka toko di Shopee tapi bingung mengatur ongkir dan foto produk.",
        "Sudah punya toko online tapi penjualan turun, perlu dibantu atur katalog dan promo.",
    ),
    "bookkeeping": (
        "Catatan keuangan masih di buku tulis, sering lupa uang masuk dan keluar.",
        "Ingin tahu untung bersih tiap bulan dan memisahkan uang usaha dan rumah tangga.",
    ),
    "photography": ("Foto produk gelap dan kurang menarik, mau belajar foto pakai HP.",),
    "packaging": (
        "Kemasan mudah rusak saat dikirim jauh, perlu kemasan yang lebih baik dan murah.",
    ),
    "digital-payments": ("Pelanggan sering minta bayar pakai QRIS, kami belum punya.",),
    "licensing": ("Belum punya NIB dan sertifikat halal, padahal diminta toko oleh-oleh.",),
    "data-analytics": ("Ingin tahu produk mana yang paling laku dan kapan stok harus ditambah.",),
    "cybersecurity": ("Akun WhatsApp Business pernah dibajak, takut terulang.",),
    "logistics": ("Ongkir mahal dan paket sering telat, perlu cari ekspedisi yang cocok.",),
    "connectivity": ("Sinyal internet di warung lemah, susah terima pesanan online.",),
    "export": ("Ada pembeli dari Malaysia, tapi belum paham aturan ekspor.",),
}
NEED_WEIGHTS = {
    "social-media": 24,
    "e-commerce": 18,
    "bookkeeping": 14,
    "photography": 9,
    "packaging": 8,
    "digital-payments": 7,
    "licensing": 6,
    "data-analytics": 5,
    "cybersecurity": 3,
    "logistics": 3,
    "connectivity": 2,
    "export": 1,
}
STUDY_PROGRAMMES = (
    "Akuntansi",
    "Sistem Informasi",
    "Manajemen",
    "Teknik Informatika",
    "Desain Komunikasi Visual",
)
FIRST_NAMES = ("Ayu", "Bima", "Citra", "Dimas", "Eka", "Fajar", "Gita", "Hendra", "Intan", "Joko")
LAST_NAMES = ("Pratama", "Lestari", "Saputra", "Wulandari", "Nugroho", "Kusuma", "Hidayat")
SESSION_TITLES = (
    "Pertemuan awal dan pemetaan kebutuhan",
    "Praktik langsung",
    "Evaluasi pekan pertama",
    "Pendampingan lanjutan",
    "Presentasi hasil",
)
DELIVERABLES = (
    "Rencana konten 30 hari",
    "Template pembukuan di spreadsheet",
    "20 foto produk baru",
    "Akun toko online aktif",
    "Laporan penjualan bulanan",
    "",
)
FEEDBACK_SHOP = (
    "Sangat membantu, sekarang pesanan lewat Instagram naik.",
    "Materinya jelas dan praktis.",
    "Mahasiswanya rajin, pembukuan kami jadi rapi.",
    "Bagus, tapi waktunya kurang panjang.",
)
FEEDBACK_PARTNER = (
    "Pemilik usaha antusias dan cepat belajar.",
    "Kehadiran baik, tugas dikerjakan.",
    "Perlu pendampingan lanjutan untuk pemasaran.",
)


def _offerings(rng: random.Random, partners: list[Organisation], today: date) -> list[Offering]:
    rows: list[Offering] = []
    for partner in partners:
        templates = OFFERINGS.get(partner.kind, ())
        for template in rng.sample(templates, k=min(len(templates), rng.randint(2, 4))):
            title, kind, topics, capacity, unit, per_shop, mode, schedule = template
            starts = today + timedelta(days=rng.randint(-120, 60))
            on_site = mode == "on_site"
            status = rng.choices(["published", "draft", "closed"], weights=[80, 10, 10])[0]
            rows.append(
                Offering(
                    organisation=partner,
                    title=title,
                    description=f"{title} oleh {partner.name}. Gratis untuk UMKM terpilih.",
                    kind=kind,
                    topics=list(topics),
                    capacity=capacity,
                    capacity_unit=unit,
                    per_shop=per_shop,
                    mode=mode,
                    province_id=partner.province_id
                    if on_site or partner.kind == "government"
                    else None,
                    regency_id=partner.regency_id if on_site else None,
                    starts_on=starts,
                    ends_on=starts + timedelta(days=rng.choice([1, 14, 28, 56, 70])),
                    schedule=schedule,
                    language="id",
                    eligible_sectors=[] if rng.random() < 0.7 else ["culinary"],
                    eligible_size_classes=["micro", "small"] if kind == "grant" else [],
                    eligible_provinces=[partner.province_id]
                    if partner.kind == "government" and partner.province_id
                    else [],
                    contact_name=f"Humas {partner.name}"[:120],
                    contact_email=partner.email,
                    contact_phone=partner.phone,
                    status=status,
                    created_at=timezone.now() - timedelta(days=rng.randint(30, 200)),
                    published_at=None
                    if status == "draft"
                    else timezone.now() - timedelta(days=rng.randint(10, 150)),
                    closed_at=timezone.now() - timedelta(days=rng.randint(1, 9))
                    if status == "closed"
                    else None,
                )
            )
    return rows


def _help_requests(rng: random.Random, shops: list[Organisation]) -> list[HelpRequest]:
    topics = list(NEED_WEIGHTS)
    weights = list(NEED_WEIGHTS.values())
    rows: list[HelpRequest] = []
    for index, shop in enumerate(shops):
        # The demo owner's two shops always have a request about Instagram selling.
        demo = index in (0, 1)
        count = 1 if demo else rng.choices([0, 1, 2], weights=[45, 45, 10])[0]
        for n in range(count):
            topic = "social-media" if demo and n == 0 else rng.choices(topics, weights)[0]
            rows.append(
                HelpRequest(
                    organisation=shop,
                    topic=topic,
                    urgency=rng.choices(["low", "medium", "high"], weights=[25, 50, 25])[0],
                    description=rng.choice(NEEDS[topic]),
                    languages=["id"],
                    status="open",
                    created_at=timezone.now() - timedelta(days=rng.randint(1, 120)),
                )
            )
    return rows


def _fits(offering: Offering, shop: Organisation) -> bool:
    family = str(sector_family(shop.kbli_code)) if shop.kbli_code else ""
    if offering.eligible_sectors and family not in offering.eligible_sectors:
        return False
    if offering.eligible_size_classes and shop.size_class not in offering.eligible_size_classes:
        return False
    if offering.eligible_provinces and shop.province_id not in offering.eligible_provinces:
        return False
    return offering.mode == "online" or offering.province_id == shop.province_id


def _programmes(
    rng: random.Random,
    partners: list[Organisation],
    shops: list[Organisation],
    published: list[Offering],
) -> tuple[list[Programme], list[MatchRun], dict[int, list[Offering]]]:
    """Two programmes with quotas, their offerings and one finished match run each.

    The demo officer's agency (the first) runs one, and so does the agency of the province
    with most shops. An agency whose province has few shops runs a national programme with
    quotas for the provinces with most shops instead.
    """
    now, year = timezone.now(), timezone.localdate().year
    names = dict(Province.objects.values_list("code", "name"))
    shops_in = Counter(shop.province_id for shop in shops)
    governments = [p for p in partners if p.kind == OrganisationKind.GOVERNMENT]
    chosen = (
        governments[:1]
        + sorted(governments[1:], key=lambda g: (-shops_in[g.province_id], g.pk))[:1]
    )
    rows = []
    for index, government in enumerate(chosen):
        province = government.province_id or ""
        if shops_in[province] >= MIN_PROVINCIAL_SHOPS:
            title = f"Provinsi {names.get(province, province)}"
            quotas = {province: {"max": max(5, len(shops) // 4)}}
        else:
            title = "Nasional"
            ranked = [code for code, _ in shops_in.most_common() if code]
            top = ranked[3 * index : 3 * index + 3] or ranked[:3]
            quotas = {code: {"max": max(3, len(shops) // 10)} for code in top}
        rows.append(
            Programme(
                organisation=government,
                name=f"Program UMKM Naik Kelas Digital {year} — {title}",
                description=(
                    "Pelatihan, pendampingan dan magang mahasiswa untuk UMKM yang ingin "
                    "berjualan online, bekerja sama dengan kampus dan perusahaan mitra."
                ),
                quotas=quotas,
                applications_open_at=now - timedelta(days=45),
                applications_close_at=now + timedelta(days=15),
                status="open",
                created_at=now - timedelta(days=60),
            )
        )
    programmes = Programme.objects.bulk_create(rows)
    links: list[ProgrammeOffering] = []
    runs: list[MatchRun] = []
    chosen_of: dict[int, list[Offering]] = {}
    for programme in programmes:
        province = programme.organisation.province_id
        pool = [
            o
            for o in published
            if o.status == "published" and (o.mode == "online" or o.province_id == province)
        ]
        included = chosen_of[programme.pk] = rng.sample(pool, k=min(len(pool), 6))
        links += [
            ProgrammeOffering(organisation=programme.organisation, programme=programme, offering=o)
            for o in included
        ]
        runs.append(
            MatchRun(
                organisation=programme.organisation,
                programme=programme,
                objective="optimal",
                seed=rng.randrange(2**31),
                status="done",
                progress=100,
                created_at=now - timedelta(days=30),
                started_at=now - timedelta(days=30),
                finished_at=now - timedelta(days=30, seconds=-4),
            )
        )
    ProgrammeOffering.objects.bulk_create(links)
    return programmes, MatchRun.objects.bulk_create(runs), chosen_of


@dataclass
class _Matcher:
    """Replays a past programme match: each open request meets the first programme offering
    that fits it; when the places are gone, the shop is waitlisted with a lottery number."""

    rng: random.Random
    requests: list[HelpRequest]
    demo_shop_ids: set[int]
    shop_by_id: dict[int, Organisation]
    regency_names: dict[str, str]
    taken: dict[int, int] = field(default_factory=dict)
    used: set[int] = field(default_factory=set)
    matches: list[Match] = field(default_factory=list)

    def run(self, run: MatchRun, programme: Programme, pool: list[Offering]) -> None:
        """Match one programme: only shops of the provinces it has quotas for, nobody placed
        beyond a province's quota (the rest are waitlisted by lottery)."""
        quotas = programme.quotas
        placed: Counter[str] = Counter()
        lottery = matched = 0
        for help_request in self.requests:
            shop = self.shop_by_id[help_request.organisation_id]
            province = shop.province_id or ""
            if quotas and province not in quotas:
                continue
            fitting = [o for o in pool if help_request.topic in o.topics and _fits(o, shop)]
            if help_request.pk in self.used or not fitting:
                continue
            offering = fitting[0]
            self.used.add(help_request.pk)
            quota_left = quotas.get(province, {}).get("max", 10**9) - placed[province]
            left = min(offering.places - self.taken.get(offering.pk, 0), quota_left)
            place = self.regency_names.get(shop.regency_id or "", "")
            place = place if offering.mode == "on_site" else ""
            why: dict[str, Any] = {"topic": help_request.topic, "urgency": help_request.urgency}
            why |= {"location": place} if place else {"online": True}
            common = {
                "organisation": offering.organisation,
                "run": run,
                "shop": shop,
                "help_request": help_request,
                "offering": offering,
                "created_at": run.created_at,
            }
            if left <= 0:
                lottery += 1
                self.matches.append(
                    Match(
                        **common,
                        explanation=why | {"lottery": lottery},
                        status="waitlisted",
                        lottery_number=lottery,
                    )
                )
                continue
            status = self.rng.choices(["accepted", "proposed", "declined"], [65, 20, 15])[0]
            if help_request.organisation_id in self.demo_shop_ids:
                status = "proposed"  # the demo owner has an offer waiting for an answer
            if status == "accepted":
                self.taken[offering.pk] = self.taken.get(offering.pk, 0) + 1
            placed[province] += 1
            score = 40 + URGENCY_POINTS[help_request.urgency] + (15 if place else 5)
            matched += 1
            self.matches.append(
                Match(
                    **common,
                    score=score,
                    explanation=why | {"score": score, "places_left": max(left - 1, 0)},
                    status=status,
                    shop_decision=status if status != "proposed" else "pending",
                    partner_decision="accepted",
                    decline_reason=DECLINE_REASON if status == "declined" else "",
                    decided_at=None if status == "proposed" else run.created_at + timedelta(days=2),
                )
            )
        run.stats = {
            "needs": len(self.requests),
            "offerings": len(pool),
            "matched": matched,
            "waitlisted": lottery,
        }


def _applications(
    rng: random.Random,
    requests: list[HelpRequest],
    published: list[Offering],
    shop_by_id: dict[int, Organisation],
) -> list[Application]:
    """About a quarter of the shops asking for help also applied to an offering that fits."""
    rows: list[Application] = []
    applied: set[tuple[int, int]] = set()
    open_offerings = [o for o in published if o.status == "published"]
    for help_request in requests:
        if rng.random() >= 0.25:
            continue
        shop = shop_by_id[help_request.organisation_id]
        for offering in open_offerings:
            key = (shop.pk, offering.pk)
            if (
                help_request.topic in offering.topics
                and _fits(offering, shop)
                and key not in applied
            ):
                applied.add(key)
                rows.append(
                    Application(
                        organisation=shop,
                        offering=offering,
                        help_request=help_request,
                        preference_rank=1,
                        note="Kami tertarik, mohon info jadwalnya.",
                        created_at=help_request.created_at + timedelta(days=1),
                    )
                )
                break
    return rows


URGENCY_POINTS = {"low": 0, "medium": 10, "high": 20}
MIN_PROVINCIAL_SHOPS = 5
DECLINE_REASON = "Jadwal bentrok dengan musim ramai."


def partnerships_layer(ecosystem: Any, shop_count: int) -> None:
    """Offerings, help requests, programmes, a past match run per programme, engagements and
    the contribution ledger."""
    rng = ecosystem.random("partnerships")
    today = timezone.localdate()
    shops = list(ecosystem.shops)
    partners = list(ecosystem.partners)
    with across_tenants(reason="the demo generator writes every organisation's partnership rows"):
        offerings = Offering.objects.bulk_create(_offerings(rng, partners, today))
        requests = HelpRequest.objects.bulk_create(_help_requests(rng, shops))
        published = [o for o in offerings if o.status != "draft"]
        shop_by_id = {shop.pk: shop for shop in shops}
        Application.objects.bulk_create(_applications(rng, requests, published, shop_by_id))
        programmes, runs, pools = _programmes(rng, partners, shops, published)

        matcher = _Matcher(
            rng=rng,
            requests=requests,
            demo_shop_ids={shop.pk for shop in shops[:2]},
            shop_by_id=shop_by_id,
            regency_names={
                code: name.replace("Kabupaten ", "Kab. ")
                for code, name in Regency.objects.values_list("code", "name")
            },
        )
        for run, programme in zip(runs, programmes, strict=True):
            matcher.run(run, programme, pools[programme.pk])
        MatchRun.objects.bulk_update(runs, ["stats"])
        matches = Match.objects.bulk_create(matcher.matches)

        for offering in offerings:
            offering.places_taken = min(matcher.taken.get(offering.pk, 0), offering.places)
        Offering.objects.bulk_update(
            [o for o in offerings if o.places_taken], ["places_taken"], batch_size=1000
        )
        accepted = [m for m in matches if m.status == "accepted"]
        HelpRequest.objects.filter(pk__in={m.help_request_id for m in accepted}).update(
            status="matched"
        )
        _engagements(rng, accepted, matcher.shop_by_id, today)


def _engagements(
    rng: random.Random, accepted: list[Match], shop_by_id: dict[int, Organisation], today: date
) -> None:
    programme_of = dict(MatchRun.objects.values_list("pk", "programme_id"))
    engagements: list[Engagement] = []
    for match in accepted:
        completed = rng.random() < 0.5
        started = match.created_at + timedelta(days=3)
        engagements.append(
            Engagement(
                organisation_id=match.organisation_id,
                match=match,
                offering=match.offering,
                shop=shop_by_id[match.shop_id],
                programme_id=programme_of.get(match.run_id),
                status="completed" if completed else "active",
                supervisor_name="Dr. Rina Kartika, M.Kom."
                if match.offering.kind == "internship"
                else "",
                notes="Pemilik usaha aktif bertanya; lanjutkan pendampingan konten.",
                shop_rating=rng.choices([5, 4, 3], weights=[55, 35, 10])[0] if completed else None,
                shop_feedback=rng.choice(FEEDBACK_SHOP) if completed else "",
                partner_rating=rng.choices([5, 4, 3], weights=[45, 45, 10])[0]
                if completed
                else None,
                partner_feedback=rng.choice(FEEDBACK_PARTNER) if completed else "",
                started_at=started,
                completed_at=started + timedelta(days=21) if completed else None,
            )
        )
    engagements = Engagement.objects.bulk_create(engagements)
    sessions: list[EngagementSession] = []
    members: list[EngagementMember] = []
    contributions: list[Contribution] = []
    for engagement in engagements:
        offering = engagement.offering
        count = rng.randint(2, 5)
        for n in range(count):
            held = (engagement.started_at + timedelta(days=7 * n)).date()
            if held > today:
                break
            sessions.append(
                EngagementSession(
                    organisation_id=engagement.organisation_id,
                    engagement=engagement,
                    kind="milestone"
                    if offering.kind == "internship" and n == count - 1
                    else "session",
                    title=SESSION_TITLES[min(n, len(SESSION_TITLES) - 1)],
                    held_on=held,
                    hours=Decimal(rng.choice([1, 2, 2, 3])),
                    attended=rng.random() < 0.9,
                    attendees=rng.randint(1, 3),
                    deliverable=rng.choice(DELIVERABLES),
                )
            )
        students = 0
        if offering.kind == "internship":
            students = rng.randint(3, 5)
            members.append(
                EngagementMember(
                    organisation_id=engagement.organisation_id,
                    engagement=engagement,
                    name=engagement.supervisor_name,
                    role="supervisor",
                )
            )
            members.extend(
                EngagementMember(
                    organisation_id=engagement.organisation_id,
                    engagement=engagement,
                    name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                    role="student",
                    study_programme=rng.choice(STUDY_PROGRAMMES),
                )
                for _ in range(students)
            )
        kind, amount = {
            "seats": ("seats", 1),
            "hours": ("hours", int(offering.per_shop)),
            "teams": ("students", students or 3),
            "rupiah": ("money", int(offering.per_shop)),
        }[offering.capacity_unit]
        contributions.append(
            Contribution(
                organisation_id=engagement.organisation_id,
                kind=kind,
                amount=amount,
                programme_id=engagement.programme_id,
                province_id=engagement.shop.province_id,
                topic=engagement.match.help_request.topic
                if engagement.match.help_request
                else offering.topics[0],
                offering=offering,
                engagement=engagement,
                note=f"{offering.title} — {engagement.shop.name}"[:300],
                recorded_at=engagement.started_at,
            )
        )
    EngagementSession.objects.bulk_create(sessions)
    EngagementMember.objects.bulk_create(members)
    Contribution.objects.bulk_create(contributions)
