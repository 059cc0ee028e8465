"""Serving a travel map (``map.html``) so that nothing in it can reach the app.

A map shows names from the user's files; the map writer escapes them, and the page is
served with:

- a script nonce: only the page's own ``<script>`` elements run (inline event handlers
  such as ``onerror=`` in an injected name never do; folium inlines its scripts, so
  ``'self'`` cannot be used);
- the CSP ``sandbox`` (scripts allowed, no same origin): the map runs in an opaque origin
  even inside the roster page's frame or opened on its own, so a script in it could
  neither read the app's pages nor send the app a request it would accept.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path

from fastapi.responses import Response

__all__ = ["map_policy", "map_response"]

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
