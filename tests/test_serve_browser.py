"""`aiwatch serve` in a real browser: headless Chromium loads the page and sees the dashboard.

textual-serve draws the terminal on a canvas, so the page holds no text to read.
The test records what the page's WebSocket receives (the dashboard's own screen
output, before it is painted) and waits for the four panel titles in it.
Chromium and chromium-driver are Debian packages; `.ci/run` installs them.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aiwatch.store.db import make_engine
from tests.tui_support import populate

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")
TITLES = ("Partnerships", "Competitor products", "Copyright cases", "Articles")
ROW = "Meta × Midjourney"  # a row of the stored data, drawn once the first load lands
RECORD_SOCKET = """
window.__received = [];
const Native = window.WebSocket;
window.WebSocket = function (...args) {
  const socket = new Native(...args);
  socket.binaryType = "arraybuffer";
  socket.addEventListener("message", (event) => {
    const data = event.data;
    window.__received.push(
      typeof data === "string" ? data : new TextDecoder().decode(new Uint8Array(data))
    );
  });
  return socket;
};
window.WebSocket.prototype = Native.prototype;
Object.assign(window.WebSocket, Native);
"""

if not (CHROMIUM and DRIVER):
    if os.environ.get("CI"):
        pytest.fail("chromium and chromium-driver are required under CI (.ci/run installs them)")
    pytest.skip("chromium or chromium-driver is not installed", allow_module_level=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for_port(port: int, process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"aiwatch serve exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"aiwatch serve did not listen on {port} within {timeout} s")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[str]:
    """``aiwatch serve`` on a free loopback port over a database holding the seed."""
    url = f"sqlite:///{tmp_path / 'served.db'}"
    engine = make_engine(url)
    populate(engine)
    engine.dispose()
    config = tmp_path / "config.toml"
    config.write_text('user = "browser"\n', encoding="utf-8")
    port = _free_port()
    command = [sys.executable, "-m", "aiwatch", "--db", url, "--config", str(config)]
    process = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,  # the dashboards it starts go with it
    )
    try:
        _wait_for_port(port, process)
        yield f"http://127.0.0.1:{port}/"
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def test_the_browser_shows_the_dashboards_panels(served: str, tmp_path: Path) -> None:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--window-size=1280,800",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(flag)
    browser = webdriver.Chrome(service=Service(executable_path=str(DRIVER)), options=options)
    try:
        browser.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_SOCKET})
        browser.get(served)
        assert "textual-terminal" in browser.page_source
        deadline = time.monotonic() + 60
        seen = ""
        while time.monotonic() < deadline:
            seen = "".join(browser.execute_script("return window.__received || [];"))
            if ROW in seen and all(title in seen for title in TITLES):
                break
            time.sleep(0.2)
        missing = [title for title in (*TITLES, ROW) if title not in seen]
        assert not missing, f"the page never showed {missing}"
    finally:
        browser.quit()
