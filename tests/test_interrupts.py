"""Killed runs, Ctrl-C, dead workers and the workshop server: nothing half-made is accepted,
nothing is left running, and nothing contacts the network."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import psutil
import pytest

from journeysim.present import report
from journeysim.runs import experiment, files

SRC = str(Path(__file__).parents[1] / "src")
ENV = {**os.environ, "PYTHONPATH": SRC}


def _journeysim(*args: str) -> list[str]:
    return [sys.executable, "-m", "journeysim", *args]


def _wait_for(condition, seconds: float = 60.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


def _accepted(directory: Path) -> bool:
    """Whether report (or a resumed compare) would take ``directory`` as a complete result."""
    try:
        report.load(directory)
    except report.ReportError:
        return False
    return True


@pytest.mark.slow
@pytest.mark.parametrize("moment", ["0.5 s", "2 s", "3 s", "first file", "first run file"])
def test_a_killed_run_never_leaves_a_folder_taken_as_complete(tmp_path, moment):
    """A run into a folder holding an older run (another seed) is killed with SIGKILL."""
    out = tmp_path / "out"
    first = subprocess.run(_journeysim("run", "fragmented", "--people", "400", "--weeks", "20",
                                       "--seed", "1", "--quiet", "--out", str(out)), env=ENV,
                           capture_output=True, check=True)
    assert first.returncode == 0
    old = (out / "summary.json").read_bytes()
    process = subprocess.Popen(_journeysim("run", "fragmented", "--people", "1500", "--weeks",
                                           "52", "--seed", "2", "--quiet", "--out", str(out)),
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if moment.endswith(" s"):
        time.sleep(float(moment.split()[0]))
    else:  # the moment writing starts: the old seal goes first
        _wait_for(lambda: not (out / files.SEAL).exists() or process.poll() is not None)
        if moment == "first run file":
            _wait_for(lambda: (out / "scenario.json").stat().st_mtime_ns > 0 and any(
                p.name.startswith(".events") for p in out.iterdir()) or process.poll()
                is not None, 10)
    process.send_signal(signal.SIGKILL)
    process.wait()
    if _accepted(out):  # sealed: wholly the old run or wholly the new one, never a mix
        summary = (out / "summary.json").read_bytes()
        seed = json.loads(summary)["seed"]
        assert summary == old if seed == 1 else seed == 2
        files.complete(out)
    else:
        shown = subprocess.run(_journeysim("report", str(out)), env=ENV, capture_output=True,
                               text=True, timeout=60)
        assert shown.returncode == 2 and len(shown.stderr.splitlines()) == 1, shown.stderr
        assert not (out / "report.html").exists()


def _compare(directory: Path, *extra: str) -> list[str]:
    return _journeysim("compare", "fragmented", "codesign-hub", "--reps", "4", "--people",
                       "1500", "--weeks", "52", "--quiet", "--out", str(directory), *extra)


def _as_from_a_terminal() -> None:
    """In the child: Ctrl-C delivered and handled as a shell would leave it.

    A test worker may ignore or block SIGINT, and a child inherits both, so
    without this the interrupt never reaches the command under test.
    """
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.mark.slow  # starts and interrupts a compare
def test_ctrl_c_in_compare_exits_130_and_says_rerunning_resumes(tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(_compare(out, "--executor", "serial"), env=ENV,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               preexec_fn=_as_from_a_terminal)
    assert _wait_for(lambda: len(list((out / "runs").glob("*.json"))) >= 1)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, (
        f"SIGINT in the test process: {signal.getsignal(signal.SIGINT)}, blocked "
        f"{signal.pthread_sigmask(signal.SIG_BLOCK, set())}; stderr: {stderr}")
    assert len(stderr.splitlines()) == 1 and "Traceback" not in stderr, stderr
    assert "run the same command again to resume" in stderr
    assert not _accepted(out), "an interrupted comparison is not complete"


@pytest.mark.slow
def test_a_worker_killed_mid_run_is_replaced_and_the_compare_completes(tmp_path):
    out = tmp_path / "out"
    process = subprocess.Popen(_compare(out, "--executor", "processes", "--workers", "2"),
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    parent = psutil.Process(process.pid)

    def workers() -> list[psutil.Process]:
        try:
            return [p for p in parent.children() if "spawn_main" in " ".join(p.cmdline())]
        except psutil.Error:
            return []

    assert _wait_for(lambda: len(workers()) >= 1 and (out / "runs").exists())
    time.sleep(2.0)  # imported and running
    workers()[0].kill()
    _, stderr = process.communicate(timeout=240)
    assert process.returncode == 0, stderr
    assert len(list((out / "runs").glob("*.json"))) == 8
    assert files.complete(out) == "compare"


def _running(process: psutil.Process) -> bool:
    """Whether ``process`` still runs (a zombie has ended: only its entry is left)."""
    try:
        return process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


@pytest.mark.slow  # starts and kills a pool of workers
def test_the_workers_of_a_compare_die_with_it_when_it_is_killed(tmp_path):
    """SIGKILL leaves the parent no chance to stop its workers: they must stop themselves."""
    out = tmp_path / "out"
    # runs of several seconds, so a run left orphaned would still be going 2 s later
    process = subprocess.Popen(_compare(out, "--executor", "processes", "--workers", "2",
                                        "--people", "5000", "--weeks", "104"),
                               env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(process.pid)

    def workers() -> list[psutil.Process]:
        """The workers, and the children they fork for their runs."""
        try:
            return [p for p in parent.children(recursive=True)
                    if "spawn_main" in " ".join(p.cmdline())]
        except psutil.Error:
            return []

    def running_runs() -> bool:  # a worker's child, part-way through a run
        try:
            return not experiment.FORKS or any(p.ppid() != parent.pid for p in workers())
        except psutil.Error:
            return False

    assert _wait_for(lambda: len(workers()) >= 2 and any((out / "runs").glob("*.json"))
                     and running_runs(), 120)
    started = workers()  # running: a first run is written
    process.kill()
    process.wait()
    _wait_for(lambda: not any(_running(w) for w in started), 2)
    alive = [w for w in started if _running(w)]
    for worker in alive:  # leave nothing behind, whatever the verdict
        worker.kill()
    assert not alive, f"{len(alive)} worker(s) outlived the killed compare"


# --- the workshop server ------------------------------------------------------------------
AUDIT = """
import os, sys
log = open(os.environ["NETWORK_LOG"], "a")
LOOPBACK = ("127.", "::1", "localhost", "0.0.0.0", "::", "")

