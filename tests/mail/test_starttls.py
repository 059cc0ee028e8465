"""STARTTLS for real: the library upgrades the connection before it sends (aiosmtpd on
loopback with a self-signed certificate made here with the openssl command), and it checks
the server's certificate (one it does not trust: nothing is sent, every message failed)."""

from __future__ import annotations

import shutil
import ssl
import subprocess
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller

from camp_planner.mail.smtp import SmtpSettings, send_all
from tests.mail.conftest import Recorder, _free_port

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs openssl")


class TlsRecorder(Recorder):
    """Keeps each message with the TLS version its session ran under (None: plain)."""

    def __init__(self) -> None:
        super().__init__()
        self.tls: list[str | None] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        extra = session.ssl or {}
        ssl_object = extra.get("ssl_object") if isinstance(extra, dict) else None
        self.tls.append(ssl_object.version() if ssl_object is not None else None)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def certificate(tmp_path: Path) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 and its key."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    return cert, key


@pytest.fixture
def tls_server(certificate: tuple[Path, Path]) -> Iterator[tuple[TlsRecorder, int]]:
    """A server that offers STARTTLS and refuses mail before it (require_starttls)."""
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(str(certificate[0]), str(certificate[1]))
    recorder = TlsRecorder()
    port = _free_port()
    controller = Controller(
        recorder, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True
    )
    controller.start()
    try:
        yield recorder, port
    finally:
        controller.stop()


def _message(to: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = "vaekstcamp@region.dk"
    message["To"] = to
    message["Subject"] = "Invitation til Åse"
    message.set_content("Kære Åse\n")
    return message


def test_the_connection_is_upgraded_before_anything_is_sent(
    tls_server: tuple[TlsRecorder, int],
    certificate: tuple[Path, Path],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    recorder, port = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(certificate[0]))  # trust the test's certificate
    settings = SmtpSettings("127.0.0.1", port, True, None, None, "vaekstcamp@region.dk")
    results = send_all(settings, [_message("a@firma.dk"), _message("b@firma.dk")])
    assert [r.delivered for r in results] == [True, True], results
    assert len(recorder.messages) == 2
    assert all(version is not None and version.startswith("TLS") for version in recorder.tls)


def test_without_starttls_the_server_refuses_and_nothing_is_sent(
    tls_server: tuple[TlsRecorder, int],
) -> None:
    recorder, port = tls_server
    settings = SmtpSettings("127.0.0.1", port, False, None, None, "vaekstcamp@region.dk")
    results = send_all(settings, [_message("a@firma.dk")])
    assert not results[0].delivered and "530" in results[0].answer  # must issue STARTTLS
    assert recorder.messages == []


def test_a_certificate_not_trusted_fails_every_message(
    tls_server: tuple[TlsRecorder, int], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    recorder, port = tls_server
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "none.pem"))  # no test certificate
    monkeypatch.setenv("SSL_CERT_DIR", str(tmp_path))
    settings = SmtpSettings("127.0.0.1", port, True, None, None, "vaekstcamp@region.dk")
    results = send_all(settings, [_message("a@firma.dk"), _message("b@firma.dk")])
    assert [r.delivered for r in results] == [False, False]
    assert "CERTIFICATE_VERIFY_FAILED" in results[0].answer
    assert recorder.messages == []
