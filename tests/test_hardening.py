"""Hostile and careless input: one line, exit status 2, nothing written, never a traceback.

The catalogue runs each bad input through the command line in this process
(under an alarm, so a hang fails rather than blocks) and checks the exit
status, that standard error is exactly one line, that nothing was printed to
standard output, and that the workspace (scenario files, ``--out`` and
everything beside it) is unchanged, file by file, hash by hash.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from journeysim import config
from journeysim.cli import main
from journeysim.runs import experiment, files
from tests.conftest import variant

SRC = str(Path(__file__).parents[1] / "src")
BOROUGH_CSV = str(Path(__file__).parent / "data" / "borough_claimants.csv")
SMALL = ["--people", "200", "--weeks", "10", "--quiet"]
COMPARE = ["--reps", "2", "--executor", "serial", *SMALL]
ALARM_SECONDS = 30


class Hang(Exception):
    """A command that did not finish within ``ALARM_SECONDS``."""


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root``: its path, and its SHA-256 (files)."""
    found = {}
    for path in sorted(root.rglob("*")):
        name = str(path.relative_to(root))
        if path.is_symlink() or not (path.is_file() or path.is_dir()):
            found[name] = "special"
        elif path.is_dir():
            found[name] = "folder"
        else:
            found[name] = hashlib.sha256(path.read_bytes()).hexdigest()
    return found


@pytest.fixture(scope="module")
def results(tmp_path_factory) -> dict[str, Path]:
    """A sealed run folder and a sealed compare folder, made once and copied per case."""
    root = tmp_path_factory.mktemp("results")
    made = CliRunner().invoke(main, ["run", "fragmented", *SMALL, "--out", str(root / "run")])
    assert made.exit_code == 0, made.output
    made = CliRunner().invoke(main, ["compare", "fragmented", "codesign-hub", *COMPARE,
                                     "--out", str(root / "compare")])
    assert made.exit_code == 0, made.output
    return {"run": root / "run", "compare": root / "compare"}


class Workspace:
    """A folder for one case: scenario files written into it, and an ``--out`` beside them."""

    def __init__(self, root: Path, results: dict[str, Path]) -> None:
        self.root = root
        self.out = root / "out"
        self._results = results

    def scenario(self, text: str | bytes, name: str = "bad.yaml") -> str:
        path = self.root / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return str(path)

    def delta(self, changes: str) -> str:
        """A scenario extending the baseline with ``changes`` (YAML, at the top level)."""
        return self.scenario(f"extends: fragmented\nname: bad\n{changes}\n")

    def result(self, kind: str) -> str:
        shutil.copytree(self._results[kind], self.out)
        return str(self.out)


def _run(ws: Workspace, changes: str) -> list[str]:
    return ["run", ws.delta(changes), *SMALL, "--out", str(ws.out)]


def _bomb(ws: Workspace) -> list[str]:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level, name in enumerate("bcdefgh"):
        previous = "abcdefgh"[level]
        lines.append(f"{name}: &{name} [{', '.join([f'*{previous}'] * 9)}]")
    return ["check", ws.scenario("\n".join(lines) + "\n")]


def _fifo(ws: Workspace) -> list[str]:
    path = ws.root / "pipe.yaml"
    os.mkfifo(path)
    return ["run", str(path), *SMALL, "--out", str(ws.out)]


def _unsealed_run(ws: Workspace) -> list[str]:
    out = ws.result("run")
    (Path(out) / files.SEAL).unlink()
    return ["report", out]


def _changed_run(ws: Workspace) -> list[str]:
    out = ws.result("run")
    (Path(out) / "summary.json").write_text("{}", encoding="utf-8")
    return ["report", out]


def _added_run(ws: Workspace) -> list[str]:
    out = Path(ws.result("compare"))
    shutil.copy2(out / "runs" / "codesign-hub__rep0001.json", out / "runs" / "extra.json")
    return ["report", str(out)]


def _empty_seal(ws: Workspace) -> list[str]:
    out = ws.result("run")
    (Path(out) / files.SEAL).write_text('{"kind": "run", "files": {}}', encoding="utf-8")
    return ["report", out]


