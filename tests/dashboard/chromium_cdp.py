"""A small Chrome DevTools Protocol client over ``--remote-debugging-pipe``: headless Chromium
driven from the standard library alone (no websocket package, no playwright).

Chromium reads commands from its file descriptor 3 and writes answers and events to 4, each a
JSON message ended by a NUL byte. :class:`Chromium` starts the browser with those two pipes in
place, a fresh profile and every background service off, and :class:`Page` opens one page in
it with the Network, Runtime, Log and Page domains on, so that everything the page requests and
every console message or uncaught exception is recorded (:attr:`Page.requests`,
:attr:`Page.console`). Host names resolve to nothing (``--host-resolver-rules``), so a request
that slips through fails instead of leaving the machine, and is recorded all the same.
"""

from __future__ import annotations

import base64
import contextlib
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

__all__ = ["Chromium", "Page", "chromium_binary"]

_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--no-default-browser-check",
    "--no-first-run",
    "--no-pings",
    "--metrics-recording-only",
    "--mute-audio",
    "--hide-scrollbars",
    "--font-render-hinting=none",
    # Nothing resolves: a request that escapes the detector still cannot reach the network.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--remote-debugging-pipe",
)


def chromium_binary() -> str | None:
    """The Chromium on PATH (Debian's ``chromium``, or another distribution's name), if any."""
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    return None


def _high(fd: int) -> int:
    """A copy of ``fd`` numbered 10 or more (so that moving it to 3 or 4 cannot clobber it)."""
    copy = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return copy


