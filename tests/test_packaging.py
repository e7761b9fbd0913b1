"""A plain wheel (not an editable install) carries the bundled scenarios and data, and runs.

The wheel is built from a copy of the checkout (so the build leaves nothing in
it), installed into a folder of its own, and run from a directory outside the
checkout with only that folder on PYTHONPATH.
"""

import os
import shutil
import subprocess
import sys
from importlib import metadata, util
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BUNDLED = sorted(p.stem for p in (ROOT / "configs").glob("*.yaml"))


def _builds_wheels() -> bool:
    """setuptools builds wheels itself from 70.1; before that it needs the wheel package."""
    major, minor = (int(part) for part in metadata.version("setuptools").split(".")[:2])
    return (major, minor) >= (70, 1) or util.find_spec("wheel") is not None


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"{' '.join(args)} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """The folder a non-editable wheel of this checkout is installed into."""
    if not _builds_wheels():
        pytest.skip("building a wheel needs setuptools>=70.1 or the wheel package "
                    "(pip install -e '.[dev]' brings them)")
    work = tmp_path_factory.mktemp("packaging")
    copy = work / "checkout"
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    for name in ("src", "configs", "experiments"):
        shutil.copytree(ROOT / name, copy / name, symlinks=True, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, copy / name)
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-cache-dir"]
    _run([*pip, "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir",
          str(work / "dist"), str(copy)], cwd=work)
    (wheel,) = (work / "dist").glob("journeysim-*.whl")
    target = work / "site"
    _run([*pip, "install", "--no-deps", "--target", str(target), str(wheel)], cwd=work)
    return target


def _python(target: Path, cwd: Path, *args: str) -> str:
    """``python ARGS`` from ``cwd``, importing journeysim from ``target`` only."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    env["PYTHONPATH"] = str(target)
    return _run([sys.executable, *args], cwd=cwd, env=env)


def test_the_installed_package_is_imported_and_finds_its_data(installed, tmp_path):
    shown = _python(installed, tmp_path, "-c", (
        "import journeysim, journeysim.config as c, journeysim.runs.calibration as k\n"
        "print(journeysim.__file__); print(c.CONFIG_DIR); print(len(k.load_targets()[1]))"))
    module, configs, targets = shown.splitlines()
    assert Path(module).is_relative_to(installed), f"journeysim came from {module}"
    assert Path(configs).is_relative_to(installed), f"scenarios read from {configs}"
    assert int(targets) > 0


def test_the_wheel_lists_and_checks_the_bundled_scenarios(installed, tmp_path):
    listed = _python(installed, tmp_path, "-m", "journeysim", "scenarios")
    assert sorted(line.split()[0] for line in listed.splitlines()
                  if line.strip() and not line.endswith(":")) == BUNDLED  # not the headings
    _python(installed, tmp_path, "-m", "journeysim", "check", "fragmented")
    places = _python(installed, tmp_path, "-m", "journeysim", "borough", "places")
    assert "### Birmingham (`birmingham`)" in places  # the places' figures are package data


def test_the_wheel_runs_a_scenario_and_writes_its_summary(installed, tmp_path):
    out = tmp_path / "out"
    _python(installed, tmp_path, "-m", "journeysim", "run", "fragmented", "--people", "300",
            "--weeks", "8", "--out", str(out), "--quiet")
    assert (out / "summary.json").is_file()


def test_the_wheel_writes_a_borough_and_its_design_without_the_docs(installed, tmp_path):
    claimants = tmp_path / "claimants.csv"
    shutil.copy2(ROOT / "docs" / "examples" / "ourtown-claimants.csv", claimants)
    _python(installed, tmp_path, "-m", "journeysim", "borough", "init", "--claimants",
            str(claimants), "--vacancies", "1700", "--area-km2", "350", "--name", "ourtown",
            "--staff", "hub=6", "--cohort", "personal_budget=40", "--out", "ourtown.yaml")
    _python(installed, tmp_path, "-m", "journeysim", "borough", "design", "--borough",
            "ourtown.yaml", "--out", "ourtown-hub.yaml")
    assert (tmp_path / "ourtown-hub.yaml").read_text(encoding="utf-8") == (
        ROOT / "docs" / "examples" / "ourtown-hub.yaml").read_text(encoding="utf-8")
    _python(installed, tmp_path, "-m", "journeysim", "check", "ourtown-hub.yaml")