def _report_over(ws: Workspace, what: str, force: bool = False) -> list[str]:
    """A report whose --out is a file of the user's, or a named pipe."""
    out = ws.result("run")
    target = ws.root / "mine.html"
    if what == "pipe":
        os.mkfifo(target)
    else:
        target.write_text("<p>my own page</p>", encoding="utf-8")
    return ["report", out, "--out", str(target), *(["--force"] if force else [])]


def _pipe(ws: Workspace, name: str) -> str:
    path = ws.root / name
    os.mkfifo(path)
    return str(path)


def _borough(ws: Workspace, claimants: str, *extra: str) -> list[str]:
    return ["borough", "init", "--claimants", claimants, "--vacancies", "1700", "--area-km2",
            "350", "--name", "x", "--out", str(ws.root / "x.yaml"), *extra]


def _claimants(ws: Workspace, text: str | bytes) -> str:
    return ws.scenario(text, "claimants.csv")


def _huge_claimants(ws: Workspace) -> list[str]:
    path = ws.root / "claimants.csv"
    with open(path, "wb") as handle:  # 200 MB, sparse: made at once, read never
        handle.write(b"benefit,claimants\n")
        handle.truncate(200 * 10**6)
    return _borough(ws, str(path))


def _big_file(ws: Workspace) -> list[str]:
    return ["check", ws.scenario("extends: fragmented\n" + "#" * (2 << 20) + "\n")]


def _under_a_file(ws: Workspace) -> list[str]:
    (ws.root / "afile").write_text("x", encoding="utf-8")
    return ["run", "fragmented", *SMALL, "--out", str(ws.root / "afile" / "sub")]


def _experiment(ws: Workspace, name: str) -> list[str]:
    body = {"name": name, "scenario": "fragmented", "people": 200, "weeks": 10, "seed": 1,
            "replications": 2, "method": "grid", "parameters": {"hub.catchment_km": [1, 2]},
            "measures": ["off_flow_13w"]}
    path = ws.scenario(yaml.safe_dump(body), "experiment.yaml")
    return ["sweep", path, "--executor", "serial", "--quiet", "--out", str(ws.out)]


BARRIER = next(iter(config.load(config.BASELINE).population.barriers))
SERVICE = next(iter(config.load(config.BASELINE).services))

