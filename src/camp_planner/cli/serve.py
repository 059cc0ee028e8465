"""`camp-planner serve`: the coordinators' web app, in a browser (docs/web.md).

Binds to 127.0.0.1 by default. On any other address it refuses to start unless the
environment variable ``CAMP_PLANNER_PASSWORD`` is set; every page and call then needs that
password (HTTP basic auth, any user name). The log has one line per request (method, path,
status), never a query string, a body or a company name.
"""

from __future__ import annotations

import importlib.util
import math
import os
import socket
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.text import Text

from camp_planner.cli._common import ExitCode, fail
from camp_planner.distributed.ray_executor import RAY_MISSING
from camp_planner.web.ray_jobs import RAY_ENV

PASSWORD_VARIABLE = "CAMP_PLANNER_PASSWORD"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


def bind_problem(host: str, password: str | None) -> str | None:
    """A sentence when the server must not start on `host`, else None."""
    from camp_planner.web.security import is_loopback

    if not is_loopback(host) and not password:
        return (
            f"Refusing to serve on {host}: other machines could reach the plans there. "
            f"Set the environment variable {PASSWORD_VARIABLE} to a password (every page "
            "will then ask for it), or serve on 127.0.0.1."
        )
    return None


def log_config() -> dict[str, Any]:
    """uvicorn's logging: its own lines and the app's access lines, no uvicorn access log."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(message)s"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            }
        },
        "loggers": {
            "uvicorn": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "uvicorn.error": {"level": "INFO"},
            "uvicorn.access": {"handlers": [], "level": "CRITICAL", "propagate": False},
            "camp_planner.web": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        },
    }


def _address(host: str, port: int) -> str:
    shown = host
    if host in ("0.0.0.0", "::", ""):
        shown = socket.gethostname()
    if ":" in shown and not shown.startswith("["):
        shown = f"[{shown}]"
    return f"http://{shown}:{port}/"


def _ray_problem(ray: str | None) -> str | None:
    """What is wrong with ``--ray``, in a sentence (None: fine or not given)."""
    if ray is None:
        return None
    if not ray.strip() or ray.strip() == "auto":
        return (
            "serve --ray needs a Ray cluster's address, e.g. 10.0.0.5:6379 (start one with "
            "'ray start --head'; docs/ray.md)"
        )
    if importlib.util.find_spec("ray") is None:
        return RAY_MISSING
    return None


def run_serve(
    host: str, port: int, data: Path, jobs: int | None, out: Console, err: Console,
    keep_days: float | None = None, ray: str | None = None,
) -> ExitCode:  # fmt: skip
    """Run the web app until Ctrl+C.

    Args:
        host: Address to bind.
        port: Port.
        data: The data folder (plans, jobs; created if needed).
        jobs: Solves at once; None for one per two cores.
        keep_days: Plans older than this many days are deleted (on start, then hourly);
            None keeps every plan.
        ray: A Ray cluster's address: the jobs' solves run there (docs/ray.md); None
            solves in the server's worker processes.
        out: Where the address goes.
        err: Where problems go.

    Returns:
        OK after the server stopped; BAD_INPUT when it may not or cannot start.
    """
    import uvicorn

    from camp_planner.web.app import create_app
    from camp_planner.web.security import is_loopback

    password = os.environ.get(PASSWORD_VARIABLE) or None
    problem = bind_problem(host, password)
    if problem:
        return fail(err, problem)
    if not 0 < port < 65536:
        return fail(err, f"--port must be 1-65535, got {port}")
    if jobs is not None and jobs < 1:
        return fail(err, f"--jobs must be at least 1, got {jobs}")
    if keep_days is not None and not (math.isfinite(keep_days) and keep_days > 0):
        return fail(err, f"--keep-days must be a number of days above 0, got {keep_days:g}")
    ray_problem = _ray_problem(ray)
    if ray_problem:
        return fail(err, ray_problem)
    if ray is not None:  # the worker processes (started later) send their solves there
        os.environ[RAY_ENV] = ray.strip()
    os.umask(0o077)  # plans, rosters and the database: readable by this user only
    allowed = {*LOOPBACK_NAMES, host.strip("[]")} if is_loopback(host) else None
    try:
        app = create_app(
            Path(data), password=password, allowed_hosts=allowed, max_jobs=jobs,
            keep_days=keep_days,
        )  # fmt: skip
    except OSError as exc:
        return fail(err, f"Cannot use the data folder {data}: {exc}")
    out.print(Text(f"camp-planner web app: open {_address(host, port)} in a browser", "bold"))
    out.print(
        Text(
            f"Plans and results are kept in {Path(data).resolve()}. "
            + ("Every page asks for the password. " if password else "")
            + (f"Plans older than {keep_days:g} days are deleted. " if keep_days else "")
            + (f"Solves run on the Ray cluster at {ray.strip()}. " if ray else "")
            + "Stop the server with Ctrl+C."
        )
    )
    try:
        uvicorn.run(
            app,
            host=host.strip("[]"),
            port=port,
            access_log=False,
            log_config=log_config(),
            server_header=False,
        )
    except OSError as exc:  # pragma: no cover - e.g. the port is taken
        return fail(err, f"Cannot serve on {host}:{port}: {exc}")
    return ExitCode.OK
