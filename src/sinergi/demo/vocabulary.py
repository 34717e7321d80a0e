"""Words the demo generator builds believable Indonesian shops and partners from."""

from __future__ import annotations

import random

from faker import Faker

from sinergi.accounts.api import OrganisationKind, SalesChannel, SectorFamily
from sinergi.core.models import Province

# Population by province in millions (BPS projections, rounded): shops follow people.
PROVINCE_POPULATION_MILLIONS: dict[str, float] = {
    "11": 5.5,
    "12": 15.4,
    "13": 5.8,
    "14": 6.7,
    "15": 3.7,
    "16": 8.8,
    "17": 2.1,
    "18": 9.3,
    "19": 1.5,
    "21": 2.2,
    "31": 10.7,
    "32": 50.3,
    "33": 37.9,
    "34": 3.8,
    "35": 41.8,
    "36": 12.4,
    "51": 4.4,
    "52": 5.6,
    "53": 5.6,
    "61": 5.6,
    "62": 2.8,
    "63": 4.2,
    "64": 4.0,
    "65": 0.7,
    "71": 2.7,
    "72": 3.1,
    "73": 9.4,
    "74": 2.8,
    "75": 1.2,
    "76": 1.5,
    "81": 1.9,
    "82": 1.4,
    "91": 1.1,
    "92": 0.6,
    "93": 1.4,
    "94": 1.5,
    "95": 0.5,
    "96": 0.6,
}

_SHOP_PATTERNS: dict[SectorFamily, tuple[str, ...]] = {
    SectorFamily.CULINARY: (
        "Warung Makan Bu {first}",
        "Kedai Kopi {word}",
        "Bakso {first}",
        "Keripik {place}",
        "Dapur {first}",
        "Roti {word} {place}",
        "Sambal {first}",
        "Nasi Liwet {first}",
        "Kopi {place}",
        "Es Teh {word}",
        "Katering {first}",
        "Kue Basah Bu {first}",
    ),
    SectorFamily.FASHION: (
        "Batik {place}",
        "Batik Tulis {first}",
        "Konveksi {first}",
        "Tenun {place}",
        "Hijab {word}",
        "Kaos {place} {word}",
        "Butik {first}",
    ),
    SectorFamily.CRAFTS: (
        "Kerajinan Rotan {place}",
        "Gerabah {place}",
        "Mebel Jati {first}",
        "Anyaman {place}",
        "Kriya {word}",
        "Souvenir {place}",
        "Ukiran {first}",
    ),
    SectorFamily.AGRICULTURE: (
        "Tani {word} {place}",
        "Kebun Kopi {place}",
        "Sayur Segar {first}",
        "Madu Hutan {place}",
        "Kelompok Tani {word}",
    ),
    SectorFamily.RETAIL: (
        "Toko {first} {word}",
        "Toko Kelontong {first}",
        "Grosir {word}",
        "Olshop {first}",
        "Oleh-oleh {place}",
    ),
    SectorFamily.SERVICES: (
        "Laundry {first}",
        "Bengkel Motor {first}",
        "Homestay {place}",
        "Tour {place}",
        "Laundry Kiloan {word}",
    ),
}
_WORDS = (
    "Jaya",
    "Makmur",
    "Sejahtera",
    "Berkah",
    "Lestari",
    "Sentosa",
    "Mandiri",
    "Abadi",
    "Sari",
    "Mulia",
    "Rejeki",
    "Nusantara",
    "Asri",
    "Barokah",
    "Sumber Rezeki",
)

_DESCRIPTIONS: dict[SectorFamily, tuple[str, ...]] = {
    SectorFamily.CULINARY: (
        "Masakan rumahan khas {place}, dimasak setiap pagi. Terima pesanan nasi kotak.",
        "Camilan khas {place} tanpa pengawet, cocok untuk oleh-oleh.",
        "Kopi dan makanan ringan, tempat nongkrong warga {place}.",
    ),
    SectorFamily.FASHION: (
        "Batik tulis dan cap buatan perajin {place}, motif klasik dan modern.",
        "Produksi pakaian jadi, menerima pesanan seragam dan kaos sablon.",
    ),
    SectorFamily.CRAFTS: (
        "Kerajinan tangan perajin {place}, bisa pesan sesuai ukuran.",
        "Produk kriya dari bahan alami, dikirim ke seluruh Indonesia.",
    ),
    SectorFamily.AGRICULTURE: (
        "Hasil kebun langsung dari petani {place}, dipanen saat dipesan.",
        "Kelompok tani {place}: sayur, buah dan hasil olahan.",
    ),
    SectorFamily.RETAIL: (
        "Kebutuhan sehari-hari warga {place}, bisa pesan antar lewat WhatsApp.",
        "Oleh-oleh khas {place}, kirim ke luar kota.",
    ),
    SectorFamily.SERVICES: (
        "Layanan cepat dan rapi untuk warga {place}.",
        "Melayani tamu dan wisatawan di {place}.",
    ),
}

