"""The web app's guards, as plain ASGI middleware (outermost first):

- :class:`ErrorGuard`: an unexpected error answers 500 and is logged by its type and path
  only (an exception's message may hold company data; it is never logged);
- :class:`AccessLog`: one line per request: method, path (ids only, never a query string
  or a body), status and time;
- :class:`HostCheck`: served on a loopback address, only requests for a loopback host name
  are answered (a web page elsewhere cannot reach the app through DNS rebinding);
- :class:`BasicAuth`: with a password, every page and call needs it (HTTP basic auth, any
  user name);
- :class:`SameOrigin`: POST, PUT, PATCH and DELETE from a browser must come from the app's
  own pages (their ``Origin``, else ``Referer``, is the app's); page forms also carry a
  CSRF token (:func:`csrf_ok`);
- :class:`BodyLimit`: request bodies of at most ``limit`` bytes (uploads: 20 MB);
- :class:`Headers`: ``nosniff``, no framing by other sites, no referrer to other sites and
  a content security policy (everything from the app itself; the map's tiles aside).
"""

from __future__ import annotations

import base64
import binascii
import errno
import ipaddress
import json
import logging
import secrets
import sqlite3
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import urlsplit

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "AccessLog",
    "BasicAuth",
    "BodyLimit",
    "ErrorGuard",
    "Headers",
    "HostCheck",
    "SameOrigin",
    "csrf_cookie",
    "csrf_ok",
    "log_safe",
    "is_loopback",
    "new_csrf_token",
]

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

log = logging.getLogger("camp_planner.web")
access_log = logging.getLogger("camp_planner.web.access")

CSRF_COOKIE = "cp_csrf"
#: The CSRF cookie over https: ``__Host-`` (secure, this host only, path /).
CSRF_COOKIE_HTTPS = "__Host-cp_csrf"
CSRF_FIELD = "csrf_token"
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})
#: The pages' policy: everything from the app; inline styles for the map's legend only.
PAGE_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "frame-src 'self'; frame-ancestors 'self'; form-action 'self'; base-uri 'none'; "
    "object-src 'none'"
)


#: The answer to a write when the data folder's disk is full (reads keep working).
DISK_FULL = (
    "The server's disk is full, so nothing new can be kept. Pages and downloads still work; "
    "free some space (or delete old plans) and try again."
)


def disk_full(exc: BaseException) -> bool:
    """True when `exc` says the disk (or the user's quota) is full."""
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return True
    if isinstance(exc, sqlite3.OperationalError | sqlite3.DatabaseError):
        text = str(exc).lower()
        return "disk is full" in text or "disk i/o error" in text
    cause = exc.__cause__ or exc.__context__
    return cause is not None and cause is not exc and disk_full(cause)


def is_loopback(host: str) -> bool:
    """True for 127.0.0.0/8, ::1 and ``localhost``."""
    host = host.strip("[]")
    if host.casefold() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return bytes(value).decode("latin-1")
    return None


async def _respond(
    send: Send, status: int, body: bytes, content_type: str, extra: list[tuple[bytes, bytes]]
) -> None:
    headers = [
        (b"content-type", content_type.encode()),
        (b"content-length", str(len(body)).encode()),
        *extra,
    ]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


async def _error(
    scope: Scope, send: Send, status: int, message: str, extra: tuple[tuple[bytes, bytes], ...] = ()
) -> None:
    if str(scope.get("path", "")).startswith("/api/"):
        body = json.dumps({"detail": message}).encode()
        await _respond(send, status, body, "application/json", list(extra))
    else:
        await _respond(send, status, message.encode(), "text/plain; charset=utf-8", list(extra))


class ErrorGuard:
    """Answers 500 to an unexpected error, logging only its type and the path."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watch)
        except Exception as exc:  # noqa: BLE001 - logged without its message
            method, path = log_safe(scope["method"]), log_safe(scope["path"])
            full = disk_full(exc)
            log.error(
                "%s on %s %s", "disk full" if full else f"error {type(exc).__name__}", method, path
            )
            if started:
                return
            if full:
                await _error(scope, send, 507, DISK_FULL)
            else:
                await _error(
                    scope, send, 500, "Internal error; the details are not shown. Try again."
                )


class AccessLog:
    """``METHOD /path STATUS 12 ms``: no query string, no body, no header."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        start = time.perf_counter()
        status = 0

        async def watch(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, watch)
        finally:
            ms = (time.perf_counter() - start) * 1000
            method, path = log_safe(scope["method"]), log_safe(scope["path"])
            access_log.info("%s %s %s %.0f ms", method, path, status, ms)


