"""The `sinergi` command: demo, serve, worker, seed, and Django's management commands.

`sinergi demo` is the one command a newcomer needs: it prepares a data directory, seeds an
ecosystem, and runs the web server and the task worker together until Ctrl-C.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

OWN_COMMANDS = ("demo", "serve", "worker", "seed")


def _django_setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
    import django  # noqa: PLC0415  (settings must read the environment set above first)

    django.setup()


def _manage(*args: str) -> None:
    from django.core.management import call_command  # noqa: PLC0415

    call_command(*args)


def _prepare(*, quiet: bool = True) -> None:
    """Assets, schema, reference data and static files: everything serving needs."""
    from sinergi.core.places import regions_load  # noqa: PLC0415
    from sinergi.web.assets import assets_build  # noqa: PLC0415

    assets_build()
    _manage("migrate", "--no-input", *(["-v", "0"] if quiet else []))
    regions_load()
    _manage("collectstatic", "--no-input", "-v", "0")


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sinergi",
        description="Sinergi: digital tools for small businesses and the partners who help them.",
        epilog="Any other command is passed to Django's management commands, "
        "e.g. `sinergi migrate` or `sinergi createsuperuser`.",
    )
    parser.add_argument(
        "--data-dir",
        help="where the database, secret key, uploads and mail live "
        "(default: ./var, or $SINERGI_DATA_DIR)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="run the platform on SQLite with a seeded demo ecosystem",
        description="Create or upgrade the database in the data directory, seed it when "
        "empty, and run the web server and the task worker until Ctrl-C.",
    )
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument("--port", type=int, default=8000)
    demo.add_argument("--shops", type=int, default=20, help="shops to seed (default 20)")
    demo.add_argument("--seed", type=int, default=7, help="random seed (default 7)")

    serve = commands.add_parser(
        "serve",
        help="run the production web server (Granian, WSGI)",
        description="Prepare the database and static files, then serve with Granian.",
    )
    serve.add_argument("--host", default="127.0.0.1")
    serve.add_argument("--port", type=int, default=8000)
    serve.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    serve.add_argument("--threads", type=int, default=8, help="blocking threads per worker")
    serve.add_argument(
        "--skip-prepare", action="store_true", help="do not migrate or collect static files first"
    )

    worker = commands.add_parser(
        "worker",
        help="run a background task worker",
        description="Run tasks from the database queue; start as many as you like, on as "
        "many hosts as share the database.",
    )
    worker.add_argument("--queues", default="*", help="comma-separated queues (default all)")
    worker.add_argument("--interval", type=float, default=1.0, help="seconds between polls")
    worker.add_argument(
        "--no-periodic",
        action="store_true",
        help="do not run the periodic jobs (when cron runs channels_tick instead)",
    )

    seed = commands.add_parser(
        "seed",
        help="generate a synthetic ecosystem of shops and partners",
        description="Generate a deterministic ecosystem: the same seed gives the same data.",
    )
    seed.add_argument("--shops", type=int, default=20)
    seed.add_argument("--seed", type=int, default=7)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    options = argparse.ArgumentParser(add_help=False)
    options.add_argument("--data-dir")
    known, rest = options.parse_known_args(argv)
    _set_data_dir(known.data_dir)
    if rest and not rest[0].startswith("-") and rest[0] not in OWN_COMMANDS:
        # Anything that is not one of ours goes to Django's management commands.
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sinergi.settings")
        from django.core.management import execute_from_command_line  # noqa: PLC0415

        execute_from_command_line(["sinergi", *rest])
        return 0
    args = parser.parse_args(rest)
    if args.command is None:
        parser.print_help()
        return 0
    handler = {"demo": _demo, "serve": _serve, "worker": _worker, "seed": _seed}[args.command]
    return handler(args)


def _set_data_dir(data_dir: str | None) -> None:
    if data_dir:
        os.environ["SINERGI_DATA_DIR"] = str(Path(data_dir).resolve())


def _seed(args: argparse.Namespace) -> int:
    _django_setup()
    from sinergi.accounts.api import Organisation  # noqa: PLC0415
    from sinergi.core.places import regions_load  # noqa: PLC0415
    from sinergi.demo.generator import ecosystem_generate  # noqa: PLC0415
    from sinergi.web.assets import assets_build  # noqa: PLC0415

    assets_build()
    _manage("migrate", "--no-input", "-v", "0")
    regions_load()
    if Organisation.objects.exists():
        print("This database already holds an ecosystem; seed into a fresh --data-dir.")
        return 1
    summary = ecosystem_generate(shops=args.shops, seed=args.seed, progress=print)
    print(summary)
    return 0


def _serve(args: argparse.Namespace) -> int:
    _django_setup()
    if not args.skip_prepare:
        _prepare()
    command = [
        sys.executable,
        "-m",
        "granian",
        "--interface",
        "wsgi",
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--workers",
        str(args.workers),
        "--blocking-threads",
        str(args.threads),
        "--no-ws",
        "sinergi.wsgi:application",
    ]
    os.execv(sys.executable, command)  # noqa: S606  (replace this process with the server)


def _worker(args: argparse.Namespace) -> int:
    _django_setup()
    periodic = ["--no-periodic"] if args.no_periodic else []
    _manage("worker", "--queues", args.queues, "--interval", str(args.interval), *periodic)
    return 0


def _demo(args: argparse.Namespace) -> int:
    # The demo runs with no services: SQLite in the data directory, e-mail to files, and
    # 2FA offered but not forced on the demo's partner accounts.
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("SINERGI_REQUIRE_PARTNER_MFA", "false")
    os.environ.setdefault("SINERGI_BASE_URL", f"http://{args.host}:{args.port}")
    _django_setup()
    from django.conf import settings  # noqa: PLC0415

    from sinergi.accounts.api import Organisation  # noqa: PLC0415
    from sinergi.demo.generator import (  # noqa: PLC0415
        DEMO_PASSWORD,
        DEMO_SIGN_INS,
        ecosystem_generate,
    )

    print(f"Preparing {settings.DATA_DIR} …")
    _prepare()
    if not Organisation.objects.exists():
        print(f"Seeding a demo ecosystem of {args.shops} shops (seed {args.seed}) …")
        ecosystem_generate(shops=args.shops, seed=args.seed)
    base = f"http://{args.host}:{args.port}/"
    processes = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "sinergi.cli",
                "serve",
                "--skip-prepare",
                "--host",
                args.host,
                "--port",
                str(args.port),
                "--workers",
                "1",
            ]
        ),
        subprocess.Popen([sys.executable, "-m", "sinergi.cli", "worker"]),
    ]
    print(f"\nSinergi is running at {base}")
    print(f"Sign in with any of these (password: {DEMO_PASSWORD}):")
    for email, who in DEMO_SIGN_INS:
        print(f"  {email:32} {who}")
    print(f"E-mails are written to {settings.EMAIL_FILE_PATH}. Press Ctrl-C to stop.\n")
    return _supervise(processes)


def _supervise(processes: list[subprocess.Popen[bytes]]) -> int:
    """Wait until Ctrl-C or a child exits, then stop every child cleanly."""
    try:
        while all(process.poll() is None for process in processes):
            time.sleep(0.5)
    except KeyboardInterrupt:
        print("\nStopping …")
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        deadline = time.monotonic() + 10
        for process in processes:
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
    return max((process.returncode or 0) for process in processes)


if __name__ == "__main__":
    sys.exit(main())
