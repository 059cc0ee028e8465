"""The coordinators' web app (``camp-planner serve``): the whole job in a browser.

- :mod:`~camp_planner.web.app`: :func:`create_app`, the pages and the JSON API;
- :mod:`~camp_planner.web.store`: plans and jobs in the data folder (SQLite + files);
- :mod:`~camp_planner.web.jobs` / :mod:`~camp_planner.web.worker`: solves and what-ifs in
  worker processes;
- :mod:`~camp_planner.web.uploads`: uploaded planning files, read safely;
- :mod:`~camp_planner.web.security`: password, same-origin checks, limits, quiet logs;
- :mod:`~camp_planner.web.i18n` and ``translations/``: Danish (default) and English;
- :mod:`~camp_planner.web.views`: what the pages show.

See docs/web.md.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from camp_planner.web.app import create_app

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    if name == "create_app":
        from camp_planner.web.app import create_app

        return create_app
    raise AttributeError(f"module 'camp_planner.web' has no attribute {name!r}")