class Chromium:
    """A headless Chromium process and its DevTools pipe.

    Use as a context manager; the process is ended (by its id) and its profile removed on exit.
    """

    def __init__(self, binary: str, *, timeout: float = 30.0) -> None:
        self.binary = binary
        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="rectflow-chromium-")
        to_read, to_write = os.pipe()
        from_read, from_write = os.pipe()
        self._child_in, self._to_chrome = _high(to_read), _high(to_write)
        self._from_chrome, self._child_out = _high(from_read), _high(from_write)
        child_in, child_out = self._child_in, self._child_out

        def pipes_at_3_and_4() -> None:  # runs in the child, before exec
            os.dup2(child_in, 3)
            os.dup2(child_out, 4)

        self.process = subprocess.Popen(
            [binary, *_FLAGS, f"--user-data-dir={self._profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=(3, 4),
            preexec_fn=pipes_at_3_and_4,  # noqa: PLW1509 - dup2 into fds 3 and 4 needs the child
        )
        os.close(self._child_in)
        os.close(self._child_out)
        self._next_id = 0
        self._lock = threading.Lock()
        self._answers: dict[int, queue.Queue[dict[str, Any]]] = {}
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        buffer = b""
        while True:
            try:
                chunk = os.read(self._from_chrome, 1 << 16)
            except OSError:
                return
            if not chunk:
                return
            buffer += chunk
            while b"\0" in buffer:
                raw, buffer = buffer.split(b"\0", 1)
                message = json.loads(raw)
                if "id" in message:
                    with self._lock:
                        waiting = self._answers.get(message["id"])
                    if waiting is not None:
                        waiting.put(message)
                else:
                    self.events.put(message)

    def send(self, method: str, params: dict[str, Any] | None = None, **where: Any) -> Any:
        """Send one command (``sessionId=`` for a page's) and return its result.

        Raises:
            RuntimeError: the browser answered with an error.
            TimeoutError: no answer within the timeout.
        """
        with self._lock:
            self._next_id += 1
            number = self._next_id
            self._answers[number] = queue.Queue()
        message = {"id": number, "method": method, "params": params or {}, **where}
        os.write(self._to_chrome, json.dumps(message).encode() + b"\0")
        try:
            answer = self._answers[number].get(timeout=self.timeout)
        except queue.Empty:
            raise TimeoutError(f"{method}: no answer from Chromium in {self.timeout} s") from None
        finally:
            with self._lock:
                del self._answers[number]
        if "error" in answer:
            raise RuntimeError(f"{method}: {answer['error']}")
        return answer.get("result", {})

    @contextlib.contextmanager
    def page(self, *, width: int = 1280, height: int = 900) -> Iterator[Page]:
        """A new page (tab), watched from its first request; closed on exit."""
        target = self.send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.send("Target.attachToTarget", {"targetId": target, "flatten": True})[
            "sessionId"
        ]
        page = Page(self, session, width=width, height=height)
        try:
            yield page
        finally:
            self.send("Target.closeTarget", {"targetId": target})

    def close(self) -> None:
        """End the browser (this process only) and remove its profile."""
        with contextlib.suppress(Exception):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        for fd in (self._to_chrome, self._from_chrome):
            with contextlib.suppress(OSError):
                os.close(fd)
        shutil.rmtree(self._profile, ignore_errors=True)

    def __enter__(self) -> Chromium:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


class Page:
    """One page of a :class:`Chromium`, with what it requested and said recorded.

    Attributes:
        requests: every URL the page requested (its own document included), in order.
        console: every console message of level error or warning, uncaught exception and
            browser log entry of level error, as ``"kind: text"`` lines.
    """

    def __init__(self, browser: Chromium, session: str, *, width: int, height: int) -> None:
        self.browser = browser
        self.session = session
        self.requests: list[str] = []
        self.console: list[str] = []
        self._loaded = False
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.send(f"{domain}.enable")
        self.send(
            "Emulation.setDeviceMetricsOverride",
            {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
        )

    def send(self, method: str, params: dict[str, Any] | None = None) -> Any:
        """A command to this page."""
        return self.browser.send(method, params, sessionId=self.session)

    def _take(self, event: dict[str, Any]) -> None:
        if event.get("sessionId") != self.session:
            return
        method, params = event["method"], event.get("params", {})
        if method == "Network.requestWillBeSent":
            self.requests.append(params["request"]["url"])
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "warning"):
            text = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            self.console.append(f"console.{params['type']}: {text}")
        elif method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description", details.get("text", ""))
            self.console.append(f"exception: {text}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            self.console.append(f"log.{entry['source']}: {entry['text']} {entry.get('url', '')}")
        elif method == "Page.loadEventFired":
            self._loaded = True

    def drain(self, seconds: float = 0.0) -> None:
        """Record the events that arrived, waiting up to ``seconds`` for more."""
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            try:
                event = self.browser.events.get(timeout=max(left, 0.0) if left > 0 else 0.0)
            except queue.Empty:
                return
            self._take(event)

    def open(self, url: str, *, settle: float = 0.5) -> None:
        """Navigate to ``url``, wait for its load event and its fonts, then ``settle`` seconds
        more for late requests or messages."""
        self._loaded = False
        self.send("Page.navigate", {"url": url})
        deadline = time.monotonic() + self.browser.timeout
        while not self._loaded:
            if time.monotonic() > deadline:
                raise TimeoutError(f"{url} did not finish loading in {self.browser.timeout} s")
            try:
                self._take(self.browser.events.get(timeout=0.1))
            except queue.Empty:
                continue
        self.evaluate("document.fonts.ready.then(() => true)")
        self.drain(settle)

    def evaluate(self, expression: str) -> Any:
        """The JSON value of a JavaScript expression (a promise is awaited).

        Raises:
            RuntimeError: the expression threw.
        """
        result = self.send(
            "Runtime.evaluate",
            {"expression": expression, "returnByValue": True, "awaitPromise": True},
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def screenshot(self, path: Path) -> tuple[int, int]:
        """A PNG of the whole page (not only the window) at ``path``; returns its size."""
        size = self.send("Page.getLayoutMetrics")["cssContentSize"]
        width, height = round(size["width"]), round(size["height"])
        data = self.send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1},
            },
        )["data"]
        path.write_bytes(base64.b64decode(data))
        return width, height

    def pdf(self, path: Path) -> bytes:
        """The page printed to PDF at ``path`` (the page's own ``@page`` size, backgrounds on),
        as the print dialog would; returns the bytes."""
        data = self.send(
            "Page.printToPDF",
            {"printBackground": True, "preferCSSPageSize": True},
        )["data"]
        raw = base64.b64decode(data)
        path.write_bytes(raw)
        return raw
