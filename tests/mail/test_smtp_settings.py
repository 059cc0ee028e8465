"""The SMTP settings from environment variables, and the sent-log file."""

from __future__ import annotations

from pathlib import Path

import pytest

from camp_planner.mail.sentlog import LogRow, append_log, delivered, read_log
from camp_planner.mail.smtp import smtp_settings

P = "CAMP_PLANNER_SMTP_"


def test_no_host_no_sending() -> None:
    assert smtp_settings({}) == (None, [])


@pytest.mark.parametrize(
    ("env", "port", "starttls"),
    [
        ({}, 587, True),  # the submission port with STARTTLS by default
        ({P + "PORT": "25"}, 25, False),  # port 25: plain unless asked
        ({P + "PORT": "2525", P + "STARTTLS": "0"}, 2525, False),
        ({P + "STARTTLS": "0"}, 25, False),
        ({P + "PORT": "465", P + "STARTTLS": "ja"}, 465, True),
    ],
)
def test_port_and_starttls(env: dict[str, str], port: int, starttls: bool) -> None:
    settings, problems = smtp_settings({P + "HOST": "smtp.region.dk", **env})
    assert problems == [] and settings is not None
    assert (settings.port, settings.starttls) == (port, starttls)


def test_sender_from_either_variable() -> None:
    base = {P + "HOST": "h"}
    assert smtp_settings({**base, "CAMP_PLANNER_MAIL_FROM": "a@b.dk"})[0].sender == "a@b.dk"  # type: ignore[union-attr]
    both = {**base, P + "FROM": "x@y.dk", "CAMP_PLANNER_MAIL_FROM": "a@b.dk"}
    assert smtp_settings(both)[0].sender == "x@y.dk"  # type: ignore[union-attr]


def test_every_bad_setting_is_listed() -> None:
    settings, problems = smtp_settings(
        {P + "HOST": "h", P + "PORT": "99999", P + "STARTTLS": "maybe", P + "USER": "u"}
    )
    assert settings is None
    assert [p.split(":")[0].split(" ")[0] for p in problems] == [
        P + "STARTTLS",
        P + "PORT",
        P + "USER",
    ]


def _row(company: str, status: str, answer: str = "250 accepted", print_: str = "f1") -> LogRow:
    return LogRow(LogRow.now(), company, f"{company}@x.dk", "invitation", "roster.json", print_,
                  status, answer, "<id@x>")  # fmt: skip


def test_the_log_keeps_every_attempt_and_knows_what_was_delivered(tmp_path: Path) -> None:
    log = tmp_path / "sent-log.csv"
    append_log(log, [_row("1", "sent"), _row("2", "failed", "-ERR refused")])
    append_log(log, [_row("2", "sent"), _row("3", "sent", print_="f2")])
    rows = read_log(log)
    assert [(r.company_id, r.status) for r in rows] == [
        ("1", "sent"), ("2", "failed"), ("2", "sent"), ("3", "sent")
    ]  # fmt: skip
    assert rows[1].answer == "-ERR refused"  # read back as written
    assert "'-ERR" in log.read_text(encoding="utf-8-sig")  # but not a formula in Excel
    assert set(delivered(rows, "f1")) == {"1", "2"}