_CHANNELS: dict[SectorFamily, tuple[tuple[str, int], ...]] = {
    # (channel, percent of shops of the family that sell there)
    SectorFamily.CULINARY: (
        (SalesChannel.WHATSAPP, 90),
        (SalesChannel.INSTAGRAM, 55),
        (SalesChannel.FOOD_DELIVERY, 50),
        (SalesChannel.WALK_IN, 80),
        (SalesChannel.SHOPEE, 20),
        (SalesChannel.TIKTOK, 25),
    ),
    SectorFamily.FASHION: (
        (SalesChannel.WHATSAPP, 85),
        (SalesChannel.INSTAGRAM, 80),
        (SalesChannel.SHOPEE, 60),
        (SalesChannel.TOKOPEDIA, 45),
        (SalesChannel.TIKTOK_SHOP, 40),
        (SalesChannel.WALK_IN, 40),
    ),
    SectorFamily.CRAFTS: (
        (SalesChannel.WHATSAPP, 85),
        (SalesChannel.INSTAGRAM, 60),
        (SalesChannel.SHOPEE, 40),
        (SalesChannel.TOKOPEDIA, 35),
        (SalesChannel.WALK_IN, 50),
        (SalesChannel.FACEBOOK, 35),
    ),
    SectorFamily.AGRICULTURE: (
        (SalesChannel.WHATSAPP, 90),
        (SalesChannel.FACEBOOK, 40),
        (SalesChannel.WALK_IN, 60),
        (SalesChannel.SHOPEE, 15),
    ),
    SectorFamily.RETAIL: (
        (SalesChannel.WHATSAPP, 90),
        (SalesChannel.WALK_IN, 85),
        (SalesChannel.SHOPEE, 35),
        (SalesChannel.TOKOPEDIA, 25),
        (SalesChannel.INSTAGRAM, 30),
    ),
    SectorFamily.SERVICES: (
        (SalesChannel.WHATSAPP, 95),
        (SalesChannel.INSTAGRAM, 40),
        (SalesChannel.WALK_IN, 70),
        (SalesChannel.FACEBOOK, 30),
    ),
}


def shop_name(rng: random.Random, fake: Faker, family: SectorFamily, place: str) -> str:
    pattern = rng.choice(_SHOP_PATTERNS[family])
    return pattern.format(first=fake.first_name(), word=rng.choice(_WORDS), place=place)


def shop_description(rng: random.Random, family: SectorFamily, place: str) -> str:
    return rng.choice(_DESCRIPTIONS[family]).format(place=place)


def sales_channels(rng: random.Random, family: SectorFamily) -> list[str]:
    chosen = [str(code) for code, percent in _CHANNELS[family] if rng.randrange(100) < percent]
    return chosen or [str(SalesChannel.WHATSAPP)]


def partner_plan(
    rng: random.Random, shop_count: int
) -> list[tuple[OrganisationKind, Province | None]]:
    """Which partners exist: a government office per covered province, plus companies and
    universities in proportion to the number of shops."""
    provinces = list(Province.objects.order_by("-code"))
    weights = [PROVINCE_POPULATION_MILLIONS.get(p.code, 1.0) for p in provinces]
    per_kind = max(2, shop_count // 40)
    government = max(2, min(len(provinces), shop_count // 30))
    offices = sorted(
        rng.choices(provinces, weights=weights, k=government * 2),
        key=lambda p: p.code,
    )
    unique_offices = list(dict.fromkeys(offices))[:government]
    plan: list[tuple[OrganisationKind, Province | None]] = [
        (OrganisationKind.GOVERNMENT, province) for province in unique_offices
    ]
    plan += [(OrganisationKind.INDUSTRY, None)] * per_kind
    plan += [(OrganisationKind.ACADEMIA, None)] * per_kind
    return plan


_INDUSTRY = (
    "PT {word} Digital Nusantara",
    "PT Logistik {word} Indonesia",
    "PT Solusi Kasir {word}",
    "CV {word} Kreasi Media",
    "PT Bank {word} Mitra Usaha",
    "PT Kemas {word} Pratama",
    "PT Telekomunikasi {word}",
)
_ACADEMIA = (
    "Universitas {word} {place}",
    "Politeknik Negeri {place}",
    "Institut Bisnis {word} {place}",
    "Sekolah Tinggi Ilmu Ekonomi {place}",
    "Universitas Teknologi {place}",
)


def partner_name(rng: random.Random, fake: Faker, kind: str, province: str, place: str) -> str:
    if kind == OrganisationKind.GOVERNMENT:
        return f"Dinas Koperasi dan UKM Provinsi {province}"
    patterns = _INDUSTRY if kind == OrganisationKind.INDUSTRY else _ACADEMIA
    return rng.choice(patterns).format(word=rng.choice(_WORDS), place=place)


_PARTNER_DESCRIPTIONS = {
    OrganisationKind.INDUSTRY: "Mitra industri yang mendampingi UMKM go digital: pelatihan, "
    "mentoring dan dukungan teknis.",
    OrganisationKind.ACADEMIA: "Perguruan tinggi yang menempatkan mahasiswa magang dan "
    "menjalankan pengabdian masyarakat bersama UMKM.",
    OrganisationKind.GOVERNMENT: "Pembinaan koperasi dan usaha mikro, kecil dan menengah: "
    "pelatihan, pendampingan dan program bantuan.",
}


def partner_description(kind: str) -> str:
    return _PARTNER_DESCRIPTIONS[kind]  # type: ignore[index]
