"""Check that every Indonesian catalog is complete and compiled.

Reads each src/sinergi/**/locale/id/LC_MESSAGES/django.po (nothing is regenerated) and exits
non-zero, listing the msgids, when a message is untranslated or fuzzy, or when django.mo is
missing or does not hold the same translations as django.po. To fix: `sinergi makemessages -l
id` (see CONTRIBUTING.md), translate, then `sinergi compilemessages`.
Usage: python scripts/check_translations.py [path/to/django.po …]
"""

from __future__ import annotations

import gettext
import sys
from collections.abc import Sequence
from pathlib import Path

from babel.messages.pofile import read_po

SOURCE = Path(__file__).resolve().parent.parent / "src" / "sinergi"


def catalogs() -> list[Path]:
    return sorted(SOURCE.glob("**/locale/id/LC_MESSAGES/django.po"))


def _compiled(mo_path: Path) -> dict[object, str]:
    with mo_path.open("rb") as mo_file:
        translations = gettext.GNUTranslations(mo_file)
    # The parsed messages; gettext has no public accessor for all of them.
    messages = translations._catalog  # type: ignore[attr-defined]
    return {key: value for key, value in messages.items() if key}


def problems(po_path: Path) -> list[str]:
    """Every reason the catalog at `po_path` is not ready, one line each."""
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, abort_invalid=True)
    found: list[str] = []
    if catalog.fuzzy:
        found.append(f"{po_path}: fuzzy header")
    expected: dict[object, str] = {}
    for message in catalog:
        if not message.id:
            continue  # the header, checked above
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if message.fuzzy:
            found.append(f"{po_path}: fuzzy: {msgid!r}")
        elif not all(strings):
            found.append(f"{po_path}: untranslated: {msgid!r}")
        context = f"{message.context}\x04" if message.context else ""
        if isinstance(message.id, str):
            expected[context + message.id] = str(strings[0])
        else:
            for index, string in enumerate(strings):
                expected[(context + message.id[0], index)] = string
    mo_path = po_path.with_suffix(".mo")
    if not mo_path.exists():
        found.append(f"missing: {mo_path}")
    elif _compiled(mo_path) != expected:
        found.append(f"stale: {mo_path} differs from {po_path.name}; run compilemessages")
    return found


def main(argv: Sequence[str] = sys.argv[1:]) -> int:
    paths = [Path(arg) for arg in argv] or catalogs()
    found = [line for path in paths for line in problems(path)]
    for line in found:
        sys.stderr.write(line + "\n")
    if not found:
        sys.stdout.write(f"{len(paths)} catalog(s) complete and compiled\n")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
