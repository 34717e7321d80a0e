"""Business sectors by KBLI 2020 (Klasifikasi Baku Lapangan Usaha Indonesia).

A shop's sector is a 5-digit KBLI code. The list below holds the codes most small shops use,
each tied to a sector family for grouping in dashboards and the demo; any other 5-digit code
whose 2-digit division is listed here is accepted too.
"""

from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _


class SectorFamily(models.TextChoices):
    CULINARY = "culinary", _("Culinary")
    FASHION = "fashion", _("Fashion")
    CRAFTS = "crafts", _("Crafts")
    AGRICULTURE = "agriculture", _("Agriculture and fisheries")
    RETAIL = "retail", _("Retail trade")
    SERVICES = "services", _("Services")


# KBLI 2020 divisions (golongan pokok) that small shops fall into.
DIVISIONS: dict[str, str] = {
    "01": "Pertanian Tanaman, Peternakan, Perburuan dan Kegiatan YBDI",
    "03": "Perikanan",
    "10": "Industri Makanan",
    "11": "Industri Minuman",
    "13": "Industri Tekstil",
    "14": "Industri Pakaian Jadi",
    "15": "Industri Kulit, Barang dari Kulit dan Alas Kaki",
    "16": "Industri Kayu, Barang dari Kayu dan Gabus dan Barang Anyaman",
    "23": "Industri Barang Galian Bukan Logam",
    "31": "Industri Furnitur",
    "32": "Industri Pengolahan Lainnya",
    "45": "Perdagangan, Reparasi dan Perawatan Mobil dan Sepeda Motor",
    "47": "Perdagangan Eceran, Bukan Mobil dan Sepeda Motor",
    "55": "Penyediaan Akomodasi",
    "56": "Penyediaan Makanan dan Minuman",
    "74": "Aktivitas Profesional, Ilmiah dan Teknis Lainnya",
    "79": "Aktivitas Agen Perjalanan, Penyelenggara Tur dan Jasa Reservasi Lainnya",
    "85": "Pendidikan",
    "96": "Aktivitas Jasa Perorangan Lainnya",
}


@dataclass(frozen=True)
class Sector:
    code: str
    name: str
    family: SectorFamily


SECTORS: tuple[Sector, ...] = (
    Sector("10710", "Industri Produk Roti dan Kue", SectorFamily.CULINARY),
    Sector("10750", "Industri Makanan dan Masakan Olahan", SectorFamily.CULINARY),
    Sector("10761", "Industri Pengolahan Kopi", SectorFamily.CULINARY),
    Sector("10794", "Industri Kerupuk, Keripik, Peyek dan Sejenisnya", SectorFamily.CULINARY),
    Sector("11040", "Industri Minuman Ringan", SectorFamily.CULINARY),
    Sector("56101", "Restoran", SectorFamily.CULINARY),
    Sector("56102", "Warung Makan", SectorFamily.CULINARY),
    Sector("56103", "Kedai Makanan", SectorFamily.CULINARY),
    Sector("56210", "Jasa Boga untuk Suatu Event Tertentu (Event Catering)", SectorFamily.CULINARY),
    Sector("56303", "Rumah Minum/Kafe", SectorFamily.CULINARY),
    Sector("13134", "Industri Batik", SectorFamily.FASHION),
    Sector("14111", "Industri Pakaian Jadi (Konveksi) dari Tekstil", SectorFamily.FASHION),
    Sector("31001", "Industri Furnitur dari Kayu", SectorFamily.CRAFTS),
    Sector("32909", "Industri Pengolahan Lainnya YTDL", SectorFamily.CRAFTS),
    Sector("01131", "Pertanian Hortikultura Sayuran Daun", SectorFamily.AGRICULTURE),
    Sector("01270", "Perkebunan Tanaman untuk Bahan Minuman", SectorFamily.AGRICULTURE),
    Sector(
        "47112",
        "Perdagangan Eceran Berbagai Macam Barang yang Utamanya Makanan, Minuman atau "
        "Tembakau Bukan di Minimarket/Supermarket/Hypermarket (Tradisional)",
        SectorFamily.RETAIL,
    ),
    Sector(
        "47911",
        "Perdagangan Eceran melalui Media untuk Komoditi Makanan, Minuman, Tembakau, Kimia, "
        "Farmasi, Kosmetik dan Alat Laboratorium",
        SectorFamily.RETAIL,
    ),
    Sector(
        "47919",
        "Perdagangan Eceran melalui Media untuk Berbagai Macam Barang Lainnya",
        SectorFamily.RETAIL,
    ),
    Sector("45405", "Reparasi dan Perawatan Sepeda Motor", SectorFamily.SERVICES),
    Sector("55130", "Pondok Wisata", SectorFamily.SERVICES),
    Sector("79120", "Aktivitas Biro Perjalanan Wisata", SectorFamily.SERVICES),
    Sector("96011", "Aktivitas Penatu", SectorFamily.SERVICES),
)

SECTORS_BY_CODE: dict[str, Sector] = {sector.code: sector for sector in SECTORS}

_FAMILY_BY_DIVISION: dict[str, SectorFamily] = {
    "01": SectorFamily.AGRICULTURE,
    "03": SectorFamily.AGRICULTURE,
    "10": SectorFamily.CULINARY,
    "11": SectorFamily.CULINARY,
    "56": SectorFamily.CULINARY,
    "13": SectorFamily.FASHION,
    "14": SectorFamily.FASHION,
    "15": SectorFamily.FASHION,
    "16": SectorFamily.CRAFTS,
    "23": SectorFamily.CRAFTS,
    "31": SectorFamily.CRAFTS,
    "32": SectorFamily.CRAFTS,
    "47": SectorFamily.RETAIL,
}


def is_known_kbli(code: str) -> bool:
    return len(code) == 5 and code.isdigit() and code[:2] in DIVISIONS


def sector_label(code: str) -> str:
    """The KBLI title of a listed code, else the title of its division."""
    if sector := SECTORS_BY_CODE.get(code):
        return sector.name
    return DIVISIONS.get(code[:2], "")


def sector_family(code: str) -> SectorFamily:
    if sector := SECTORS_BY_CODE.get(code):
        return sector.family
    return _FAMILY_BY_DIVISION.get(code[:2], SectorFamily.SERVICES)
