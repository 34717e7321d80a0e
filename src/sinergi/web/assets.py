"""Front-end assets: installed from the npm registry, copied into the static files.

`package.json` and `package-lock.json` pin the packages; nothing is fetched at run time.
"""

import shutil
import subprocess
from pathlib import Path

from django.conf import settings

# What Sinergi serves of each package: (file in node_modules, name under static/vendor/).
VENDOR_FILES: tuple[tuple[str, str], ...] = (
    ("@picocss/pico/css/pico.min.css", "pico.min.css"),
    ("htmx.org/dist/htmx.min.js", "htmx.min.js"),
)


class AssetsUnavailable(RuntimeError):
    """npm is missing or failed, so the pages would render without styles or scripts."""


def _node_modules() -> Path:
    return Path(settings.PROJECT_DIR) / "node_modules"


def _installed() -> bool:
    marker = _node_modules() / ".package-lock.json"
    lock = Path(settings.PROJECT_DIR) / "package-lock.json"
    return marker.exists() and marker.stat().st_mtime >= lock.stat().st_mtime


def assets_build(*, quiet: bool = True) -> Path:
    """Install the npm packages if the lock file changed, then copy the served files."""
    if not _installed():
        npm = shutil.which("npm")
        if npm is None:
            raise AssetsUnavailable("npm was not found; install Node.js 18 or newer with npm")
        result = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=settings.PROJECT_DIR,
            capture_output=quiet,
            text=True,
            check=False,
        )
        if result.returncode != 0:
            raise AssetsUnavailable(f"npm ci failed:\n{result.stderr or ''}")
    target = Path(settings.ASSETS_DIR) / "vendor"
    target.mkdir(parents=True, exist_ok=True)
    for source, name in VENDOR_FILES:
        src, dst = _node_modules() / source, target / name
        if not dst.exists() or dst.stat().st_mtime < src.stat().st_mtime:
            shutil.copy2(src, dst)
    return target