#: Each bad input: an id, and the arguments it gives (made in a fresh workspace).
CATALOGUE: dict[str, Callable[[Workspace], list[str]]] = {
    # numbers that are not finite
    "adviser rate .inf": lambda ws: _run(ws, "jobcentre: {advisers_per_1000: .inf}"),
    "job offers .inf": lambda ws: _run(ws, "labour_market: {matching_efficiency: .inf}"),
    "benefit .inf": lambda ws: _run(ws, "costs: {benefit_weekly: {JSA: .inf}}"),
    "vacancies .nan": lambda ws: _run(ws, "labour_market: {claimants_per_vacancy: .nan}"),
    "severity -.inf": lambda ws: _run(
        ws, f"population: {{barriers: {{{BARRIER}: {{weight: -.inf}}}}}}"),
    # empty lists where one item is needed
    "hub with no site": lambda ws: _run(ws, "hub: {enabled: true, sites: []}"),
    "no discount schedule": lambda ws: _run(ws, "cba: {discount_schedule: []}"),
    # shares and probabilities out of range, shares not adding to 1
    "partner probability 1.5": lambda ws: _run(
        ws, "population: {household: {partner_probability: {JSA: 1.5}}}"),
    "prevalence 2": lambda ws: _run(
        ws, f"population: {{barriers: {{{BARRIER}: {{prevalence: {{ESA: 2}}}}}}}}"),
    "return probability 1.1": lambda ws: _run(ws, "labour_market: {return_probability: 1.1}"),
    "leakage -0.1": lambda ws: _run(ws, "system: {leakage_cold: -0.1}"),
    "age bands add to 0.9": lambda ws: _run(
        ws, "population: {jsa_age_bands: {age_18_24: 0.2, age_25_49: 0.55, age_50_plus: 0.15}}"),
    "stock mix all 0": lambda ws: _run(
        ws, "population: {stock_mix: {JSA: 0, ESA: 0, IS_LP: 0}}"),
    "funding adds to 1.1": lambda ws: _run(ws, "hub: {payer: {council: 0.5, dwp: 0.6}}"),
    # low above high
    "esa age low > high": lambda ws: _run(
        ws, "population: {esa_age: {low: 60, mode: 50, high: 40}}"),
    "min age above max age": lambda ws: _run(
        ws, f"services: {{{SERVICE}: {{eligibility: {{min_age: 60, max_age: 30}}}}}}"),
    # sizes and rates a run could never finish
    "inflow 1e30": lambda ws: _run(ws, "population: {inflow_per_1000_week: {JSA: 1.0e+30}}"),
    "people 1e9 in the file": lambda ws: _run(ws, "run: {people: 1000000000}"),
    "people 5e6: memory": lambda ws: ["check", ws.delta("run: {people: 5000000}")],
    "weeks 2000": lambda ws: _run(ws, "run: {weeks: 2000}"),
    "jobs lasting no time": lambda ws: _run(ws, "labour_market: {temporary_job_weeks: 0}"),
    "reviews every 0 days": lambda ws: _run(
        ws, "jobcentre: {review_interval_days: {JSA: 0}}"),
    # seeds
    "seed 2^64 + 1 in the file": lambda ws: _run(ws, "run: {seed: 18446744073709551617}"),
    "seed -1 in the file": lambda ws: _run(ws, "run: {seed: -1}"),
    "--seed 2^64 + 1": lambda ws: ["run", "fragmented", "--seed", "18446744073709551617",
                                   "--out", str(ws.out)],
    "--seed -1": lambda ws: ["run", "fragmented", "--seed", "-1", "--out", str(ws.out)],
    # hostile or careless names
    "name ../../../../victim": lambda ws: ["compare", "fragmented", ws.scenario(
        "extends: fragmented\nname: ../../../../victim\n"), *COMPARE, "--out", str(ws.out)],
    "name .hidden": lambda ws: ["run", ws.scenario("extends: fragmented\nname: .hidden\n"),
                                *SMALL, "--out", str(ws.out)],
    "name a/b": lambda ws: ["run", ws.scenario("extends: fragmented\nname: a/b\n"), *SMALL,
                            "--out", str(ws.out)],
    "name 65 characters": lambda ws: ["check", ws.scenario(
        f"extends: fragmented\nname: {'x' * 65}\n")],
    "experiment name ../x": lambda ws: _experiment(ws, "../x"),
    # wrong shapes and types
    "negative advisers": lambda ws: _run(ws, "jobcentre: {advisers_per_1000: -1}"),
    "misspelt field": lambda ws: _run(ws, "jobcentre: {advisors_per_1000: 2}"),
    "weeks as text": lambda ws: _run(ws, "run: {weeks: ten}"),
    "extends itself": lambda ws: ["check", ws.scenario("extends: bad.yaml\nname: x\n")],
    "extends nothing": lambda ws: ["check", ws.scenario("extends: no-such-place\nname: x\n")],
    "top level a list": lambda ws: ["check", ws.scenario("- 1\n- 2\n")],
    "not YAML": lambda ws: ["check", ws.scenario("name: [unclosed\n  bad: {\n")],
    "empty file": lambda ws: ["check", ws.scenario("")],
    "python tag": lambda ws: ["check", ws.scenario(
        "!!python/object/apply:os.system ['echo hello']\n")],
    # files that are not scenario files
    "non-UTF-8 file": lambda ws: ["check", ws.scenario(b"extends: fragmented\nname: caf\xe9\n")],
    "named pipe": _fifo,
    "a folder": lambda ws: ["check", str(ws.root)],
    "billion laughs": _bomb,
    "recursive alias": lambda ws: ["check", ws.scenario("a: &a [*a, *a]\n")],
    "file over 1 MiB": _big_file,
    "no such file": lambda ws: ["check", str(ws.root / "missing.yaml")],
    "non-UTF-8 experiment": lambda ws: ["sweep", ws.scenario(b"name: caf\xe9\n", "e.yaml")],
    # command-line values
    "--people 0": lambda ws: ["run", "fragmented", "--people", "0", "--out", str(ws.out)],
    "--people 1e9": lambda ws: ["run", "fragmented", "--people", "1000000000"],
    "--people 5e6: memory": lambda ws: ["run", "fragmented", "--people", "5000000",
                                        "--out", str(ws.out)],
    "--weeks 0": lambda ws: ["run", "fragmented", "--weeks", "0"],
    "--reps 1": lambda ws: ["compare", "fragmented", "--reps", "1", "--out", str(ws.out)],
    "scenario twice": lambda ws: ["compare", "fragmented", "fragmented", *COMPARE,
                                  "--out", str(ws.out)],
    "unknown scenario": lambda ws: ["run", "no-such-place", "--out", str(ws.out)],
    # --out folders that cannot or must not be written
    "run into a compare folder": lambda ws: ["run", "fragmented", *SMALL,
                                             "--out", ws.result("compare")],
    "compare into a run folder": lambda ws: ["compare", "fragmented", "codesign-hub",
                                             *COMPARE, "--out", ws.result("run")],
    "cba into a run folder": lambda ws: ["cba", "codesign-hub", *COMPARE,
                                         "--out", ws.result("run")],
    "--out under a file": _under_a_file,
    "--out is a file": lambda ws: ["run", "fragmented", *SMALL, "--out", ws.scenario("x")],
    "--out not writable": lambda ws: ["run", "fragmented", *SMALL,
                                      "--out", "/proc/journeysim-out"],
    "report of a killed run": _unsealed_run,
    "report of a changed run": _changed_run,
    "report of an empty folder": lambda ws: ["report", str(ws.root)],
    "report of a seal listing no files": _empty_seal,
    "report of a compare with a run added": _added_run,
    # writers that would replace what is not theirs, or what is not a file at all
    "report --out over a file of the user's": lambda ws: _report_over(ws, "file"),
    "report --out a named pipe, --force": lambda ws: _report_over(ws, "pipe", force=True),
    "borough init --out a named pipe, --force": lambda ws: [
        "borough", "init", "--claimants", BOROUGH_CSV, "--vacancies", "1700", "--area-km2",
        "350", "--name", "x", "--out", _pipe(ws, "x.yaml"), "--force"],
    "calibrate --out a named pipe, --force": lambda ws: [
        "calibrate", "fragmented", "--out", _pipe(ws, "fitted.yaml"), "--force"],
    # claimant files a partnership might give borough init
    "claimants a named pipe": lambda ws: _borough(ws, _pipe(ws, "claimants.csv")),
    "claimants file of 200 MB": _huge_claimants,
    "claimants with a 1 MB field": lambda ws: _borough(ws, _claimants(
        ws, 'benefit,claimants\nJSA,9000\nESA,100\nIS_LP,"' + "x" * 2**20 + '"\n')),
    "claimants without a header": lambda ws: _borough(ws, _claimants(ws, "JSA,9000\n")),
    "claimants not a number": lambda ws: _borough(ws, _claimants(
        ws, "benefit,claimants\nJSA,many\nESA,100\nIS_LP,10\n")),
    "claimants age bands 900,002 for 9,000": lambda ws: _borough(ws, _claimants(
        ws, "benefit,claimants,18-24,25-49,50+\nJSA,9000,900000,1,1\nESA,100,,,\n"
            "IS_LP,10,,,\n")),
    "claimants binary": lambda ws: _borough(ws, _claimants(ws, bytes(range(256)) * 64)),
    "trace --png over a file of the user's": lambda ws: [
        "trace", "fragmented", "--person", "1", *SMALL[:4], "--png", ws.scenario("x", "a.png")],
}


