"""The demo's calendar: how busy an Indonesian small shop is on a given day and hour.

Weekends, *tanggal muda* (the days after payday: the 25th to the 5th), Ramadan (kue kering,
busana Muslim and takjil sell most in its last two weeks), the quiet days of Idul Fitri when
everyone goes home (*mudik*), the lodging and tour peak of the Lebaran and school holidays,
and the marketplaces' twin-date sales (9.9, 10.10, 11.11, 12.12).
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from sinergi.accounts.api import SectorFamily
from sinergi.commerce.api import Channel

JAKARTA = ZoneInfo("Asia/Jakarta")
# (first day of Ramadan, last day of Ramadan, Idul Fitri day 1) — Kemenag/ISBAT dates.
RAMADAN: tuple[tuple[date, date, date], ...] = (
    (date(2024, 3, 12), date(2024, 4, 9), date(2024, 4, 10)),
    (date(2025, 3, 1), date(2025, 3, 30), date(2025, 3, 31)),
    (date(2026, 2, 18), date(2026, 3, 19), date(2026, 3, 20)),
    (date(2027, 2, 8), date(2027, 3, 9), date(2027, 3, 10)),
)
_WEEKDAY = (0.9, 0.88, 0.92, 0.95, 1.05, 1.3, 1.2)  # Monday … Sunday
_SALE_DAYS = {(9, 9): 1.3, (10, 10): 1.3, (11, 11): 1.8, (12, 12): 2.0}


def poisson(rng: random.Random, mean: float) -> int:
    """A Poisson draw (Knuth; normal approximation for large means)."""
    if mean <= 0:
        return 0
    if mean > 40:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def ramadan_days(day: date) -> tuple[int | None, int | None]:
    """(days until Idul Fitri if the day is in Ramadan, days since Idul Fitri if within 10)."""
    for first, last, eid in RAMADAN:
        if first <= day <= last:
            return (eid - day).days, None
        if eid <= day <= eid + timedelta(days=10):
            return None, (day - eid).days
    return None, None


def day_factor(day: date, family: str, code: str, marketplaces: bool) -> float:
    """How busy the day is compared with an ordinary weekday, for a shop of the sector."""
    factor = _WEEKDAY[day.weekday()]
    factor *= 1.22 if day.day >= 25 or day.day <= 5 else 0.93  # tanggal muda / tanggal tua
    until_eid, since_eid = ramadan_days(day)
    if until_eid is not None:
        late = until_eid <= 14
        factor *= {
            SectorFamily.FASHION: 2.4 if late else 1.6,
            SectorFamily.CULINARY: (2.6 if late else 1.4) if code == "10710" else 1.3,
            SectorFamily.RETAIL: 1.35,
            SectorFamily.AGRICULTURE: 1.2,
            SectorFamily.CRAFTS: 1.15,
        }.get(SectorFamily(family), 1.0 if code != "79120" else 0.6)
    elif since_eid is not None:
        if code in ("55130", "79120"):
            factor *= 2.2  # libur Lebaran: lodging and tours fill up
        elif since_eid <= 2:
            factor *= 0.2  # Idul Fitri: closed, everyone went home (mudik)
        else:
            factor *= 0.65
    if (day.month, day.day) in _SALE_DAYS and marketplaces:
        factor *= _SALE_DAYS[(day.month, day.day)]
    if code in ("55130", "79120") and ((day.month == 12 and day.day >= 20) or day.month == 7):
        factor *= 1.8  # school holidays and year end
    return factor


def order_hour(rng: random.Random, family: str, channel: str, ramadan: bool) -> float:
    if family == SectorFamily.CULINARY and channel == Channel.WALK_IN:
        if ramadan:
            return rng.choice((rng.uniform(15, 18.5), rng.uniform(15, 18.5), rng.uniform(19, 22)))
        return rng.choice((rng.uniform(6, 9), rng.uniform(11, 13.5), rng.uniform(17, 21)))
    if channel == Channel.WALK_IN:
        return rng.uniform(7.5, 21)
    return rng.choice((rng.uniform(6, 12), rng.uniform(12, 19), rng.uniform(19, 23.5)))