def watch(event, args):
    if event in ("socket.connect", "socket.getaddrinfo", "socket.sendto"):
        where = args[1] if event != "socket.getaddrinfo" else args
        host = str(where[0]) if isinstance(where, tuple) and where else str(where)
        if not host.startswith(LOOPBACK):
            log.write(f"{event} {host}\\n")
            log.flush()
            raise PermissionError("outbound connection blocked by the test")

sys.addaudithook(watch)
from journeysim.cli import main
main()
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_the_workshop_dies_with_its_process_and_contacts_nothing(tmp_path):
    pytest.importorskip("solara", reason="Solara is not installed")
    port, log = _free_port(), tmp_path / "network.log"
    log.write_text("", encoding="utf-8")
    server = subprocess.Popen([sys.executable, "-c", AUDIT, "workshop", "--port", str(port)],
                              env={**ENV, "NETWORK_LOG": str(log)}, stdout=subprocess.DEVNULL,
                              stderr=subprocess.DEVNULL)
    url = f"http://localhost:{port}/"

    def answers() -> bool:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    assert _wait_for(answers, 90), "the workshop did not start"
    everyone = [psutil.Process(server.pid), *psutil.Process(server.pid).children(True)]
    for process in everyone:
        for connection in process.net_connections(kind="inet"):
            for address in (connection.laddr, connection.raddr):
                assert not address or address.ip in ("127.0.0.1", "::1", "::ffff:127.0.0.1"), (
                    f"a socket beyond this machine: {connection}")
    server.send_signal(signal.SIGTERM)
    assert _wait_for(lambda: all(not p.is_running() or p.status() == psutil.STATUS_ZOMBIE
                                 for p in everyone), 10), "the server outlived its parent"
    server.wait(timeout=10)
    assert not answers(), "the port is still served"
    assert log.read_text(encoding="utf-8") == "", "the workshop tried to reach the network"