def _alarm(signum, frame):
    raise Hang(f"no answer in {ALARM_SECONDS} s")


@pytest.mark.parametrize("case", list(CATALOGUE))
def test_bad_input_gets_one_line_status_2_and_changes_nothing(case, tmp_path, results):
    ws = Workspace(tmp_path, results)
    args = CATALOGUE[case](ws)
    before = snapshot(tmp_path)
    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.alarm(ALARM_SECONDS)
    try:
        result = CliRunner().invoke(main, args)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    lines = result.stderr.splitlines()
    assert not isinstance(result.exception, Hang), f"{case}: hung"
    assert result.exit_code == 2, f"{case}: exit {result.exit_code}: {result.output}"
    assert "Traceback" not in result.output
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.stderr
    assert result.stdout == ""
    assert snapshot(tmp_path) == before, f"{case}: the workspace changed"


def test_the_catalogue_covers_at_least_forty_cases():
    assert len(CATALOGUE) >= 40


@pytest.mark.parametrize("case", ["named pipe", "billion laughs", "non-UTF-8 file",
                                  "--seed 2^64 + 1", "name ../../../../victim",
                                  "--out not writable"])
def test_a_real_process_also_answers_in_one_line(case, tmp_path, results):
    ws = Workspace(tmp_path, results)
    args = CATALOGUE[case](ws)
    before = snapshot(tmp_path)
    done = subprocess.run([sys.executable, "-m", "journeysim", *args], capture_output=True,
                          text=True, timeout=60, env={**os.environ, "PYTHONPATH": SRC})
    assert done.returncode == 2, done.stderr
    assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr, done.stderr
    assert snapshot(tmp_path) == before


