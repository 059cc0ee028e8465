"""Without SMTP: .eml files a mail client's parser reads, Danish letters intact."""

from __future__ import annotations

import csv
import json
import shutil
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path

import pytest
from icalendar import Calendar

from tests.mail.conftest import run


@pytest.fixture
def folder(solved_demo: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(solved_demo, tmp_path / "demo"))


def _read(path: Path) -> EmailMessage:
    message = message_from_bytes(path.read_bytes(), policy=policy.default)
    assert isinstance(message, EmailMessage)
    return message


def test_eml_files_parse_with_danish_names_intact(folder: Path) -> None:
    roster = folder / "out" / "roster.json"
    code, output = run("send", folder, "--roster", roster)
    assert code == 0, output
    placed = [m for c in json.loads(roster.read_text())["cohorts"] for m in c["members"]]
    outbox = folder / "out" / "outbox"
    files = sorted(outbox.glob("*.eml"))
    assert sorted(p.stem for p in files) == sorted(placed)
    raw = files[0].read_bytes()
    assert raw.isascii()  # headers as RFC 2047 encoded-words, the body transfer-encoded
    message = _read(files[0])
    to = message["To"].addresses[0]
    assert to.display_name.startswith("Søren Ærø Ågård ")
    assert message["From"].addresses[0].display_name == "Åse Østergård"
    assert message["Subject"].startswith("Vækstcamp 2027-Q1: invitation til Modul")
    body = message.get_body(("plain",)).get_content()
    assert f"Kære {to.display_name}" in body and "Mødested:" in body
    assert "Svar venligst senest 20. december 2026" in body
    (part,) = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    cal = Calendar.from_ical(part.get_payload(decode=True))
    attendee = next(iter(cal.walk("VEVENT")))["attendee"]
    assert attendee.params["CN"] == to.display_name
    # the preview is logged as written, and never blocks the real sending
    with (folder / "out" / "sent-log.csv").open(encoding="utf-8-sig") as handle:
        statuses = {row["status"] for row in csv.DictReader(handle)}
    assert statuses == {"written"}
    assert run("send", folder, "--roster", roster)[0] == 0


def test_an_english_round_and_the_coordinators_own_template(folder: Path, tmp_path: Path) -> None:
    toml = folder / "round.toml"
    toml.write_text(toml.read_text().replace('language = "da"', 'language = "en"'))
    template = tmp_path / "mine.txt"
    template.write_text(
        "Camp {{ round }} for {{ company.name }}\n\nHello {{ greeting_name }}, cohort "
        "{{ cohort.id }} at {{ cohort.venue.name }}; answer by {{ reply_by }}.\n",
        encoding="utf-8",
    )
    code, output = run(
        "send", folder, "--roster", folder / "out" / "roster.json", "--template", template,
        "--out", tmp_path / "eml",
    )  # fmt: skip
    assert code == 0, output
    message = _read(sorted((tmp_path / "eml").glob("*.eml"))[0])
    assert message["Subject"].startswith("Camp 2027-Q1 for ")
    body = message.get_body(("plain",)).get_content()
    assert "answer by 2026-12-20." in body  # English dates stay ISO


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("{{ company.nmae }}\n\nx", "nmae"),  # a value that does not exist
        ("{% if %}\n", "line 1"),  # not a template
    ],
)
def test_a_broken_template_sends_nothing(folder: Path, tmp_path: Path, text: str, words: str):
    template = tmp_path / "bad.txt"
    template.write_text(text, encoding="utf-8")
    code, output = run(
        "send", folder, "--roster", folder / "out" / "roster.json", "--template", template
    )
    assert code == 2 and words in output and "Nothing was sent" in output
    assert not (folder / "out" / "outbox").exists()


def test_the_venues_address_is_in_the_message_and_the_event(folder: Path) -> None:
    import pandas as pd

    venues = pd.read_csv(folder / "venues.csv", dtype=str, keep_default_na=False)
    venues["adresse"] = [f"Søndergade {i}" for i in range(len(venues))]
    venues.to_csv(folder / "venues.csv", index=False)
    address = dict(zip(venues["venue_id"], venues["adresse"], strict=True))
    roster = json.loads((folder / "out" / "roster.json").read_text())
    where = {m: c["venue_id"] for c in roster["cohorts"] for m in c["members"]}
    code, output = run("send", folder, "--roster", folder / "out" / "roster.json")
    assert code == 0, output
    for path in sorted((folder / "out" / "outbox").glob("*.eml"))[:5]:
        message = _read(path)
        street = address[where[path.stem]]
        assert f", {street}" in message.get_body(("plain",)).get_content()
        (part,) = list(message.iter_attachments())
        event = next(iter(Calendar.from_ical(part.get_payload(decode=True)).walk("VEVENT")))
        assert street in str(event["location"])
