"""Reading spreadsheets (CSV or XLSX) into rows numbered as the owner sees them.

Row numbers are spreadsheet row numbers: the header is row 1 when it is the first line, data
starts below it, so "row 7" in an error is row 7 in Excel. Marketplace exports sometimes put a
few title lines above the header; :func:`table_read` finds the header row among the first
lines by the columns it must contain.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO, Any
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _

JAKARTA = ZoneInfo("Asia/Jakarta")
HEADER_SEARCH_ROWS = 20
MAX_ROWS = 100_000


class TableError(ValueError):
    """The file cannot be read as a table: wrong type, no header, too big."""


@dataclass
class Row:
    """One data row: its spreadsheet row number and its cells keyed by canonical field."""

    number: int
    cells: dict[str, Any] = field(default_factory=dict)

    def text(self, name: str) -> str:
        value = self.cells.get(name)
        if value is None:
            return ""
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        return str(value).strip()


@dataclass
class Table:
    headers: list[str]
    rows: list[Row]


def header_key(text: object) -> str:
    """Compare headers loosely: case, spaces and trailing marks do not matter."""
    return re.sub(r"\s+", " ", str(text or "")).strip().strip("*").strip().casefold()


def _raw_rows(content: bytes, filename: str) -> Iterator[list[Any]]:
    name = filename.lower()
    if name.endswith((".xlsx", ".xlsm")):
        yield from _xlsx_rows(content)
    elif name.endswith((".csv", ".txt")):
        yield from _csv_rows(content)
    else:
        raise TableError(_("Upload a .csv or .xlsx file."))


def _xlsx_rows(content: bytes) -> Iterator[list[Any]]:
    from openpyxl import load_workbook  # noqa: PLC0415  (heavy; only when a workbook arrives)

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file
        raise TableError(_("This file is not a readable Excel workbook (.xlsx).")) from error
    try:
        sheet = workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def _csv_rows(content: bytes) -> Iterator[list[Any]]:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = content.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - cp1252 decodes nearly everything
        raise TableError(_("The file's characters cannot be read; save it as UTF-8 CSV."))
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text), dialect)


def table_read(
    content: bytes,
    filename: str,
    *,
    columns: Mapping[str, Iterable[str]],
    required: Iterable[str],
) -> Table:
    """Read ``content`` and map its headers to canonical field names.

    ``columns`` maps each field to the header spellings it accepts; the header row is the
    first of the top lines that holds every ``required`` field. Blank rows are skipped.
    """
    aliases = {
        header_key(alias): name for name, spellings in columns.items() for alias in spellings
    }
    required = list(required)
    rows = _raw_rows(content, filename)
    mapping: dict[int, str] | None = None
    headers: list[str] = []
    line = 0
    for line, values in enumerate(rows, start=1):
        found = {
            index: aliases[header_key(value)]
            for index, value in enumerate(values)
            if header_key(value) in aliases
        }
        if all(name in found.values() for name in required):
            mapping, headers = found, [str(v or "").strip() for v in values]
            break
        if line >= HEADER_SEARCH_ROWS:
            break
    if mapping is None:
        names = ", ".join(f'"{next(iter(columns[name]))}"' for name in required)
        raise TableError(
            _("No header row with the columns %(names)s was found in the first %(n)d lines.")
            % {"names": names, "n": HEADER_SEARCH_ROWS}
        )
    data: list[Row] = []
    for number, values in enumerate(rows, start=line + 1):
        if not any(v not in (None, "") and str(v).strip() for v in values):
            continue
        if len(data) >= MAX_ROWS:
            raise TableError(
                _("The file has more than %(n)d rows; split it into smaller files.")
                % {"n": MAX_ROWS}
            )
        cells = {name: values[index] for index, name in mapping.items() if index < len(values)}
        data.append(Row(number=number, cells=cells))
    return Table(headers=headers, rows=data)


_MONEY_JUNK = re.compile(r"(?i)rp\.?|idr|\s")


def parse_rupiah(value: object) -> int:
    """Integer rupiah from what spreadsheets hold: 12500, 12500.0, "Rp 12.500", "12,500".

    Indonesian exports write thousands with dots; a trailing ",00" or ".00" is cents, which
    rupiah do not have. Raises ValueError with a message for people.
    """
    if isinstance(value, bool):
        raise ValueError(_("not an amount"))  # noqa: TRY004  (a cell, reported per row)
    if isinstance(value, int):
        amount = value
    elif isinstance(value, float):
        if not value.is_integer():
            raise ValueError(_("rupiah amounts have no cents"))
        amount = int(value)
    else:
        text = _MONEY_JUNK.sub("", str(value or ""))
        if not text:
            raise ValueError(_("empty"))
        text = re.sub(r"[.,]00$", "", text)
        if not re.fullmatch(r"-?\d{1,3}([.,]\d{3})*|-?\d+", text):
            raise ValueError(_('"%(value)s" is not an amount in rupiah') % {"value": value})
        amount = int(re.sub(r"[.,]", "", text))
    if amount < 0:
        raise ValueError(_("cannot be negative"))
    return amount


def parse_quantity(value: object) -> int:
    """A whole, positive number of items."""
    text = str(value if value is not None else "").strip()
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    if not re.fullmatch(r"\d+", text) or int(text) <= 0:
        raise ValueError(_('"%(value)s" is not a whole number above zero') % {"value": value})
    return int(text)


_DATE_FORMATS = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d-%m-%Y %H:%M:%S",
    "%d-%m-%Y %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%Y/%m/%d %H:%M:%S",
    "%Y-%m-%d",
    "%d-%m-%Y",
    "%d/%m/%Y",
)


def parse_datetime(value: object) -> datetime:
    """An aware datetime in Asia/Jakarta from the formats marketplaces export."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=JAKARTA)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=JAKARTA)
    text = str(value or "").strip()
    text = re.sub(r"\s*(WIB|GMT\+7|UTC\+7)$", "", text)
    for pattern in _DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).replace(tzinfo=JAKARTA)
        except ValueError:
            continue
    raise ValueError(_('"%(value)s" is not a date and time') % {"value": value})


def parse_bool(value: object, *, default: bool = True) -> bool:
    text = str(value if value is not None else "").strip().casefold()
    if text == "":
        return default
    if text in {"1", "true", "yes", "ya", "y", "aktif", "active", "on"}:
        return True
    if text in {"0", "false", "no", "tidak", "t", "n", "nonaktif", "inactive", "off", "arsip"}:
        return False
    raise ValueError(_('"%(value)s" is not yes or no') % {"value": value})


def file_open_bytes(handle: IO[bytes]) -> bytes:
    handle.seek(0)
    return handle.read()