# --- path containment --------------------------------------------------------------------
def test_no_output_path_leaves_its_folder(tmp_path):
    for hostile in ("../victim.json", "a/../../victim.json", "/etc/victim.json", "."):
        with pytest.raises(files.FolderError, match="outside"):
            files.inside(tmp_path / "out", hostile)
    assert files.inside(tmp_path / "out", "runs/x.json") == (tmp_path / "out" / "runs" /
                                                             "x.json").resolve()


def test_a_hostile_name_that_got_past_validation_still_cannot_write_outside(tmp_path):
    hostile = variant({}, people=200, weeks=10, seed=1).model_copy(
        update={"name": "../../../victim"})  # model_copy skips validation
    out = tmp_path / "deep" / "er" / "out"
    with experiment.executor("serial") as pool, pytest.raises(experiment.ExperimentError,
                                                              match="outside"):
        experiment.run_comparison([hostile], 2, out, pool)
    written = {p.relative_to(tmp_path) for p in tmp_path.rglob("*") if p.is_file()}
    assert all(str(p).startswith("deep/er/out/") for p in written), written
    assert not list(tmp_path.rglob("victim*"))


# --- locking and retries ------------------------------------------------------------------
def test_a_second_command_into_a_locked_folder_is_refused_at_once(tmp_path):
    out = tmp_path / "out"
    with files.locked(out):
        result = CliRunner().invoke(main, ["compare", "fragmented", *COMPARE, "--out",
                                           str(out)])
    assert result.exit_code == 2 and "in use" in result.stderr
    assert not out.exists(), "the folder the lock made, still empty, is removed"


@pytest.mark.parametrize("command", [["run", "fragmented", *SMALL],
                                     ["validate", "--people", "200", "--seeds", "1",
                                      "--executor", "serial", "--quiet"]])
def test_a_run_or_validate_into_a_locked_folder_is_refused_before_it_runs(tmp_path, command,
                                                                          monkeypatch):
    from journeysim.runs import results as run_results
    from journeysim.runs import validation

    def never(*args, **kwargs):
        raise AssertionError("ran although its folder was in use")

    for module in (run_results, validation):
        monkeypatch.setattr(module, "simulate", never)
    out = tmp_path / "out"
    with files.locked(out):
        result = CliRunner().invoke(main, [*command, "--out", str(out)])
    assert result.exit_code == 2 and "in use" in result.stderr, result.output
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == "", "refused before it ran, so nothing was shown"


