"""Ramadan and Lebaran (Idul Fitri) dates, for marking them on sales charts.

Dates follow Indonesia's government calendar (the Ministry of Religious Affairs' isbat); the
start of Ramadan can differ by a day between organisations, so treat these as ±1 day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

# Year: (first day of Ramadan, Idul Fitri).
RAMADAN: dict[int, tuple[date, date]] = {
    2020: (date(2020, 4, 24), date(2020, 5, 24)),
    2021: (date(2021, 4, 13), date(2021, 5, 13)),
    2022: (date(2022, 4, 3), date(2022, 5, 2)),
    2023: (date(2023, 3, 23), date(2023, 4, 22)),
    2024: (date(2024, 3, 12), date(2024, 4, 10)),
    2025: (date(2025, 3, 1), date(2025, 3, 31)),
    2026: (date(2026, 2, 19), date(2026, 3, 21)),
    2027: (date(2027, 2, 8), date(2027, 3, 10)),
    2028: (date(2028, 1, 28), date(2028, 2, 27)),
    2029: (date(2029, 1, 16), date(2029, 2, 14)),
    2030: (date(2030, 1, 6), date(2030, 2, 5)),
}


@dataclass(frozen=True)
class Season:
    """A marked span: ``kind`` is "ramadan" or "lebaran" (Idul Fitri and the day after)."""

    kind: str
    start: date
    end: date


def seasons_between(start: date, end: date) -> list[Season]:
    """Ramadan and Lebaran spans that overlap ``start``-``end``."""
    every = [
        season
        for first_day, idul_fitri in RAMADAN.values()
        for season in (
            Season("ramadan", first_day, idul_fitri - timedelta(days=1)),
            Season("lebaran", idul_fitri, idul_fitri + timedelta(days=1)),
        )
    ]
    return [season for season in every if season.start <= end and season.end >= start]
