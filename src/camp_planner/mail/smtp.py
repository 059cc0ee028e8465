"""Sending through an SMTP server configured by environment variables.

``CAMP_PLANNER_SMTP_HOST`` (sending is off without it), ``CAMP_PLANNER_SMTP_PORT`` (587 with
STARTTLS, else 25), ``CAMP_PLANNER_SMTP_STARTTLS`` (``1``/``0``, default ``1`` unless the port
is 25), ``CAMP_PLANNER_SMTP_USER`` and ``CAMP_PLANNER_SMTP_PASSWORD`` (log in when a user is
given), ``CAMP_PLANNER_SMTP_FROM`` or ``CAMP_PLANNER_MAIL_FROM`` (the sender; else the round's
``coordinator_email``).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from email.message import EmailMessage
from typing import NamedTuple

__all__ = [
    "SendResult",
    "SettingProblem",
    "SmtpSettings",
    "send_all",
    "smtp_settings",
    "smtp_settings_checked",
]

PREFIX = "CAMP_PLANNER_SMTP_"
_TRUE = {"1", "true", "yes", "ja", "on"}
_FALSE = {"0", "false", "no", "nej", "off"}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    host: str
    port: int
    starttls: bool
    user: str | None
    password: str | None
    sender: str | None


@dataclass(frozen=True)
class SendResult:
    """What the server said to one message: delivered (accepted) or the refusal."""

    delivered: bool
    answer: str


class SettingProblem(NamedTuple):
    """A setting that cannot be used: the variable, its value (None: not set), what was
    expected (English; the web app's catalogue translates these words)."""

    variable: str
    value: str | None
    expected: str


#: What a setting problem expects (the texts of :class:`SettingProblem`).
EXPECT_TLS, EXPECT_PORT = "1 or 0", "a port number"
EXPECT_PASSWORD = "a password, since CAMP_PLANNER_SMTP_USER is set"


def smtp_settings(env: Mapping[str, str]) -> tuple[SmtpSettings | None, list[str]]:
    """The settings from `env`, or None when no host is set; and the problems found
    (a port that is not a number, a STARTTLS that is not 1/0, a user without password)."""
    settings, problems = smtp_settings_checked(env)
    texts = []
    for p in problems:
        if p.expected == EXPECT_PASSWORD:
            texts.append(f"{PREFIX}USER is set but {PREFIX}PASSWORD is not")
        else:
            texts.append(f"{p.variable}: expected {p.expected}, got {p.value!r}")
    return settings, texts


def smtp_settings_checked(
    env: Mapping[str, str],
) -> tuple[SmtpSettings | None, list[SettingProblem]]:
    """As :func:`smtp_settings`, with each problem as a :class:`SettingProblem`."""
    host = env.get(PREFIX + "HOST", "").strip()
    if not host:
        return None, []
    problems = []
    tls_text = env.get(PREFIX + "STARTTLS", "").strip().lower()
    port_text = env.get(PREFIX + "PORT", "").strip()
    if tls_text and tls_text not in _TRUE | _FALSE:
        problems.append(SettingProblem(PREFIX + "STARTTLS", tls_text, EXPECT_TLS))
    port = 0
    if port_text:
        if port_text.isdigit() and 0 < int(port_text) < 65536:
            port = int(port_text)
        else:
            problems.append(SettingProblem(PREFIX + "PORT", port_text, EXPECT_PORT))
    starttls = tls_text in _TRUE if tls_text else port != 25
    port = port or (587 if starttls else 25)
    user = env.get(PREFIX + "USER", "").strip() or None
    password = env.get(PREFIX + "PASSWORD") or None
    if user and password is None:
        problems.append(SettingProblem(PREFIX + "PASSWORD", None, EXPECT_PASSWORD))
    sender = (env.get(PREFIX + "FROM") or env.get("CAMP_PLANNER_MAIL_FROM") or "").strip()
    settings = SmtpSettings(host, port, starttls, user, password, sender or None)
    return (None if problems else settings), problems


def send_all(
    settings: SmtpSettings,
    messages: list[EmailMessage],
    on_each: Callable[[int, SendResult], None] | None = None,
    on_start: Callable[[int], None] | None = None,
) -> list[SendResult]:
    """Send each message over one connection; a message the server refuses (for any of its
    recipients, or as a whole) is failed with the server's answer, the others go on.

    A connection that cannot be made fails every message with the reason. `on_each` is
    called with each message's index and result as soon as the server has answered it
    (so that the caller can log it at once and show the progress); `on_start` with each
    message's index just before the message is handed to the server (so that the caller
    can record it as being sent first)."""
    results: list[SendResult] = []

    def done(result: SendResult) -> None:
        results.append(result)
        if on_each is not None:
            on_each(len(results) - 1, result)

    try:
        smtp = smtplib.SMTP(settings.host, settings.port, timeout=30)
    except OSError as exc:
        for _ in messages:
            done(SendResult(False, f"cannot connect to {settings.host}:{settings.port}: {exc}"))
        return results
    with smtp:
        try:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
        except (smtplib.SMTPException, OSError) as exc:
            for _ in messages:
                done(SendResult(False, _answer(exc)))
            return results
        for index, message in enumerate(messages):
            if on_start is not None:
                on_start(index)
            done(_send_one(smtp, message))
    return results


def _send_one(smtp: smtplib.SMTP, message: EmailMessage) -> SendResult:
    try:
        refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as exc:
        _reset(smtp)
        return SendResult(False, _refusals(exc.recipients))
    except smtplib.SMTPResponseException as exc:
        _reset(smtp)
        return SendResult(False, _answer(exc))
    except (smtplib.SMTPException, OSError) as exc:
        return SendResult(False, _answer(exc))
    if refused:  # some recipients accepted, some not: the message did not reach everybody
        return SendResult(False, _refusals(refused))
    return SendResult(True, "250 accepted")


def _reset(smtp: smtplib.SMTP) -> None:
    with contextlib.suppress(smtplib.SMTPException, OSError):
        smtp.rset()


def _refusals(refused: dict[str, tuple[int, bytes]]) -> str:
    return "; ".join(
        f"{address}: {code} {text.decode('utf-8', 'replace')}"
        for address, (code, text) in refused.items()
    )


def _answer(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        shown = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {shown}"
    return f"{type(exc).__name__}: {exc}"
