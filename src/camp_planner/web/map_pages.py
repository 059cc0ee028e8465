"""Serving a travel map (``map.html``) so that nothing in it can reach the app.

A map shows names from the user's files; the map writer escapes them, and the page is
served with:

- a script nonce: only the page's own ``<script>`` elements run (inline event handlers
  such as ``onerror=`` in an injected name never do; folium inlines its scripts, so
  ``'self'`` cannot be used);
- the CSP ``sandbox`` (scripts allowed, no same origin): the map runs in an opaque origin
  even inside the roster page's frame or opened on its own, so a script in it could
  neither read the app's pages nor send the app a request it would accept.

A job writes its map in the round's language (as ``camp-planner solve`` does); a page in
the other language gets a copy in its own (:func:`map_in`): drawn on first request from
the job's roster and the plan's version it solved, kept in the job's folder as
``map-<lang>.html``.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from fastapi.responses import Response

from camp_planner.web.store import Job, Store

__all__ = ["map_in", "map_policy", "map_response"]

#: The language a map page is written in (its ``<html lang="...">``, near its start).
_LANG = re.compile(rb'<html lang="([a-z]+)"')

#: The page's own script elements: each starts a line (a ``<script>`` inside a script's
#: text, as in jQuery, never does).
_SCRIPT = re.compile(rb"^([ \t]*)<script(?=[\s>])", re.IGNORECASE | re.MULTILINE)


def map_policy(nonce: str) -> str:
    """The map page's content security policy for one answer."""
    return (
        f"default-src 'none'; script-src 'nonce-{nonce}'; style-src 'unsafe-inline'; "
        "img-src data: https:; frame-ancestors 'self'; base-uri 'none'; form-action 'none'; "
        "sandbox allow-scripts allow-popups"
    )


def map_response(path: Path) -> Response:
    """The map at `path` with a fresh nonce on each of its scripts and the policy."""
    nonce = secrets.token_urlsafe(18)
    page = _SCRIPT.sub(rb'\1<script nonce="' + nonce.encode() + b'"', path.read_bytes())
    return Response(
        page,
        media_type="text/html; charset=utf-8",
        headers={"content-security-policy": map_policy(nonce)},
    )


def map_in(store: Store, job: Job, path: Path, lang: str) -> Path:
    """The job's map (`path`, in the round's language) in the page's language `lang`.

    A copy in `lang` is drawn on first request (the job's ``roster.json`` on the plan's
    version the job started from, the round's language set to `lang`) and kept as
    ``map-<lang>.html`` in the job's folder; `path` itself when it is in `lang` already,
    or when the copy cannot be drawn (the version or the roster no longer reads).
    """
    with path.open("rb") as page:
        found = _LANG.search(page.read(4096))
    if found is None or found.group(1).decode() == lang:
        return path
    target = store.job_dir(job.job_id) / f"map-{lang}.html"
    if target.is_file():
        return target
    from camp_planner.io.errors import InputError
    from camp_planner.io.folder import load_folder
    from camp_planner.io.roster_file import RosterFileError, read_roster
    from camp_planner.outputs.maps import write_map
    from camp_planner.web.versions import version_at, version_dir

    folder = version_dir(store, job.plan_id, version_at(store, job.plan_id, job.created))
    try:
        if folder is None:
            return path
        problem = load_folder(folder)
        roster = read_roster(path.with_name("roster.json"))
        spoken = problem.round.model_copy(update={"language": lang})
        return write_map(problem.model_copy(update={"round": spoken}), roster, target)
    except (InputError, RosterFileError, OSError, ValueError, LookupError):
        return path  # the round's own map rather than none
