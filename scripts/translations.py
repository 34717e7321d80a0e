"""Extract and compile Sinergi's Indonesian catalogs, one per domain app plus the project's.

Each domain app keeps its own catalog (src/sinergi/<app>/locale); the project catalog
(src/sinergi/locale, the one in LOCALE_PATHS) holds core, accounts, web and demo. Django's
makemessages would put every string under src/sinergi into the project catalog, because
LOCALE_PATHS sits above the apps; this runs it per catalog with that routing switched off.

Usage: uv run python scripts/translations.py extract|compile
Then check with: uv run python scripts/check_translations.py
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

SOURCE = Path(__file__).resolve().parent.parent / "src" / "sinergi"
APP_CATALOGS = ("commerce", "channels", "insights", "partnerships")


def _run(command: str) -> None:
    from django.core.management import call_command  # noqa: PLC0415
    from django.test.utils import override_settings  # noqa: PLC0415

    options = {"locale": ["id"], "verbosity": 0}
    if command == "makemessages":
        options |= {"no_location": True, "no_obsolete": True}
    for app in APP_CATALOGS:
        if not (SOURCE / app / "locale").is_dir():
            continue
        os.chdir(SOURCE / app)
        with override_settings(LOCALE_PATHS=[]):
            call_command(command, **options, ignore_patterns=["locale"])
    os.chdir(SOURCE)
    call_command(command, **options, ignore_patterns=[*APP_CATALOGS, "locale/*"])


def main(argv: Sequence[str] = sys.argv[1:]) -> int:
    commands = {"extract": "makemessages", "compile": "compilemessages"}
    if len(argv) != 1 or argv[0] not in commands:
        sys.stderr.write(__doc__ or "")
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    os.environ.setdefault("SINERGI_DATA_DIR", "/tmp/sinergi-translations")  # noqa: S108
    import django  # noqa: PLC0415

    django.setup()
    _run(commands[argv[0]])
    return 0


if __name__ == "__main__":
    sys.exit(main())
