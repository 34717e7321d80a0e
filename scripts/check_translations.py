"""Check that the Indonesian catalog is complete and compiled.

Reads src/sinergi/locale/id/LC_MESSAGES/django.po (nothing is regenerated) and exits non-zero,
listing the msgids, when a message is untranslated or fuzzy, or when django.mo is missing or
older than django.po. Run `sinergi makemessages -l id` and `sinergi compilemessages` to fix.
Usage: python scripts/check_translations.py [path/to/django.po]
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.pofile import read_po

DEFAULT_PO = Path(__file__).resolve().parent.parent / "src/sinergi/locale/id/LC_MESSAGES/django.po"


def problems(po_path: Path) -> list[str]:
    """Every reason the catalog at `po_path` is not ready, one line each."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, abort_invalid=True)
    found: list[str] = []
    if catalog.fuzzy:
        found.append("fuzzy header")
    for message in catalog:
        if not message.id:
            continue  # the header, checked above
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"fuzzy: {msgid!r}")
        elif not all(strings):
            found.append(f"untranslated: {msgid!r}")
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"missing: {mo_path}")
    elif mo_path.stat().st_mtime < po_path.stat().st_mtime:
        found.append(f"stale: {mo_path} is older than {po_path.name}")
    return found


def main(argv: Sequence[str] = sys.argv[1:]) -> int:
    po_path = Path(argv[0]) if argv else DEFAULT_PO
    found = problems(po_path)
    for line in found:
        sys.stderr.write(line + "\n")
    if not found:
        sys.stdout.write(f"{po_path}: complete and compiled\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
