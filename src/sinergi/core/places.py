"""Loading Indonesia's administrative areas from the `idn-area-data` package (npm, ODbL)."""

import csv
from pathlib import Path

from django.conf import settings
from django.db import transaction

from sinergi.core.models import Province, Regency, TimeZoneBand

AREA_DATA_DIR = settings.PROJECT_DIR / "node_modules" / "idn-area-data" / "data"

# Province codes by civil time zone (Keppres 41/1987 and the provinces formed since).
_WITA = {"51", "52", "53", "63", "64", "65", "71", "72", "73", "74", "75", "76"}
_WIT_PREFIXES = ("8", "9")


def time_zone_of(province_code: str) -> TimeZoneBand:
    if province_code.startswith(_WIT_PREFIXES):
        return TimeZoneBand.WIT
    if province_code in _WITA:
        return TimeZoneBand.WITA
    return TimeZoneBand.WIB


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def regions_load(*, data_dir: Path = AREA_DATA_DIR) -> tuple[int, int]:
    """Insert or update every province and regency; safe to run again. Returns the counts."""
    if not (data_dir / "regencies.csv").exists():
        raise FileNotFoundError(
            f"{data_dir} has no area data; run `npm ci` in {settings.PROJECT_DIR}"
        )
    provinces = [
        Province(code=row["code"], name=row["name"], time_zone=time_zone_of(row["code"]))
        for row in _rows(data_dir / "provinces.csv")
    ]
    Province.objects.bulk_create(
        provinces,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["name", "time_zone"],
    )
    regencies = [
        Regency(code=row["code"], province_id=row["province_code"], name=row["name"])
        for row in _rows(data_dir / "regencies.csv")
    ]
    Regency.objects.bulk_create(
        regencies,
        update_conflicts=True,
        unique_fields=["code"],
        update_fields=["province", "name"],
    )
    return len(provinces), len(regencies)
