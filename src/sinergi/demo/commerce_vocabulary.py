"""Catalogs the demo shops sell: realistic Indonesian products with rupiah prices and costs.

A product is ``(name, category, price, cost share, variants, units per order)``. Variants are
``(name, price difference)``; an empty tuple means the product is sold in one form. Prices are
2025-26 retail prices in Java (a Jakarta or Bali shop would charge a little more).
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass
from datetime import datetime

from sinergi.accounts.api import SectorFamily
from sinergi.commerce.api import Channel


@dataclass(frozen=True)
class Item:
    name: str
    category: str
    price: int
    cost_share: float
    variants: tuple[tuple[str, int], ...] = ()
    max_units: int = 2
    lot: int = 30  # how many come in at a restock


SIZES = (("S", 0), ("M", 0), ("L", 0), ("XL", 10_000), ("XXL", 20_000))
SIZES_NO_S = (("M", 0), ("L", 0), ("XL", 10_000), ("XXL", 15_000))
WEIGHTS_SNACK = (("100 g", 0), ("250 g", 0), ("500 g", 0))

_BAKERY = (
    Item("Roti Sobek Cokelat Keju", "Roti", 28_000, 0.45, (), 3, 25),
    Item("Bolu Pandan Kukus", "Kue", 45_000, 0.42, (), 2, 15),
    Item(
        "Brownies Kukus Amanda-style",
        "Kue",
        55_000,
        0.45,
        (("Original", 0), ("Keju", 5_000)),
        2,
        15,
    ),
    Item("Roti Tawar Gandum", "Roti", 22_000, 0.45, (), 2, 20),
    Item("Lapis Legit Loyang 20x20", "Kue", 275_000, 0.5, (), 1, 5),
    Item("Nastar Toples 500 g", "Kue Kering", 125_000, 0.5, (), 3, 20),
    Item("Kastengel Toples 500 g", "Kue Kering", 130_000, 0.5, (), 3, 20),
    Item("Putri Salju Toples 500 g", "Kue Kering", 95_000, 0.48, (), 3, 20),
    Item("Donat Kentang isi 6", "Roti", 30_000, 0.4, (("Gula", 0), ("Meses", 3_000)), 2, 20),
    Item("Pisang Bolen Keju isi 10", "Kue", 45_000, 0.45, (), 2, 15),
    Item("Bika Ambon Medan", "Kue", 70_000, 0.45, (), 1, 10),
    Item("Kue Lumpur isi 10", "Kue Basah", 35_000, 0.4, (), 2, 15),
)
_MEALS = (
    Item("Nasi Goreng Kampung", "Makanan", 20_000, 0.4, (), 3, 40),
    Item("Mie Ayam Bakso", "Makanan", 18_000, 0.4, (), 3, 40),
    Item("Soto Ayam Lamongan", "Makanan", 17_000, 0.38, (), 3, 40),
    Item(
        "Ayam Geprek Sambal Bawang",
        "Makanan",
        18_000,
        0.42,
        (("Level 1", 0), ("Level 5", 0)),
        3,
        40,
    ),
    Item("Nasi Rames", "Makanan", 15_000, 0.45, (), 3, 40),
    Item("Gado-Gado", "Makanan", 15_000, 0.4, (), 2, 30),
    Item("Rendang Daging Porsi", "Makanan", 28_000, 0.55, (), 2, 25),
    Item("Sate Ayam 10 Tusuk", "Makanan", 25_000, 0.45, (), 2, 30),
    Item("Es Teh Manis", "Minuman", 5_000, 0.2, (), 4, 60),
    Item("Es Jeruk", "Minuman", 7_000, 0.3, (), 3, 50),
    Item("Nasi Kotak Ayam Bakar", "Katering", 32_000, 0.5, (), 6, 40),
    Item("Tumpeng Mini", "Katering", 150_000, 0.5, (), 1, 5),
    Item("Rendang Kemasan Vakum 250 g", "Frozen", 78_000, 0.55, (), 2, 20),
    Item(
        "Sambal Bawang Botol 150 ml",
        "Sambal",
        35_000,
        0.4,
        (("Original", 0), ("Cumi", 15_000)),
        3,
        30,
    ),
)
_COFFEE = (
    Item("Es Kopi Susu Gula Aren", "Kopi", 18_000, 0.35, (("Regular", 0), ("Large", 6_000)), 3, 60),
    Item("Americano", "Kopi", 15_000, 0.25, (("Panas", 0), ("Dingin", 2_000)), 2, 50),
    Item("Cappuccino", "Kopi", 22_000, 0.3, (), 2, 40),
    Item("Matcha Latte", "Non-Kopi", 25_000, 0.35, (), 2, 30),
    Item("Croissant Mentega", "Pastry", 20_000, 0.45, (), 2, 20),
    Item("Kopi Susu Literan 1 L", "Kopi", 85_000, 0.4, (), 2, 15),
    Item(
        "Kopi Arabika Gayo",
        "Biji Kopi",
        85_000,
        0.55,
        (("250 g", 0), ("500 g", 75_000), ("1 kg", 240_000)),
        2,
        20,
    ),
    Item(
        "Kopi Robusta Lampung",
        "Biji Kopi",
        45_000,
        0.5,
        (("250 g Biji", 0), ("250 g Bubuk", 0)),
        3,
        25,
    ),
)
_SNACKS = (
    Item("Keripik Singkong Balado", "Keripik", 12_000, 0.45, WEIGHTS_SNACK, 4, 60),
    Item("Keripik Tempe Sagu", "Keripik", 15_000, 0.45, (("150 g", 0), ("300 g", 14_000)), 4, 50),
    Item("Kerupuk Udang Mentah 500 g", "Kerupuk", 45_000, 0.55, (), 3, 30),
    Item(
        "Rempeyek Kacang",
        "Keripik",
        18_000,
        0.45,
        (("Kacang Tanah", 0), ("Kacang Hijau", 0)),
        3,
        40,
    ),
    Item(
        "Keripik Pisang Cokelat",
        "Keripik",
        16_000,
        0.45,
        (("Cokelat", 0), ("Original", -2_000)),
        4,
        50,
    ),
    Item(
        "Basreng Pedas Daun Jeruk", "Camilan", 15_000, 0.45, (("Level 3", 0), ("Level 5", 0)), 4, 60
    ),
    Item("Makaroni Pedas 250 g", "Camilan", 12_000, 0.4, (), 5, 60),
    Item("Kerupuk Kulit Sapi 250 g", "Kerupuk", 40_000, 0.55, (), 2, 25),
)
_DRINKS = (
    Item("Es Teh Jumbo", "Minuman", 5_000, 0.25, (("Original", 0), ("Lemon", 2_000)), 4, 80),
    Item("Thai Tea", "Minuman", 12_000, 0.35, (("Regular", 0), ("Large", 5_000)), 3, 60),
    Item("Es Cincau Gula Aren", "Minuman", 10_000, 0.3, (), 3, 50),
    Item("Jus Alpukat", "Jus", 15_000, 0.4, (), 2, 30),
    Item("Teh Tarik", "Minuman", 12_000, 0.3, (), 3, 40),
    Item("Sirup Markisa Botol 630 ml", "Oleh-oleh", 38_000, 0.5, (), 3, 25),
)
_BATIK = (
    Item("Kemeja Batik Pria Lengan Pendek", "Kemeja", 175_000, 0.5, SIZES, 2, 12),
    Item("Kemeja Batik Pria Lengan Panjang Furing", "Kemeja", 245_000, 0.5, SIZES_NO_S, 2, 10),
    Item("Kain Batik Tulis Parang 2 m", "Kain", 650_000, 0.55, (("Sogan", 0), ("Biru", 0)), 1, 4),
    Item("Kain Batik Cap Kawung 2 m", "Kain", 165_000, 0.5, (), 2, 12),
    Item("Kain Batik Mega Mendung 2 m", "Kain", 185_000, 0.5, (("Biru", 0), ("Merah", 0)), 2, 10),
    Item("Blus Batik Wanita", "Atasan", 145_000, 0.5, SIZES[:4], 2, 12),
    Item("Dress Batik Midi", "Dress", 235_000, 0.5, (("S", 0), ("M", 0), ("L", 0)), 1, 8),
    Item("Daster Batik Rayon", "Daster", 65_000, 0.45, (("All Size", 0), ("Jumbo", 10_000)), 3, 25),
    Item("Selendang Batik Sutra", "Aksesori", 120_000, 0.5, (), 2, 10),
    Item("Sarung Batik Pekalongan", "Sarung", 95_000, 0.5, (), 3, 15),
)
_GARMENT = (
    Item("Kaos Polos Cotton Combed 30s", "Kaos", 45_000, 0.5, SIZES, 6, 40),
    Item("Hoodie Fleece", "Jaket", 145_000, 0.5, SIZES_NO_S, 2, 12),
    Item("Gamis Syari Ceruty", "Gamis", 189_000, 0.5, (("M", 0), ("L", 0), ("XL", 10_000)), 2, 10),
    Item(
        "Hijab Segi Empat Voal",
        "Hijab",
        45_000,
        0.45,
        (("Mocca", 0), ("Navy", 0), ("Hitam", 0), ("Dusty Pink", 0)),
        4,
        30,
    ),
    Item("Mukena Katun Jepang", "Mukena", 175_000, 0.5, (("Putih", 0), ("Motif", 10_000)), 2, 10),
    Item("Baju Koko Pria", "Koko", 125_000, 0.5, SIZES_NO_S, 2, 12),
    Item(
        "Celana Chino Slim",
        "Celana",
        135_000,
        0.5,
        (("30", 0), ("32", 0), ("34", 0), ("36", 5_000)),
        2,
        12,
    ),
    Item("Kemeja Flanel", "Kemeja", 110_000, 0.5, SIZES_NO_S[:3], 2, 12),
    Item(
        "Seragam SD Putih Merah (Setel)",
        "Seragam",
        95_000,
        0.55,
        (("No. 8", 0), ("No. 10", 5_000), ("No. 12", 10_000)),
        2,
        15,
    ),
)
_FURNITURE = (
    Item(
        "Kursi Makan Jati", "Kursi", 850_000, 0.55, (("Natural", 0), ("Salak Brown", 50_000)), 4, 6
    ),
    Item("Meja Makan Jati 6 Kursi (Meja Saja)", "Meja", 3_500_000, 0.6, (), 1, 2),
    Item("Rak Buku Kayu Mahoni 4 Susun", "Rak", 750_000, 0.55, (), 1, 4),
    Item("Bufet TV Minimalis", "Bufet", 1_450_000, 0.58, (), 1, 3),
    Item("Kursi Teras Rotan Sintetis (Set)", "Kursi", 2_250_000, 0.6, (), 1, 2),
    Item("Bangku Kayu Panjang", "Kursi", 450_000, 0.5, (), 2, 5),
    Item("Nakas Jati Laci 2", "Meja", 650_000, 0.55, (), 2, 5),
)
_CRAFT = (
    Item("Tas Anyaman Pandan", "Tas", 85_000, 0.45, (("Natural", 0), ("Warna", 10_000)), 2, 15),
    Item(
        "Keranjang Rotan Serbaguna",
        "Rumah Tangga",
        75_000,
        0.45,
        (("Kecil", 0), ("Besar", 40_000)),
        2,
        15,
    ),
    Item("Vas Gerabah Kasongan", "Dekorasi", 65_000, 0.4, (("30 cm", 0), ("50 cm", 60_000)), 2, 12),
    Item("Wayang Kulit Arjuna", "Seni", 450_000, 0.5, (), 1, 3),
    Item("Tas Rajut Handmade", "Tas", 120_000, 0.45, (), 2, 8),
    Item("Dompet Kulit Sapi", "Aksesori", 150_000, 0.5, (("Cokelat", 0), ("Hitam", 0)), 2, 10),
    Item("Lampu Hias Bambu", "Dekorasi", 135_000, 0.45, (), 1, 8),
    Item(
        "Sabun Herbal Handmade",
        "Perawatan",
        25_000,
        0.35,
        (("Sereh", 0), ("Kopi", 0), ("Kunyit", 0)),
        4,
        40,
    ),
    Item("Lilin Aromaterapi", "Perawatan", 55_000, 0.4, (("Lavender", 0), ("Melati", 0)), 3, 20),
    Item("Tatakan Gelas Eceng Gondok isi 6", "Rumah Tangga", 45_000, 0.4, (), 3, 20),
)
_VEGETABLES = (
    Item("Bayam Hijau Organik", "Sayur Daun", 5_000, 0.5, (("1 Ikat", 0),), 5, 60),
    Item("Kangkung Organik", "Sayur Daun", 4_000, 0.5, (("1 Ikat", 0),), 5, 60),
    Item("Selada Keriting Hidroponik 250 g", "Hidroponik", 12_000, 0.45, (), 4, 50),
    Item("Pakcoy Hidroponik 250 g", "Hidroponik", 10_000, 0.45, (), 4, 50),
    Item("Kale Organik 200 g", "Hidroponik", 18_000, 0.45, (), 3, 30),
    Item("Paket Sayur Sop", "Paket", 12_000, 0.5, (), 3, 40),
    Item("Cabai Rawit Merah", "Bumbu", 18_000, 0.6, (("250 g", 0), ("500 g", 16_000)), 3, 30),
    Item("Tomat Sayur 1 kg", "Sayur Buah", 14_000, 0.55, (), 3, 40),
    Item("Telur Ayam Kampung isi 10", "Telur", 30_000, 0.65, (), 3, 30),
    Item("Beras Pandan Wangi 5 kg", "Beras", 78_000, 0.75, (), 2, 25),
)
_PLANTATION = (
    Item(
        "Green Bean Arabika 1 kg",
        "Kopi",
        160_000,
        0.6,
        (("Natural", 0), ("Full Wash", -10_000)),
        3,
        40,
    ),
    Item("Kopi Robusta Sangrai 250 g", "Kopi", 40_000, 0.5, (("Biji", 0), ("Bubuk", 0)), 4, 40),
    Item("Teh Hijau Daun 100 g", "Teh", 30_000, 0.45, (), 3, 40),
    Item("Kakao Bubuk Murni 250 g", "Kakao", 55_000, 0.5, (), 3, 30),
    Item("Gula Aren Cair 500 ml", "Gula", 35_000, 0.5, (), 3, 30),
    Item("Madu Hutan Sumbawa 500 g", "Madu", 120_000, 0.6, (), 2, 20),
)
_GROCERY = (
    Item("Beras Premium 5 kg", "Sembako", 72_000, 0.88, (), 2, 30),
    Item("Minyak Goreng 2 L", "Sembako", 38_000, 0.9, (), 3, 40),
    Item("Gula Pasir 1 kg", "Sembako", 18_000, 0.88, (), 4, 50),
    Item("Telur Ayam Ras 1 kg", "Sembako", 29_000, 0.9, (), 3, 40),
    Item("Mi Instan Goreng (Dus isi 40)", "Mi Instan", 118_000, 0.9, (), 2, 10),
    Item("Mi Instan Goreng Satuan", "Mi Instan", 3_500, 0.85, (), 10, 120),
    Item("Kopi Sachet Renteng isi 10", "Minuman", 15_000, 0.85, (), 4, 60),
    Item("Isi Ulang Gas LPG 3 kg", "Gas", 22_000, 0.85, (), 2, 30),
    Item("Air Mineral Galon Isi Ulang", "Air", 7_000, 0.55, (), 2, 60),
    Item("Sabun Mandi Batang", "Kebutuhan Rumah", 4_500, 0.8, (), 5, 60),
    Item("Deterjen Bubuk 800 g", "Kebutuhan Rumah", 22_000, 0.85, (), 3, 40),
    Item("Kecap Manis 520 ml", "Bumbu", 24_000, 0.85, (), 3, 40),
    Item("Susu Kental Manis Kaleng", "Minuman", 13_000, 0.85, (), 4, 50),
    Item("Teh Celup isi 25", "Minuman", 8_500, 0.82, (), 4, 50),
)
_ONLINE_FOOD_BEAUTY = (
    Item("Serum Vitamin C 20 ml", "Skincare", 89_000, 0.45, (), 2, 25),
    Item("Sunscreen SPF 50 50 ml", "Skincare", 75_000, 0.5, (), 2, 25),
    Item(
        "Lip Cream Matte",
        "Kosmetik",
        45_000,
        0.4,
        (("01 Nude", 0), ("03 Rose", 0), ("05 Brick", 0)),
        3,
        30,
    ),
    Item("Madu Hutan Murni 500 g", "Herbal", 110_000, 0.6, (), 2, 20),
    Item("Dimsum Ayam Frozen isi 20", "Frozen Food", 55_000, 0.5, (), 3, 30),
    Item("Sambal Cumi Botol 200 g", "Lauk Kering", 45_000, 0.45, (), 3, 30),
    Item("Jamu Kunyit Asam 1 L", "Herbal", 35_000, 0.4, (), 3, 25),
    Item("Minyak Kayu Putih 60 ml", "Herbal", 28_000, 0.75, (), 3, 40),
)
_ONLINE_GOODS = (
    Item(
        "Casing HP Silikon",
        "Aksesori HP",
        25_000,
        0.35,
        (("iPhone 13", 0), ("Samsung A15", 0), ("Redmi 13C", 0)),
        2,
        40,
    ),
    Item("Kabel Data USB-C 1 m", "Aksesori HP", 20_000, 0.4, (), 3, 50),
    Item("Charger Fast Charging 20 W", "Aksesori HP", 65_000, 0.5, (), 2, 30),
    Item(
        "Tempered Glass", "Aksesori HP", 15_000, 0.3, (("Samsung A15", 0), ("Redmi 13C", 0)), 3, 60
    ),
    Item(
        "Tumbler Stainless 500 ml",
        "Rumah Tangga",
        55_000,
        0.45,
        (("Hitam", 0), ("Putih", 0), ("Sage", 0)),
        2,
        25,
    ),
    Item("Mainan Edukasi Puzzle Kayu", "Mainan", 45_000, 0.45, (), 2, 20),
    Item("Buku Tulis isi 10", "Alat Tulis", 35_000, 0.7, (), 3, 30),
)
_WORKSHOP = (
    Item(
        "Ganti Oli Mesin 0,8 L (Jasa + Oli)",
        "Servis",
        55_000,
        0.65,
        (("Matic", 0), ("Bebek", 0)),
        1,
        30,
    ),
    Item("Servis Ringan Motor", "Servis", 65_000, 0.2, (), 1, 30),
    Item("Ganti Kampas Rem Depan", "Suku Cadang", 75_000, 0.6, (), 1, 15),
    Item("Ban Luar Tubeless 80/90-14", "Suku Cadang", 235_000, 0.75, (), 2, 10),
    Item("Busi Iridium", "Suku Cadang", 85_000, 0.7, (), 1, 15),
    Item("Aki Kering 5 Ah", "Suku Cadang", 265_000, 0.75, (), 1, 6),
    Item("Cuci Motor", "Jasa", 15_000, 0.2, (), 1, 40),
)
_LODGING = (
    Item(
        "Kamar Standar per Malam",
        "Kamar",
        250_000,
        0.3,
        (("Weekday", 0), ("Weekend", 50_000)),
        2,
        20,
    ),
    Item("Kamar Keluarga per Malam", "Kamar", 450_000, 0.3, (), 1, 8),
    Item("Sarapan Nasi Goreng", "Makan", 25_000, 0.45, (), 4, 40),
    Item("Sewa Motor per Hari", "Sewa", 80_000, 0.25, (), 2, 10),
    Item("Paket Tur Sunrise", "Tur", 350_000, 0.5, (), 4, 20),
)
_TRAVEL = (
    Item("Paket Tur Bromo Midnight 1 Hari", "Paket Tur", 450_000, 0.65, (), 4, 30),
    Item("Open Trip Karimunjawa 3H2M", "Open Trip", 1_250_000, 0.7, (), 3, 20),
    Item("City Tour Jogja", "Paket Tur", 350_000, 0.6, (), 4, 30),
    Item("Sewa Elf + Sopir per Hari", "Sewa", 1_350_000, 0.7, (), 1, 6),
    Item("Paket Umrah Tabungan (Uang Muka)", "Umrah", 5_000_000, 0.9, (), 1, 5),
)
_LAUNDRY = (
    Item(
        "Cuci Kering Setrika per kg",
        "Kiloan",
        7_000,
        0.35,
        (("Reguler 3 Hari", 0), ("Express 1 Hari", 5_000)),
        8,
        300,
    ),
    Item("Cuci Bed Cover", "Satuan", 35_000, 0.35, (("Single", 0), ("King", 15_000)), 2, 40),
    Item("Cuci Sepatu", "Satuan", 35_000, 0.3, (), 2, 40),
    Item("Setrika Saja per kg", "Kiloan", 5_000, 0.3, (), 8, 200),
    Item("Dry Clean Jas", "Satuan", 45_000, 0.35, (), 2, 20),
)

CATALOGS_BY_CODE: dict[str, tuple[Item, ...]] = {
    "10710": _BAKERY,
    "10750": _MEALS,
    "10761": _COFFEE,
    "10794": _SNACKS,
    "11040": _DRINKS,
    "56101": _MEALS,
    "56102": _MEALS,
    "56103": _MEALS + _DRINKS[:3],
    "56210": _MEALS,
    "56303": _COFFEE + _BAKERY[:3],
    "13134": _BATIK,
    "14111": _GARMENT,
    "31001": _FURNITURE,
    "32909": _CRAFT,
    "01131": _VEGETABLES,
    "01270": _PLANTATION,
    "47112": _GROCERY,
    "47911": _ONLINE_FOOD_BEAUTY,
    "47919": _ONLINE_GOODS,
    "45405": _WORKSHOP,
    "55130": _LODGING,
    "79120": _TRAVEL,
    "96011": _LAUNDRY,
}
CATALOGS_BY_FAMILY: dict[SectorFamily, tuple[Item, ...]] = {
    SectorFamily.CULINARY: _MEALS + _SNACKS,
    SectorFamily.FASHION: _BATIK + _GARMENT,
    SectorFamily.CRAFTS: _CRAFT + _FURNITURE[:3],
    SectorFamily.AGRICULTURE: _VEGETABLES + _PLANTATION,
    SectorFamily.RETAIL: _GROCERY,
    SectorFamily.SERVICES: _LAUNDRY + _WORKSHOP,
}
# Average orders a micro shop of the family records per day (small x3, medium x8).
DAILY_ORDERS: dict[SectorFamily, float] = {
    SectorFamily.CULINARY: 4.0,
    SectorFamily.FASHION: 1.6,
    SectorFamily.CRAFTS: 0.9,
    SectorFamily.AGRICULTURE: 2.0,
    SectorFamily.RETAIL: 4.5,
    SectorFamily.SERVICES: 2.0,
}
DAILY_ORDERS_BY_CODE: dict[str, float] = {"31001": 0.25, "79120": 0.4, "55130": 0.8}

# Indonesian mobile prefixes (Telkomsel, Indosat, XL, Tri, Smartfren) after +62.
_PREFIXES = """811 812 813 821 822 852 853 857 858 877 878 895 896 897 898 899 881 882
838 831 859 856 815 816"""
PHONE_PREFIXES = tuple(_PREFIXES.split())


def external_id(rng: random.Random, channel: str, at: datetime) -> str | None:
    """An order id in the marketplace's own format (Shopee, Tokopedia invoice, TikTok Shop)."""
    if channel == Channel.SHOPEE:
        tail = "".join(rng.choices(string.ascii_uppercase + string.digits, k=8))
        return f"{at:%y%m%d}{tail}"
    if channel == Channel.TOKOPEDIA:
        return f"INV/{at:%Y%m%d}/MPL/{rng.randint(10**9, 10**10 - 1)}"
    if channel == Channel.TIKTOK_SHOP:
        return f"57{rng.randint(10**15, 10**16 - 1)}"
    return None