class HostCheck:
    """Only requests whose Host is one of `hosts` (None: any)."""

    def __init__(self, app: ASGIApp, hosts: frozenset[str] | None) -> None:
        self.app, self.hosts = app, hosts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and self.hosts is not None:
            host = urlsplit("//" + (_header(scope, b"host") or "")).hostname or ""
            if host.casefold() not in self.hosts:
                await _error(scope, send, 400, "Unknown host.")
                return
        await self.app(scope, receive, send)


class BasicAuth:
    """HTTP basic auth with one password (any user name); None: no password."""

    def __init__(self, app: ASGIApp, password: str | None) -> None:
        self.app = app
        self.password = password.encode() if password else None

    def _allowed(self, scope: Scope) -> bool:
        if self.password is None:
            return True
        value = _header(scope, b"authorization") or ""
        scheme, _, token = value.partition(" ")
        if scheme.casefold() != "basic":
            return False
        try:
            decoded = base64.b64decode(token.strip(), validate=True)
        except (binascii.Error, ValueError):
            return False
        _, sep, password = decoded.partition(b":")
        return bool(sep) and secrets.compare_digest(password, self.password)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not self._allowed(scope):
            challenge = (b"www-authenticate", b'Basic realm="camp-planner", charset="UTF-8"')
            await _error(scope, send, 401, "The password is needed.", (challenge,))
            return
        await self.app(scope, receive, send)


def _origin_of(scope: Scope) -> str:
    scheme = scope.get("scheme", "http")
    host = _header(scope, b"host") or ""
    return f"{scheme}://{host}".casefold()


class SameOrigin:
    """Refuses POST/PUT/PATCH/DELETE whose Origin (or Referer) is another site's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["method"] in UNSAFE:
            own = _origin_of(scope)
            origin = _header(scope, b"origin")
            referer = _header(scope, b"referer")
            if origin is not None:
                ok = origin.casefold() == own
            elif referer is not None:
                parts = urlsplit(referer)
                ok = f"{parts.scheme}://{parts.netloc}".casefold() == own
            else:
                ok = True  # not sent by a browser page (curl, scripts)
            if not ok:
                await _error(scope, send, 403, "Cross-site request refused.")
                return
        await self.app(scope, receive, send)


class _TooLarge(Exception):
    pass


class BodyLimit:
    """Request bodies of at most `limit` bytes (413 otherwise)."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def _too_large(self, scope: Scope, send: Send) -> None:
        mb = self.limit // (1024 * 1024)
        if str(scope.get("path", "")).startswith("/api/"):
            problem = {
                "file": "(upload)",
                "row": None,
                "column": None,
                "value": None,
                "expected": f"files of at most {mb} MB in all",
            }
            body = json.dumps({"problems": [problem]}).encode()
            await _respond(send, 413, body, "application/json", [])
        else:
            text = (
                f"Filerne er for store: højst {mb} MB i alt. Gå tilbage og prøv igen.\n"
                f"The files are too large: at most {mb} MB in all. Go back and try again.\n"
            )
            await _respond(send, 413, text.encode(), "text/plain; charset=utf-8", [])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await self._too_large(scope, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        async def watch(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counted, watch)
        except _TooLarge:
            if not started:
                await self._too_large(scope, send)


class Headers:
    """Adds the security headers to every answer (a route may set its own CSP)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def add(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = dict(message)
                headers = list(message.get("headers", []))
                names = {bytes(k).lower() for k, _ in headers}
                for name, value in (
                    (b"x-content-type-options", b"nosniff"),
                    (b"x-frame-options", b"SAMEORIGIN"),
                    (b"referrer-policy", b"same-origin"),
                    (b"content-security-policy", PAGE_CSP.encode()),
                    (b"cache-control", b"no-store"),
                ):
                    if name not in names:
                        headers.append((name, value))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, add)


def csrf_cookie(scheme: str) -> str:
    """The CSRF cookie's name: with the ``__Host-`` prefix over https (a browser then
    keeps it for this host only, set by a secure page); plain on loopback http."""
    return CSRF_COOKIE_HTTPS if scheme == "https" else CSRF_COOKIE


def log_safe(text: str) -> str:
    """`text` with control characters (a newline, an escape) and backslashes escaped, so
    that one request is one log line whatever its path holds."""
    return "".join(
        c if c.isprintable() and c != "\\" else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


def new_csrf_token() -> str:
    """A fresh token for the CSRF cookie."""
    return secrets.token_urlsafe(24)


def csrf_ok(cookie: str | None, submitted: str | None) -> bool:
    """A page form's token matches its cookie (double submit)."""
    if not cookie or not submitted:
        return False
    return secrets.compare_digest(cookie.encode(), submitted.encode())
