"""A real `camp-planner serve` on a free loopback port, for the tests that attack the web
app from outside (HTTP on 127.0.0.1, and Chromium)."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.web.conftest import multipart


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def command() -> list[str]:
    script = Path(sys.executable).with_name("camp-planner")
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from camp_planner.cli import main; main()"]


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")


@dataclass
class Live:
    """A running server: its process, address, data folder and log."""

    process: subprocess.Popen[bytes]
    base: str
    data: Path
    log: Path

    def request(
        self, method: str, path: str, body: bytes | None = None,
        headers: dict[str, str] | None = None, timeout: float = 60,
    ) -> Answer:  # fmt: skip
        req = urllib.request.Request(
            self.base + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(req, timeout=timeout) as answer:
                return Answer(answer.status, dict(answer.headers.items()), answer.read())
        except urllib.error.HTTPError as error:
            return Answer(error.code, dict(error.headers.items()), error.read())

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post_json(self, path: str, value: Any) -> Answer:
        body = value if isinstance(value, bytes) else json.dumps(value).encode()
        return self.request("POST", path, body, {"content-type": "application/json"})

    def upload(self, files: dict[str, bytes]) -> Answer:
        import httpx

        answer = httpx.post(self.base + "/api/plans", files=multipart(files), timeout=120)
        return Answer(answer.status_code, dict(answer.headers.items()), answer.content)

    def wait(self, job_id: str, statuses: tuple[str, ...], timeout: float = 120) -> Any:
        deadline = time.monotonic() + timeout
        while True:
            job = self.get(f"/api/jobs/{job_id}").json()
            if job["status"] in statuses:
                return job
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {job['status']}")
            time.sleep(0.2)

    def stop(self, sig: int = signal.SIGTERM) -> None:
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:  # pragma: no cover
                self.process.kill()
                self.process.wait()


def start(data: Path, *extra: str, env: dict[str, str] | None = None) -> Live:
    """`camp-planner serve` on a free port with `data`; waits until it answers."""
    port = free_port()
    data.parent.mkdir(parents=True, exist_ok=True)
    log = data.parent / f"server-{port}.log"
    environment = {k: v for k, v in os.environ.items() if k != "CAMP_PLANNER_PASSWORD"}
    environment |= env or {}
    process = subprocess.Popen(
        [*command(), "serve", "--port", str(port), "--data", str(data), *extra],
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        env=environment,
        start_new_session=True,
    )
    live = Live(process, f"http://127.0.0.1:{port}", data, log)
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"{live.base}/api/health", timeout=2) as answer:
                if answer.status == 200:
                    return live
        except urllib.error.HTTPError as error:
            if error.code == 401:  # up, and asking for its password
                return live
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                live.stop(signal.SIGKILL)  # never left running by a failed start
                raise AssertionError(log.read_text()) from None
            time.sleep(0.2)


def children_of(pid: int) -> list[int]:
    """Every process whose ancestors include `pid` (from /proc)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    found, frontier = [], [pid]
    while frontier:
        current = frontier.pop()
        for child, parent in parents.items():
            if parent == current:
                found.append(child)
                frontier.append(child)
    return found


def started(pid: int) -> str | None:
    """The process's start time (so that a reused pid is told apart), None if gone."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def alive(pid: int, start: str | None = None) -> bool:
    """The process runs (not a zombie), and started at `start` when given."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    fields = stat.rsplit(")", 1)[1].split()
    return fields[0] != "Z" and (start is None or fields[19] == start)


def describe(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
    except OSError:
        return "(gone)"


def click_and_wait(driver: Any, element: Any, until: Any, timeout: float = 60) -> Any:
    """Click `element`, which leaves the page (a form's submit button or a link), and wait
    for the NEW page: the old page's ``<html>`` gone stale, the new one loaded, then `until`
    (a locator such as ``(By.ID, "groups")``, or an expected condition) on it.

    Waiting only for an id could be met by the page before the click (the click returns
    before the browser has left it), and what is then read goes stale when the new page
    arrives. Returns what `until` found. Not for a click that stays on the page."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as EC  # noqa: N812
    from selenium.webdriver.support.ui import WebDriverWait

    old = driver.find_element(By.TAG_NAME, "html")
    element.click()
    wait = WebDriverWait(driver, timeout, poll_frequency=0.2)
    wait.until(lambda d: _left(d, old))
    wait.until(_loaded)
    condition = EC.presence_of_element_located(until) if isinstance(until, tuple) else until
    return wait.until(condition)


def _left(driver: Any, old: Any) -> bool:
    """The browser has left the page whose ``<html>`` is `old`: `old` is stale, or the page's
    ``<html>`` is another element. Undecided (False) while chromedriver answers with another
    error, as it may while the old document is being replaced."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By

    try:
        old.is_enabled()
    except StaleElementReferenceException:
        return True
    except WebDriverException:
        return False
    try:
        return bool(driver.find_element(By.TAG_NAME, "html").id != old.id)
    except WebDriverException:
        return False


def _loaded(driver: Any) -> bool:
    """The page has loaded (False while a script's redirect is replacing it)."""
    from selenium.common.exceptions import WebDriverException

    try:
        return bool(driver.execute_script("return document.readyState") == "complete")
    except WebDriverException:
        return False