def test_a_run_that_keeps_failing_stops_naming_it_and_keeps_the_others(tmp_path,
                                                                        monkeypatch):
    real = experiment.execute
    tries = []

    def flaky(spec):
        if spec.key == "codesign-hub__rep0001":
            tries.append(spec.key)
            raise RuntimeError("worker died")
        return real(spec)

    monkeypatch.setattr(experiment, "execute", flaky)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["compare", "fragmented", "codesign-hub", *COMPARE,
                                       "--out", str(out)])
    assert result.exit_code == 1
    assert len(result.stderr.splitlines()) == 1
    assert "codesign-hub__rep0001 failed 3 times" in result.stderr
    assert "rerun the same command to resume" in result.stderr
    assert len(tries) == experiment.ATTEMPTS
    assert len(list((out / "runs").glob("*.json"))) == 3, "the finished runs are kept"
    assert not (out / files.SEAL).exists()


def test_a_run_that_fails_once_is_retried_and_the_comparison_completes(tmp_path,
                                                                       monkeypatch):
    real = experiment.execute
    failed = []

    def once(spec):
        if spec.key not in failed:
            failed.append(spec.key)
            raise RuntimeError("worker died")
        return real(spec)

    monkeypatch.setattr(experiment, "execute", once)
    result = CliRunner().invoke(main, ["compare", "fragmented", *COMPARE, "--out",
                                       str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert files.complete(tmp_path / "out") == "compare"


def test_force_writes_a_run_over_a_compare_folder(tmp_path, results):
    out = tmp_path / "out"
    shutil.copytree(results["compare"], out)
    result = CliRunner().invoke(main, ["run", "fragmented", *SMALL, "--out", str(out),
                                       "--force"])
    assert result.exit_code == 0, result.output
    assert files.complete(out) == "run"


# --- files others can read; a store that cannot be laundered ----------------------------------
def test_files_are_written_with_the_permissions_the_umask_allows(tmp_path, results):
    previous = os.umask(0o022)
    try:
        out = tmp_path / "out"
        made = CliRunner().invoke(main, ["run", "fragmented", *SMALL, "--out", str(out)])
        assert made.exit_code == 0, made.output
        shown = CliRunner().invoke(main, ["report", str(out)])
        assert shown.exit_code == 0, shown.output
        borough = CliRunner().invoke(main, ["borough", "init", "--claimants", BOROUGH_CSV,
                                            "--vacancies", "1700", "--area-km2", "350",
                                            "--name", "x", "--out", str(tmp_path / "x.yaml")])
        assert borough.exit_code == 0, borough.output
    finally:
        os.umask(previous)
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert len(written) > 8
    modes = {str(p.relative_to(tmp_path)): oct(p.stat().st_mode & 0o777) for p in written}
    assert set(modes.values()) == {"0o644"}, modes


@pytest.mark.slow  # a compare, edited and resumed
def test_an_edited_run_is_run_again_on_resume_never_sealed_into_the_result(tmp_path, results):
    out = tmp_path / "out"
    shutil.copytree(results["compare"], out)
    edited = out / "runs" / "codesign-hub__rep0001.json"
    body = json.loads(edited.read_text(encoding="utf-8"))
    true_value = body["off_flow_13w"]
    body["off_flow_13w"] = 0.99
    edited.write_text(json.dumps(body), encoding="utf-8")
    refused = CliRunner().invoke(main, ["report", str(out)])
    assert refused.exit_code == 2 and "run the command again" in refused.stderr
    again = CliRunner().invoke(main, ["compare", "fragmented", "codesign-hub", *COMPARE,
                                      "--out", str(out)])
    assert again.exit_code == 0, again.output
    rerun = json.loads(edited.read_text(encoding="utf-8"))
    assert rerun["off_flow_13w"] == true_value != 0.99, "the edited run was reused"
    assert files.complete(out) == "compare"
    assert CliRunner().invoke(main, ["report", str(out)]).exit_code == 0


def test_an_edited_run_of_an_unsealed_store_is_run_again_too(tmp_path, results):
    out = tmp_path / "out"
    shutil.copytree(results["compare"], out)
    (out / files.SEAL).unlink()
    edited = out / "runs" / "fragmented__rep0000.json"
    body = json.loads(edited.read_text(encoding="utf-8"))
    body["off_flow_13w"] = 0.99
    edited.write_text(json.dumps(body), encoding="utf-8")
    store = experiment.Store(out)
    assert "fragmented__rep0000" not in store.done()
    assert len(store.done()) == 3


@pytest.mark.slow  # a compare and its report, twice
def test_the_report_writes_over_its_own_files_and_nothing_else_without_force(tmp_path,
                                                                             results):
    out = tmp_path / "out"
    shutil.copytree(results["run"], out)
    for _ in range(2):
        shown = CliRunner().invoke(main, ["report", str(out)])
        assert shown.exit_code == 0, shown.output
    mine = tmp_path / "mine.html"
    mine.write_text("<p>my own page</p>", encoding="utf-8")
    refused = CliRunner().invoke(main, ["report", str(out), "--out", str(mine)])
    assert refused.exit_code == 2 and "--force" in refused.stderr
    assert mine.read_text(encoding="utf-8") == "<p>my own page</p>"
    forced = CliRunner().invoke(main, ["report", str(out), "--out", str(mine), "--force"])
    assert forced.exit_code == 0 and "journeysim report" in mine.read_text(encoding="utf-8")


def test_write_atomic_never_replaces_a_device_or_a_pipe(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    for path in (tmp_path / "pipe", Path("/dev/null")):
        with pytest.raises(files.FolderError, match="not a file"):
            files.write_atomic(path, "x")
    with pytest.raises(files.FolderError, match="not a file"):
        files.replaceable(Path("/dev/null"), "journeysim report", force=True)
    assert (tmp_path / "pipe").is_fifo()


@pytest.mark.slow  # two commands at once, one held running
def test_a_second_run_into_the_same_folder_is_refused_while_the_first_runs(tmp_path):
    out = tmp_path / "out"
    first = subprocess.Popen([sys.executable, "-m", "journeysim", "run", "fragmented",
                              "--people", "2000", "--weeks", "52", "--quiet", "--out", str(out)],
                             env={**os.environ, "PYTHONPATH": SRC}, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)

    def taken() -> bool:
        try:
            with files.locked(out):
                return False
        except files.FolderError:
            return True

    deadline = time.monotonic() + 60
    while not taken() and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    second = CliRunner().invoke(main, ["run", "fragmented", *SMALL, "--out", str(out)])
    _, stderr = first.communicate(timeout=300)
    assert first.returncode == 0, stderr
    assert second.exit_code == 2 and "in use" in second.stderr, second.output
    assert len(second.stderr.splitlines()) == 1
    assert json.loads((out / "summary.json").read_text())["people"] == 2000
    assert files.complete(out) == "run"


def test_an_unforeseen_error_is_one_line_and_exit_1(monkeypatch):
    from journeysim.runs import results as run_results

    def exhausted(*args, **kwargs):
        raise MemoryError("cannot allocate 12 GiB")

    monkeypatch.setattr(run_results, "simulate", exhausted)
    failed = CliRunner().invoke(main, ["run", "fragmented", *SMALL])
    assert failed.exit_code == 1, failed.output
    assert failed.stderr.splitlines() == [
        "Error: MemoryError: cannot allocate 12 GiB (an unexpected failure; set "
        "JOURNEYSIM_DEBUG=1 to see where)"]
    monkeypatch.setenv("JOURNEYSIM_DEBUG", "1")
    shown = CliRunner().invoke(main, ["run", "fragmented", *SMALL])
    assert isinstance(shown.exception, MemoryError), "the traceback is shown when asked"


def test_a_real_process_shows_an_unforeseen_error_in_one_line(tmp_path):
    crash = ("import sys; from journeysim.runs import results\n"
             "def boom(*a, **k): raise RecursionError('too deep')\n"
             "results.simulate = boom\n"
             "from journeysim.cli import main; sys.argv = ['journeysim', 'run', 'fragmented',"
             " '--people', '200', '--weeks', '10', '--quiet']; main()\n")
    done = subprocess.run([sys.executable, "-c", crash], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "PYTHONPATH": SRC}, cwd=tmp_path)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "Error: RecursionError: too deep (an unexpected failure; set JOURNEYSIM_DEBUG=1 to "
        "see where)"], done.stderr
