"""How long a week of the workshop takes on screen, against a week of its two models alone.

Run by hand:  python benchmarks/workshop.py [--weeks 10] [--src PATH] [--shots DIR]

Starts ``journeysim workshop`` (from this checkout, or from another checkout's
``src`` folder with ``--src``, e.g. the previous main checked out beside this
one), opens it in Chromium, clicks through ``--weeks`` weeks one at a time
(waiting for each week's heading) and then, in this process, steps the same two
models (the app's defaults) as many weeks. Prints both times and their ratio:
compare ratios measured in one run, since absolute seconds vary with the
machine. With ``--shots``, saves the page at 1280x720 and 1920x1080 after the
weeks. Needs Chromium (Debian package ``chromium``) and Playwright.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

#: The button that advances a week: today's, then the old page's (Mesa's SolaraViz).
NEXT = ("Next week", "Step")


def serve(src: Path | None) -> tuple[subprocess.Popen, str]:
    """The workshop on a free port, from ``src`` if given; its process and address."""
    with socket.socket() as sock:
        sock.bind(("localhost", 0))
        port = sock.getsockname()[1]
    env = dict(os.environ, **({"PYTHONPATH": str(src)} if src else {}))
    server = subprocess.Popen([sys.executable, "-m", "journeysim", "workshop", "--port",
                               str(port)], env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL, start_new_session=True)
    url = f"http://localhost:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return server, url
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("the workshop did not start") from None
            time.sleep(0.5)


def on_screen(url: str, weeks: int, shots: Path | None) -> float:
    """Seconds to click through ``weeks`` weeks, each shown before the next."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=shutil.which("chromium"),
                                             args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 720})
        page.goto(url)
        page.get_by_role("heading", name="Week 0", exact=True).wait_for(timeout=120_000)
        button = next(page.get_by_role("button", name=name, exact=True) for name in NEXT
                      if page.get_by_role("button", name=name, exact=True).count())
        start = time.perf_counter()
        for week in range(1, weeks + 1):
            button.click()
            page.get_by_role("heading", name=f"Week {week}", exact=True).wait_for(
                timeout=120_000)
        seconds = time.perf_counter() - start
        if shots is not None:
            shots.mkdir(parents=True, exist_ok=True)
            for width, height in ((1280, 720), (1920, 1080)):
                page.set_viewport_size({"width": width, "height": height})
                page.wait_for_timeout(500)
                page.screenshot(path=str(shots / f"workshop-{width}x{height}.png"))
        browser.close()
    return seconds


def alone(weeks: int) -> float:
    """Seconds for the app's two models to step ``weeks`` weeks, with no page."""
    from journeysim.workshop.state import Workshop

    workshop = Workshop()
    start = time.perf_counter()
    for _ in range(weeks):
        workshop.step()
    return time.perf_counter() - start


def main() -> None:
    """Measure and print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--weeks", type=int, default=10)
    parser.add_argument("--src", type=Path, help="another checkout's src folder to serve")
    parser.add_argument("--shots", type=Path, help="save screenshots here")
    args = parser.parse_args()
    server, url = serve(args.src)
    try:
        shown = on_screen(url, args.weeks, args.shots)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    simulated = alone(args.weeks)
    print(f"{args.weeks} weeks on screen: {shown:.2f} s ({shown / args.weeks:.2f} s a week)")
    print(f"{args.weeks} weeks of the two models alone: {simulated:.2f} s "
          f"({simulated / args.weeks:.2f} s a week)")
    print(f"ratio, screen to simulation: {shown / simulated:.1f}")


if __name__ == "__main__":
    main()
