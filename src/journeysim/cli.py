"""The ``journeysim`` command line: parse, call one library function, print.

Exit status: 0 done; 1 a run failed (after its retries) or the disk refused a
write; 2 bad input, refused before anything was written; 3 ``validate`` found a
calibration target missed; 130 interrupted. A failure is one line on standard
error, never a traceback: an error nobody foresaw (memory exhausted, a library's
own) is one line naming it, with exit status 1; set ``JOURNEYSIM_DEBUG=1`` to
see its traceback instead.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from journeysim import config
from journeysim.config.evidence import evidence_table
from journeysim.config.evidence import markdown as evidence_markdown
from journeysim.runs import files

if TYPE_CHECKING:
    from journeysim.runs import experiment, results, sweeps

# The commands import what they run when they run it (simulation, tables, figures), so
# that --help, scenarios, check and params answer without loading those libraries.

#: The sampling designs of ``uncertainty`` (``runs.uncertainty.DESIGNS``; a test keeps them equal).
DESIGNS = ("lhs", "sobol")

#: Exit status of a failure that is not the input's fault (a run that kept failing, a full disk).
FAILED = 1
#: Exit status of bad input or a refused request (nothing was written).
REFUSED = 2
#: Exit status of a validation that missed a calibration target (its files are written).
MISSED = 3
#: Exit status after Ctrl-C (128 + SIGINT).
INTERRUPTED = 130
#: Written into a ``trace --png`` picture: the next trace may write over a file carrying it.
TRACE_MARK = "journeysim trace"
#: Set to a non-empty value to see the traceback of an unforeseen error.
DEBUG_VARIABLE = "JOURNEYSIM_DEBUG"


class Refused(click.ClickException):
    """Bad input or a request refused before anything was written (exit status 2)."""

    exit_code = REFUSED


class Missed(click.ClickException):
    """A calibration target missed by ``validate`` (exit status 3)."""

    exit_code = MISSED


class Interrupted(click.ClickException):
    """Stopped by Ctrl-C (exit status 130)."""

    exit_code = INTERRUPTED


def _one_line(message: str) -> str:
    return " ".join(message.split())


class Group(click.Group):
    """The ``journeysim`` group: every failure ends as one line and an exit status."""

    def main(self, args: Any = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:
        """Run the command; in standalone mode turn every failure into one line and exit."""
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.UsageError as err:
            where = f"{err.ctx.command_path}: " if err.ctx is not None else ""
            hint = f" (see {err.ctx.command_path} --help)" if err.ctx is not None else ""
            self._fail(f"{where}{err.format_message()}{hint}", REFUSED)
        except click.ClickException as err:
            self._fail(err.format_message(), err.exit_code)
        except click.Abort:
            self._fail("interrupted", INTERRUPTED)
        except OSError as err:
            where = f"{err.filename}: " if err.filename else ""
            self._fail(f"{where}{err.strerror or err}", FAILED)
        except Exception as err:  # noqa: BLE001 - the last resort: one line, not a traceback
            if os.environ.get(DEBUG_VARIABLE):
                raise
            detail = f": {err}" if str(err) else ""
            self._fail(f"{type(err).__name__}{detail} (an unexpected failure; set "
                       f"{DEBUG_VARIABLE}=1 to see where)", FAILED)
        sys.exit(code if isinstance(code, int) else 0)

    @staticmethod
    def _fail(message: str, status: int) -> None:
        click.echo(f"Error: {_one_line(message)}", err=True)
        sys.exit(status)


def _simulate(scenario: config.Scenario, quiet: bool = False) -> results.RunOutput:
    """Run once with a progress bar on the terminal (none when piped or ``quiet``)."""
    from tqdm import tqdm

    from journeysim.runs import results

    with tqdm(total=scenario.run.weeks, unit="week", desc=scenario.name, leave=False,
              disable=quiet or None, file=sys.stderr) as bar:
        return results.simulate(scenario, progress=bar.update)


class Lines:
    """Progress as one line per finished run on standard error (for output to a pipe or file)."""

    def __init__(self, unit: str, desc: str, total: int | None = None) -> None:
        self.unit, self.desc, self.total, self.done = unit, desc, total, 0

    def __enter__(self) -> Lines:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int = 1) -> None:
        """``n`` more finished: say so."""
        self.done += n
        of = f" of {self.total:,}" if self.total else ""
        click.echo(f"{self.desc}: {self.done:,}{of} {self.unit}s finished", err=True)

    def reset(self, total: int | None = None) -> None:
        """The total changed (more replications were needed)."""
        self.total = total


def _progress(unit: str, desc: str, quiet: bool, total: int | None = None) -> Any:
    """A progress bar on a terminal, a line per finished run otherwise, nothing if ``quiet``."""
    from tqdm import tqdm

    if quiet or sys.stderr.isatty():
        return tqdm(total=total, unit=unit, desc=desc, disable=quiet, file=sys.stderr)
    return Lines(unit, desc, total)


def _load(scenario: str) -> config.Scenario:
    try:
        return config.load(scenario)
    except config.ConfigError as err:
        raise Refused(str(err)) from None


def _warn_uncalibrated(*scenarios: config.Scenario) -> None:
    """Say on standard error when a scenario moves the calibrated place without refitting."""
    for scenario in scenarios:
        for line in config.uncalibrated(scenario):
            click.echo(f"warning: {line}", err=True)


def _fits(scenario: config.Scenario, at_once: int = 1) -> config.Scenario:
    """``scenario``, refused now if ``at_once`` runs of it would not fit in free memory."""
    import psutil

    needed = scenario.memory_needed() * at_once
    free = psutil.virtual_memory().available
    if needed > free:
        runs = f"{at_once} runs at once need" if at_once > 1 else "a run needs"
        raise Refused(f"{scenario.name}: {scenario.run.people:,} people for "
                      f"{scenario.run.weeks} weeks: {runs} about {needed / 2**30:,.1f} GiB "
                      f"of memory (about 25 MiB per 1,000 stock claimants at the baseline's "
                      f"inflow over 104 weeks, docs/performance.md) and this machine has "
                      f"{free / 2**30:,.1f} GiB free; use fewer --people or --weeks")
    return scenario


def _replaceable(path: Path, force: bool, mark: str | None = None) -> None:
    """Refuse, before any work, a file that cannot be written or must not be replaced.

    ``mark``: text a file this command wrote carries, so that it may be replaced
    without ``force`` (None: any existing file needs ``force``).
    """
    _writable(path.parent if str(path.parent) else Path("."), None)
    try:
        files.replaceable(path, mark, force)
    except files.FolderError as err:
        raise Refused(str(err)) from None


def _writable(directory: Path, kind: str | None, force: bool = False) -> None:
    """Refuse, before any work, a folder that cannot be written or holds another result.

    ``kind`` is the result about to be written there (None: a single file).
    """
    try:
        files.check_writable(directory)
        if kind is not None:
            files.require_kind(directory, kind, force)
    except files.FolderError as err:
        raise Refused(str(err)) from None


SEED = click.IntRange(0, config.MAX_SEED)
PEOPLE = click.IntRange(1, config.MAX_PEOPLE)
FORCE = click.option("--force", is_flag=True,
                     help="Write over a folder that holds another kind of result.")
FORCE_FILE = click.option("--force", is_flag=True,
                          help="Write over an existing file (never a device, pipe or folder).")


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="journeysim")
def main() -> None:
    """Simulate workless people's journeys through welfare-to-work services.

    Compare a fragmented service system with co-designed alternatives on
    off-flow (leaving benefit), cycling (coming back) and cost.

    Exit status: 0 done; 1 a run failed, a write failed (disk full) or an
    unforeseen error (one line; JOURNEYSIM_DEBUG=1 shows the traceback); 2 bad
    input or a refused --out (one line says why; nothing written); 3 validate
    missed a calibration target; 130 interrupted (rerun a compare to resume).
    """


@main.command()
@click.argument("scenario")
@click.option("--people", type=PEOPLE, help="Claimants in the starting stock.")
@click.option("--weeks", type=click.IntRange(1, 1040), help="Length of the run in weeks.")
@click.option("--seed", type=SEED, help="Seed of every random stream (0 to 2^32 - 1).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write summary.json, events/weekly/people.parquet here.")
@FORCE
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run(scenario: str, people: int | None, weeks: int | None, seed: int | None,
        out_dir: Path | None, force: bool, quiet: bool) -> None:
    """Run SCENARIO (a bundled name or a YAML path) once and print its headline measures.

    With --out, the folder is locked from the start of the run (a second command
    into it is refused at once) and sealed (complete.json) once every file is
    written.
    """
    from journeysim.runs import results

    loaded = _load(scenario)
    chosen = _fits(loaded.with_run(people=people, weeks=weeks, seed=seed))
    _warn_uncalibrated(chosen)
    rounded = config.rounded_staffing(loaded, chosen.run.people)
    if out_dir is None:
        _show_run(_simulate(chosen, quiet), rounded)
        return
    _writable(out_dir, "run", force)
    try:
        with files.locked(out_dir):
            output = _show_run(_simulate(chosen, quiet), rounded)
            written = results.write(output, out_dir, force)
    except files.FolderError as err:
        raise Refused(str(err)) from None
    for path in written:
        click.echo(f"wrote {path}")


def _show_run(output: results.RunOutput, rounded: list[str]) -> results.RunOutput:
    """Print a run's table, and where rounding changed its staffing per claimant.

    Returns the output with ``staffing_rounded`` in its summary when rounding did.
    """
    from journeysim.present import tables

    click.echo(tables.format_summary(output.summary))
    if not rounded:
        return output
    click.echo(config.rounded_staffing_line({output.scenario.name: rounded},
                                            output.scenario.run.people))
    return dataclasses.replace(output, summary={**output.summary, "staffing_rounded": rounded})


@main.command(name="trace")
@click.argument("scenario")
@click.option("--person", "person", type=click.IntRange(min=0), required=True,
              help="Id of the person to follow (see people.parquet).")
@click.option("--people", type=PEOPLE, help="Claimants in the starting stock.")
@click.option("--weeks", type=click.IntRange(1, 1040), help="Length of the run in weeks.")
@click.option("--seed", type=SEED, help="Seed of every random stream (0 to 2^32 - 1).")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw the journey as a picture in this PNG file.")
@FORCE_FILE
def trace_person(scenario: str, person: int, people: int | None, weeks: int | None,
                 seed: int | None, png: Path | None, force: bool) -> None:
    """Run SCENARIO and print one person's journey as a timeline.

    An earlier --png picture is written over; any other file only with --force.
    """
    from journeysim.present import trace

    if png is not None:
        _replaceable(png, force, TRACE_MARK)
    output = _simulate(_fits(_load(scenario).with_run(people=people, weeks=weeks, seed=seed)))
    try:
        click.echo(trace.timeline(output.events, output.people, person))
        if png is not None:
            figure = trace.picture(output.events, output.people, person,
                                   output.summary["weeks"])
            png.parent.mkdir(parents=True, exist_ok=True)
            files.write_atomic(png, lambda p: figure.savefig(
                p, format="png", dpi=120, bbox_inches="tight", metadata={"Creator": TRACE_MARK}))
    except KeyError as err:
        raise Refused(err.args[0]) from None


def _executor_options(command: click.Command) -> click.Command:
    """The options every multi-run command shares."""
    for option in reversed([
        click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
                     help="Experiment directory (default: a folder under results/)."),
        click.option("--workers", type=click.IntRange(min=1),
                     help="Parallel workers (default: cores)."),
        click.option("--executor", "kind", type=click.Choice(["processes", "serial", "dask"]),
                     default="processes", show_default=True, help="Where runs go."),
        click.option("--scheduler", help="Address of a running Dask scheduler (implies dask)."),
        click.option("--quiet", is_flag=True, help="No progress bar."),
    ]):
        command = option(command)
    return command


def _at_once(kind: str, workers: int | None) -> int:
    """How many runs may be in this machine's memory at once."""
    return (workers or os.cpu_count() or 1) if kind == "processes" else 1


class Replications(click.ParamType):
    """A whole number of replications, or ``auto``."""

    name = "N|auto"

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> int | None:
        """``auto`` becomes None; anything else must be a whole number of at least 2."""
        if value in ("auto", None):
            return None
        try:
            number = int(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            self.fail(f"{value!r} is neither a whole number nor 'auto'", param, ctx)
        if number < 2:
            self.fail("at least 2 replications are needed for an interval", param, ctx)
        return number


def _size_options(command: click.Command) -> click.Command:
    """The options that size and seed every scenario of a comparison alike."""
    for option in reversed([
        click.option("--people", type=PEOPLE, help="Claimants in the starting stock."),
        click.option("--weeks", type=click.IntRange(1, 1040), help="Length of each run in weeks."),
        click.option("--seed", type=SEED,
                     help="Seed shared by every scenario (0 to 2^32 - 1)."),
        FORCE,
    ]):
        command = option(command)
    return command


def _horizon_option(command: click.Command) -> click.Command:
    return click.option("--horizon-years", type=click.IntRange(1, 100),
                        help="Years appraised (default: the baseline's cba.horizon_years).")(
        command)


def _experiment_failed(err: experiment.ExperimentError) -> click.ClickException:
    """A run that kept failing is a failure (1); anything else was refused (2)."""
    from journeysim.runs import experiment

    if isinstance(err, experiment.RunFailed):
        return click.ClickException(f"{err}; rerun the same command to resume")
    return Refused(str(err))


def _compare(names: list[str], reps: int | None, precision: float, people: int | None,
             weeks: int | None, seed: int | None, force: bool, out_dir: Path | None,
             workers: int | None, kind: str, scheduler: str | None, quiet: bool,
             appraise: bool, horizon_years: int | None, prefix: str,
             as_json: bool = False) -> None:
    """Run a comparison; print its table, and its cost-benefit appraisal when asked."""
    from journeysim.present import tables
    from journeysim.runs import experiment

    loaded = [_load(name) for name in names]
    chosen = [s.with_run(people=people, weeks=weeks, seed=seed) for s in loaded]
    named = [s.name for s in chosen]
    if len(set(named)) != len(named):
        raise Refused(f"a scenario is named twice: {', '.join(named)}")
    run = chosen[0].run
    chosen = [_fits(s.with_run(people=run.people, weeks=run.weeks, seed=run.seed),
                    _at_once(kind, workers)) for s in chosen]
    rounded = {s.name: config.rounded_staffing(s, run.people) for s in loaded}
    directory = out_dir or Path("results") / (prefix + "-".join(named))
    _writable(directory, "compare", force)
    _warn_uncalibrated(*chosen)
    try:
        with experiment.executor(kind, workers, scheduler) as pool, _progress(
                "run", "runs", quiet) as bar:
            result, appraisal = experiment.run_comparison(
                chosen, reps, directory, pool, precision, progress=bar.update, grow=bar.reset,
                force=force, appraise=appraise, horizon_years=horizon_years,
                staffing_rounded=rounded)
    except experiment.ExperimentError as err:
        raise _experiment_failed(err) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; the finished runs are kept in {directory}: run the "
                          "same command again to resume") from None
    if as_json:
        click.echo(json.dumps({"directory": str(directory), "replications": result.replications,
                               "table": tables.table_records(result.table),
                               "impacts": tables.impact_records(result.impacts),
                               "staffing_rounded": rounded}, indent=2))
        return
    click.echo(tables.format_table(result.table))
    if not result.impacts.empty:
        click.echo("\n" + tables.format_impacts(result.impacts))
    line = config.rounded_staffing_line(rounded, run.people)
    if line:
        click.echo("\n" + line)
    if appraisal is not None:
        click.echo("\n" + tables.format_appraisal(appraisal))
    click.echo(f"\n{result.replications} replications per scenario; wrote {directory}")


@main.command()
@click.argument("scenarios", nargs=-1, required=True)
@click.option("--reps", type=Replications(), default="10", show_default=True,
              help="Replications per scenario, or 'auto' to add them until precise.")
@click.option("--precision", type=click.FloatRange(0, 1, min_open=True), default=0.05,
              show_default=True, help="With --reps auto: largest 95% half-width / mean.")
@_size_options
@click.option("--cba", "appraise", is_flag=True,
              help="Also appraise each scenario's costs and benefits against the first "
                   "(as cba: net of displacement, gross beside it).")
@click.option("--json", "as_json", is_flag=True,
              help="Print the table and the impacts as JSON (shares as fractions).")
@_horizon_option
@_executor_options
def compare(scenarios: tuple[str, ...], reps: int | None, precision: float, people: int | None,
            weeks: int | None, seed: int | None, force: bool, appraise: bool, as_json: bool,
            horizon_years: int | None, out_dir: Path | None, workers: int | None, kind: str,
            scheduler: str | None, quiet: bool) -> None:
    """Run SCENARIOS with common random numbers and compare each with the first.

    Prints each measure's mean with its 95% interval, and the paired difference
    to the first scenario with its interval; then, for each service a scenario
    adds, the impact on the people it treated: their share on benefit and in
    work 26 and 52 weeks after starting against the same people in the first
    scenario. Writes runs.csv, table.csv, impacts.csv (104 weeks too) and
    summary.json (with --cba, also the files of the cba command), and seals the
    folder (complete.json) last; without --cba, an earlier appraisal in the
    folder is removed. Run the same command again to resume an interrupted one
    (Ctrl-C exits with status 130). A run that fails is tried three times in
    all; the folder is locked while the comparison runs. Progress is a bar on
    a terminal and a line per finished run on standard error otherwise.

    Given one scenario that extends a place, the place comes first as its baseline
    (`journeysim compare south-tyneside-family-works` compares it with
    south-tyneside, the borough at its real size); any other scenario alone is run
    on its own.
    """
    names = list(scenarios)
    place = _place_of(names[0]) if len(names) == 1 else None
    if place is not None and place != names[0]:
        names.insert(0, place)
    _compare(names, reps, precision, people, weeks, seed, force, out_dir, workers,
             kind, scheduler, quiet, appraise, horizon_years, "compare-", as_json)


def _place_of(scenario: str) -> str | None:
    """The place ``scenario`` extends (or is), or None."""
    from journeysim.config import borough as local

    try:
        return local.place_of(scenario)
    except config.ConfigError as err:
        raise Refused(str(err)) from None


@main.command()
@click.argument("scenario")
@click.option("--baseline",
              help="The scenario it is appraised against (default: the place SCENARIO "
                   "extends, such as south-tyneside, or else fragmented).")
@click.option("--reps", type=Replications(), default="5", show_default=True,
              help="Replications of each, or 'auto' to add them until precise.")
@click.option("--precision", type=click.FloatRange(0, 1, min_open=True), default=0.05,
              show_default=True, help="With --reps auto: largest 95% half-width / mean.")
@_size_options
@_horizon_option
@_executor_options
def cba(scenario: str, baseline: str | None, reps: int | None, precision: float, people: int | None,
        weeks: int | None, seed: int | None, force: bool, horizon_years: int | None,
        out_dir: Path | None, workers: int | None, kind: str, scheduler: str | None,
        quiet: bool) -> None:
    """Cost-benefit of SCENARIO against a baseline: who pays, who saves, does it pay back.

    Runs both with common random numbers, builds each run's cost ledger by
    partner from its event log, and discounts the difference (HM Treasury Green
    Book rates): net present value and benefit-cost ratio for society, the
    Exchequer and the participant, society's and the Exchequer's net of
    displacement (the jobs taken from job seekers outside the model, as each
    run measures it), with the gross figures and those with benefits stopping
    with the run beside them; the fiscal, economic and social split; each
    partner's share; wellbeing on its own; cost per additional sustained job;
    payback; and the NPV with each uncertain value at its low and high end.
    Writes cba.csv,
    cba_ledger.csv, cba_ranges.csv and cba.json beside the comparison's files.
    """
    place = _place_of(scenario)
    if baseline is None:
        baseline = place if place not in (None, scenario) else config.BASELINE
    _compare([baseline, scenario], reps, precision, people, weeks,
             seed, force, out_dir, workers, kind, scheduler, quiet, True, horizon_years, "cba-")


def _run_experiment_file(file: Path, allowed: tuple[str, ...], out_dir: Path | None,
                         kind: str, workers: int | None, scheduler: str | None,
                         quiet: bool) -> tuple[sweeps.ExperimentFile, sweeps.SweepResult, Path]:
    """Load an experiment file and run it, with a progress bar; clear errors only."""
    from journeysim.runs import experiment, sweeps

    try:
        spec = sweeps.load(file)
        if spec.method not in allowed:
            raise config.ConfigError(f"{file}: field 'method' = {spec.method!r}: this command "
                                     f"takes {' or '.join(allowed)}")
        directory = out_dir or Path("results") / f"{spec.method}-{spec.name}"
        _writable(directory, "sweep")
        with experiment.executor(kind, workers, scheduler) as pool, _progress(
                "run", spec.name, quiet) as bar:
            result = sweeps.run_file(spec, str(file), directory, pool, bar.update, bar.reset)
    except config.ConfigError as err:
        raise Refused(str(err)) from None
    except experiment.ExperimentError as err:
        raise _experiment_failed(err) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; the finished runs are kept in {directory}: run the "
                          "same command again to resume") from None
    return spec, result, directory


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_executor_options
def sweep(file: Path, out_dir: Path | None, kind: str, workers: int | None,
          scheduler: str | None, quiet: bool) -> None:
    """Run the grid or Latin hypercube of experiment FILE and tabulate each point."""
    from journeysim.runs import sweeps

    spec, result, directory = _run_experiment_file(
        file, sweeps.SWEEPS, out_dir, kind, workers, scheduler, quiet)
    click.echo(result.table.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    for group in result.same_staffing:
        click.echo(f"\nPoints {', '.join(group)} run the same staffing at {spec.people:,} "
                   "claimants: their rates differ but round to the same head-counts, so "
                   "their differences are noise; sweep at more people or wider rates.")
    click.echo(f"\n{len(result.table)} points x {spec.replications} replications; "
               f"wrote {directory}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_executor_options
def sensitivity(file: Path, out_dir: Path | None, kind: str, workers: int | None,
                scheduler: str | None, quiet: bool) -> None:
    """Global sensitivity (SALib: Morris screening or Sobol indices) of experiment FILE."""
    from journeysim.runs import sweeps

    spec, result, directory = _run_experiment_file(
        file, sweeps.SENSITIVITY, out_dir, kind, workers, scheduler, quiet)
    try:
        found = sweeps.indices(spec, result.points, result.table)
    except config.ConfigError as err:
        raise Refused(str(err)) from None
    sweeps.write_indices(found, directory)
    click.echo(found.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    click.echo(f"\n{len(result.points)} points x {spec.replications} replications; wrote "
               f"{directory} (indices.csv, indices.png)")


@main.command(name="uncertainty")
@click.argument("baseline")
@click.argument("designs", nargs=-1, required=True)
@click.option("--draws", type=click.IntRange(1, 100_000), default=40, show_default=True,
              help="Parameter sets drawn from the evidence ranges (with --design sobol, the "
                   "budget: the largest N(P + 2) that fits is run).")
@click.option("--reps", type=click.IntRange(2, 1000), default=3, show_default=True,
              help="Replications at the central values (the Monte Carlo interval); each draw "
                   "runs one.")
@_size_options
@click.option("--design", "design", type=click.Choice(DESIGNS), default="lhs",
              show_default=True,
              help="lhs: Latin hypercube, drivers by rank regression; sobol: Saltelli's "
                   "design, first-order and total Sobol indices.")
@click.option("--parameters", "only", multiple=True, metavar="PREFIX",
              help="Vary only the parameters whose evidence key starts with PREFIX "
                   "(repeatable), e.g. hub. or cba.; the rest stay at their values.")
@click.option("--width", type=click.FloatRange(0, 1), default=1.0, show_default=True,
              help="Scale every range about its value (0: Monte Carlo noise only).")
@click.option("--drivers", "drivers_by", type=click.Choice(("design", "emulator")),
              default="design", show_default=True,
              help="design: drivers by the design's method; emulator: first-order and total "
                   "Sobol indices of a Gaussian process fitted to the draws (10 draws or "
                   "more), with its held-out R squared, and rank regression where that is "
                   "below 0.5. Runs nothing new: a finished folder is analysed again.")
@_horizon_option
@_executor_options
def uncertainty_command(baseline: str, designs: tuple[str, ...], draws: int, reps: int,
                        people: int | None, weeks: int | None, seed: int | None, force: bool,
                        design: str, only: tuple[str, ...], width: float, drivers_by: str,
                        horizon_years: int | None, out_dir: Path | None, workers: int | None,
                        kind: str, scheduler: str | None, quiet: bool) -> None:
    """Intervals over every assumption: draw parameters from their evidence, run each design.

    Draws DRAWS parameter sets from the ranges in docs/evidence.md (but not
    of services or programmes no scenario runs), the appraisal's ranges and
    the calibrated ensemble; runs BASELINE and every
    DESIGN at each draw with common random numbers; and prints each design's
    difference to the baseline with its 95% interval over the draws beside the
    Monte Carlo-only interval (society's and the Exchequer's NPV net of
    displacement, gross beside them), the chance its NPV is above zero, and
    what drives it. Writes uncertainty.csv, drivers.csv, draws.csv and uncertainty.json
    (docs/uncertainty.md); resumes like compare.
    """
    from journeysim.present import tables
    from journeysim.runs import experiment, uncertainty

    names = [baseline, *designs]
    chosen = [_load(name).with_run(people=people, weeks=weeks, seed=seed) for name in names]
    if len({s.name for s in chosen}) != len(chosen):
        raise Refused(f"a scenario is named twice: {', '.join(names)}")
    run = chosen[0].run
    chosen = [_fits(s.with_run(people=run.people, weeks=run.weeks, seed=run.seed),
                    _at_once(kind, workers)) for s in chosen]
    directory = out_dir or Path("results") / ("uncertainty-" + "-".join(s.name for s in chosen))
    _writable(directory, uncertainty.KIND, force)
    try:
        with experiment.executor(kind, workers, scheduler) as pool, _progress(
                "run", "runs", quiet) as bar:
            outcome = uncertainty.run_uncertainty(
                chosen, draws, reps, directory, pool, design, only, width, horizon_years,
                progress=bar.update, grow=bar.reset, force=force, drivers_by=drivers_by)
    except experiment.ExperimentError as err:
        raise _experiment_failed(err) from None
    except config.ConfigError as err:
        raise Refused(str(err)) from None
    except KeyboardInterrupt:
        raise Interrupted(f"interrupted; the finished runs are kept in {directory}: run the "
                          "same command again to resume") from None
    settings = outcome.settings
    click.echo(tables.format_uncertainty(outcome.table, outcome.drivers, outcome.designs,
                                         settings))
    held = len(settings["switched_off"])
    click.echo(f"\n{settings['draws']} draws of {settings['parameters']} uncertain parameters"
               + (f" ({held} more held: their services or programmes run in no scenario)"
                  if held else "")
               + f", {reps} replications at the central values; wrote {directory}")


class Seeds(click.ParamType):
    """Seeds separated by commas: ``1,2,3``."""

    name = "S1,S2,..."

    def convert(self, value: object, param: click.Parameter | None,
                ctx: click.Context | None) -> tuple[int, ...]:
        """Each seed a whole number from 0 to 2^32 - 1, none twice."""
        if isinstance(value, tuple):
            return value
        seeds = []
        for part in str(value).split(","):
            try:
                seed = int(part.strip())
            except ValueError:
                self.fail(f"{part.strip()!r} is not a whole number (give seeds as 1,2,3)",
                          param, ctx)
            if not 0 <= seed <= config.MAX_SEED:
                self.fail(f"seed {seed} is outside 0 to 2^32 - 1", param, ctx)
            if seed in seeds:
                self.fail(f"seed {seed} is given twice", param, ctx)
            seeds.append(seed)
        return tuple(seeds)


@main.command()
@click.option("--people", type=PEOPLE,
              help="Claimants in the starting stock (default: the size the targets were "
                   "fitted at).")
@click.option("--seeds", type=Seeds(),
              help="Seeds, comma-separated (default: those the targets were fitted at).")
@click.option("--markdown", is_flag=True, help="Print the table as Markdown (docs/model.md).")
@click.option("--targets", "targets_file", type=click.Path(dir_okay=False, path_type=Path),
              hidden=True)
@click.option("--checks", "checks_file", type=click.Path(dir_okay=False, path_type=Path),
              hidden=True)
@FORCE
@_executor_options
def validate(people: int | None, seeds: tuple[int, ...] | None, markdown: bool,
             targets_file: Path | None, checks_file: Path | None, force: bool,
             out_dir: Path | None,
             workers: int | None, kind: str, scheduler: str | None, quiet: bool) -> None:
    """Hold the model against every calibration target and every check the project keeps.

    Runs the bundled scenarios they need, at the size, weeks and seeds the
    targets were fitted at (experiments/calibration_targets.yaml), and prints
    one row per figure: the observed value, its band and source, the model's
    mean over the seeds with its 95% interval, and a verdict. Targets are what
    the fragmented baseline is calibrated to; checks were not used for fitting
    (experiments/validation_checks.yaml), and a check outside its band is a
    finding, not a failure. Writes validation.csv and validation.json into
    --out (default results/validation), which `journeysim report` turns into a
    page. The folder is locked from the start: a second command into it is
    refused at once.

    Exit status 3 when a calibration target is missed (the files are written
    first); checks never change the exit status.
    """
    from journeysim.runs import calibration, experiment, validation

    targets_file = targets_file or calibration.TARGETS_FILE
    checks_file = checks_file or validation.CHECKS_FILE
    try:
        chosen = validation.plan(targets_file, checks_file, people, seeds)
    except config.ConfigError as err:
        raise Refused(str(err)) from None
    for scenario in chosen.scenarios.values():
        _fits(scenario, _at_once(kind, workers))
    directory = out_dir or Path("results") / "validation"
    _writable(directory, validation.KIND, force)
    try:
        with files.locked(directory):
            try:
                with experiment.executor(kind, workers, scheduler) as pool, _progress(
                        "run", "validate", quiet, len(chosen.runs)) as bar:
                    found = validation.run(chosen, pool, bar.update)
            except config.ConfigError as err:
                raise Refused(str(err)) from None
            except experiment.ExperimentError as err:
                raise _experiment_failed(err) from None
            except KeyboardInterrupt:
                raise Interrupted("interrupted; nothing was written") from None
            table = validation.frame(found)
            settings = validation.run_settings(chosen)
            show = validation.markdown_table if markdown else validation.text_table
            click.echo(show(table, settings))
            written = validation.write(table, chosen, directory, force)
    except files.FolderError as err:
        raise Refused(str(err)) from None
    click.echo(f"\nwrote {' and '.join(str(path) for path in written)}", err=markdown)
    missed = validation.missed(table)
    if missed:
        raise Missed(f"calibration target(s) missed: {', '.join(missed)} (see {written[0]})")


@main.command(name="report")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file (default: DIRECTORY/report.html).")
@FORCE_FILE
def report_command(directory: Path, out: Path | None, force: bool) -> None:
    """A self-contained HTML report of a run, compare, validate or uncertainty DIRECTORY.

    Says what was compared and how, gives the headline table with intervals (and
    the cost-benefit figures when the comparison has them), draws off-flow,
    journeys, cycling, cost, fragmentation (and who pays and who saves), and
    says what the model does not know. Of an uncertainty analysis: each design's
    differences with the interval the evidence allows beside the simulation-only
    one, what drives them, and the chance each design is worth its cost. The
    figures are also written as PNG and SVG into figures/ beside the report.

    Only a sealed folder whose files are unchanged is read. An earlier report
    and its figures are written over; any other file at those names only with
    --force, and a device, pipe or folder never.
    """
    from journeysim.present import report

    try:
        path, figures = report.write_report(directory, out, force)
    except report.ReportError as err:
        raise Refused(str(err)) from None
    click.echo(f"wrote {path} and {len(figures)} figure files in {figures[0].parent}")


@main.command()
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True,
              help="Port to serve on (0: any free port).")
@click.option("--host", default="localhost", show_default=True,
              help="Address to listen on (0.0.0.0 to let others in the room connect).")
@click.option("--design", default="codesign-full", show_default=True,
              help="The co-design scenario the right-hand side starts from.")
def workshop(port: int, host: str, design: str) -> None:
    """Serve the workshop: fragmented and co-designed journeys, live, side by side.

    Open the address it prints in a browser. The left side is the fragmented
    baseline; the right is DESIGN with the levers set in the sidebar (press
    Start again after changing them). Both run the same people with the same
    seed, a week per Next week or Play. See docs/workshop.md for a 20-minute
    session plan. The
    server runs in this process (stopping it stops the server) and contacts
    nothing beyond the browsers that open it.
    """
    from journeysim.workshop import server

    _load(design)  # a bad name fails here, with one message
    click.echo(f"journeysim workshop on http://{host}:{port} (Ctrl+C to stop)")
    server.serve(host, port, design)


@main.group()
def borough() -> None:
    """Set up a partnership's own borough from the figures it has."""


@borough.command(name="init")
@click.option("--claimants", "claimants_file",
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="CSV with columns benefit,claimants and rows JSA, ESA, IS_LP (optional "
                   "age-band columns 18-24, 25-49, 50+ on the JSA row); UTF-8, latin-1 or "
                   "UTF-16, title lines above the header allowed, at most 10 MiB.")
@click.option("--vacancies", type=click.FloatRange(0, min_open=True),
              help="Live vacancies in the borough.")
@click.option("--area-km2", type=click.FloatRange(0, min_open=True),
              help="The borough's area in km2.")
@click.option("--place", "place",
              help="Instead of the three above: a bundled place (wakefield, lewisham, "
                   "south-tyneside, birmingham, bradford, swindon) or a file of figures in "
                   "the same shape (src/journeysim/data/places/), each figure with its "
                   "source.")
@click.option("--start", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date week 0 stands for (YYYY-MM-DD, 2009-10-26 to 2014-03-31; "
                   "default with --place: the place's): sets the national policy in force "
                   "by the calendar (docs/places.md).")
@click.option("--name", help="The scenario's name (default with --place: the place's).")
@click.option("--out", "out_file", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The scenario file to write.")
@click.option("--extends", "base", default=config.BASELINE, show_default=True,
              help="The scenario the borough's file extends.")
@click.option("--staff", multiple=True, metavar="SERVICE=N",
              help="A service's staff as a head-count (e.g. hub=6, jobcentre=60, skills=12).")
@click.option("--cohort", multiple=True, metavar="BUDGET=N",
              help="Budgets a year as a number of people or households (e.g. "
                   "personal_budget=40).")
@FORCE_FILE
def borough_init(claimants_file: Path | None, vacancies: float | None, area_km2: float | None,
                 place: str | None, start: dt.datetime | None, name: str | None,
                 out_file: Path, base: str,
                 staff: tuple[str, ...], cohort: tuple[str, ...], force: bool) -> None:
    """Write a scenario for a borough from its claimant counts, vacancies and area.

    Give --claimants, --vacancies and --area-km2, or --place. Says what it read
    from the claimants file and what it set aside: title lines skipped, rows
    dropped (carers, totals), columns ignored, age bands used as shares. Age
    bands that do not add up to the JSA count (within 2%) are refused. The file
    extends the baseline: each value it sets shows its arithmetic (claimants
    per vacancy, the stock mix, a plan's head-counts as rates per 1,000
    claimants) and every inherited value is listed as inherited. It is checked
    before it is written; an existing file is kept unless --force. Then
    `journeysim borough design` writes the design that switches the planned
    services on. The bundled places (`journeysim scenarios`) are this
    command's files from their figures: `--place lewisham` writes configs/lewisham.yaml.
    """
    from journeysim.config import borough as local

    given = [claimants_file is not None, vacancies is not None, area_km2 is not None]
    if place is None and not all(given):
        raise Refused("give --claimants, --vacancies and --area-km2, or --place")
    if place is not None and any(given):
        raise Refused("--place gives the claimants, vacancies and area: leave out --claimants, "
                      "--vacancies and --area-km2")
    _replaceable(out_file, force)
    try:
        if place is not None:
            figures = local.read_place(place).borough_figures()
            summary = f"read {figures.source}: " + ", ".join(
                f"{b} {n:,}" for b, n in figures.claimants.items())
            name = name or local.read_place(place).name
        else:
            found = local.read_claimants(claimants_file)
            figures = local.Figures(found.counts, vacancies, area_km2, found.ages,
                                    claimants_file.name)
            summary = found.summary(claimants_file.name)
        if start is not None:
            figures = dataclasses.replace(figures, start=start.date(),
                                          start_source="borough init --start")
        if name is None:
            raise config.ConfigError("give the scenario's --name")
        text, scenario = local.write_borough(figures, name, base, local.plan(staff, "--staff"),
                                             local.plan(cohort, "--cohort"))
    except config.ConfigError as err:
        raise Refused(str(err)) from None
    click.echo(summary)
    files.write_atomic(out_file, text)
    click.echo(f"wrote {out_file}: {scenario.name}, {scenario.run.people:,} claimants, "
               f"{scenario.labour_market.claimants_per_vacancy:g} JSA claimants per vacancy")
    click.echo(config.head_count_text(config.head_count_rows(scenario), scenario.run.people))
    _warn_uncalibrated(scenario)


@borough.command(name="places")
def borough_places() -> None:
    """Print the bundled places' figures, each with its period, grade and source.

    The tables of docs/places.md. Grades: seed (the seed documents), published (a
    published figure), recalled (a named official statistic not checked against
    its table), estimate (worked out as its source says).
    """
    from journeysim.config import borough as local

    click.echo(local.places_markdown(), nl=False)


@borough.command(name="design")
@click.option("--borough", "borough_file", required=True,
              type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="The borough's scenario file, as borough init wrote it.")
@click.option("--out", "out_file", required=True,
              type=click.Path(dir_okay=False, path_type=Path), help="The design file to write.")
@click.option("--name", help="The design's name (default: the borough's, with -hub).")
@FORCE_FILE
def borough_design(borough_file: Path, out_file: Path, name: str | None, force: bool) -> None:
    """Write a design that switches on the hub and personal budgets a borough file sized.

    The design extends the borough's file (`borough init --staff hub=N --cohort
    personal_budget=N`), and is checked before it is written; edit it to try
    other designs, then compare it with the borough. An existing file is kept
    unless --force.
    """
    from journeysim.config import borough as local

    _replaceable(out_file, force)
    try:
        text, scenario = local.design(borough_file, out_file, name)
    except config.ConfigError as err:
        raise Refused(str(err)) from None
    files.write_atomic(out_file, text)
    click.echo(f"wrote {out_file}: {scenario.name}, extending {borough_file}")
    click.echo(config.head_count_text(config.head_count_rows(scenario), scenario.run.people))


@main.command()
@click.argument("scenario")
@click.option("--targets", "targets_file", type=click.Path(exists=True, dir_okay=False,
                                                            path_type=Path),
              help="The targets file (default: the baseline's, experiments/"
                   "calibration_targets.yaml).")
@click.option("--rounds", type=click.IntRange(1, 50), default=6, show_default=True,
              help="Fixed-point rounds.")
@click.option("--out", "out_file", required=True,
              type=click.Path(dir_okay=False, path_type=Path),
              help="Write the refitted scenario here: it extends SCENARIO.")
@FORCE_FILE
def calibrate(scenario: str, targets_file: Path | None, rounds: int, out_file: Path,
              force: bool) -> None:
    """Refit SCENARIO's fitted parameters to a targets file, and write the result.

    Each round runs SCENARIO at the targets file's size and seeds and moves the
    matching efficiency towards T1 (JSA off-flow by week 13), the WCA's
    fit-for-work chance towards C1 and its closure hazard towards C2, each
    benefit's inflow towards S1-S3 (its number of claims holds still) and the
    non-claimant search intensity towards R1 (relatives' job entry); a parameter
    whose target the file lacks stays. Only the fitted parameters move
    (docs/model.md, section 10). Writes a file that extends SCENARIO with the
    last values and says what they were fitted to; a few minutes a round at the
    baseline's targets.
    """
    from journeysim.runs import calibration

    _replaceable(out_file, force)
    targets_file = targets_file or calibration.TARGETS_FILE
    loaded = _load(scenario)
    raw = loaded.model_dump(mode="json")
    try:
        calibration.load_targets(targets_file)
    except (OSError, KeyError, TypeError) as err:
        raise Refused(f"{targets_file}: {err}") from None

    def report(round_: int, values: dict[str, float], checks: list[Any]) -> None:
        shown = ", ".join(f"{c.target.id} {c.modelled:.3f}{'' if c.passed else ' (out)'}"
                          for c in checks)
        click.echo(f"round {round_}: " + ", ".join(f"{k} {v:.4g}" for k, v in values.items())
                   + f"\n  {shown}", err=True)

    values, checks = calibration.refit(raw, targets_file, rounds, report)
    lines = [f"# {loaded.name} refitted to {targets_file.name} by `journeysim calibrate` "
             f"({rounds} rounds).",
             "# The last round: " + ", ".join(
                 f"{c.target.id} {c.modelled:.3f} (band {c.target.low:g} to {c.target.high:g}"
                 f"{'' if c.passed else ', out'})" for c in checks) + ".",
             f"extends: {scenario}", f"name: {loaded.name}-calibrated",
             f"calibrated_to: {targets_file.name}"]
    nested: dict[str, Any] = {}
    for path, value in values.items():
        nested = config.deep_merge(nested, config.override(path, value))
    lines += config.nested_yaml(nested)
    _replaceable(out_file, force)
    files.write_atomic(out_file, "\n".join(lines) + "\n")
    click.echo(f"wrote {out_file}")


@main.command()
def scenarios() -> None:
    """List the bundled scenarios: each place with its pilots, then the rest.

    A place is a borough at its real size from its published figures (`journeysim
    borough init --place`); its pilots extend it, and compare or cba given a pilot
    alone compare it with its place.
    """
    from journeysim.config import borough as local

    bundled = config.bundled_scenarios()
    places = {name: local.place_of(name) for name in bundled}

    def line(name: str, indent: str = "") -> str:
        scenario = _load(str(bundled[name]))
        size = f"{scenario.run.people:,} claimants" if places[name] == name else ""
        return f"{indent + name:34} {size:>19}  {' '.join(scenario.description.split())}"

    click.echo("Places (a borough's baseline at its real size) and their pilots:")
    for place in local.place_names():
        click.echo(line(place, "  "))
        for name in bundled:
            if places[name] == place and name != place:
                click.echo(line(name, "    "))
    click.echo("\nOther scenarios (the calibrated system and national designs):")
    for name in bundled:
        if places[name] is None:
            click.echo(line(name, "  "))


@main.command()
@click.argument("file")
def check(file: str) -> None:
    """Validate a scenario FILE (with its extends: chain) and say what it is.

    Also refuses a run too big for this machine's free memory. Exit status 2
    and one line naming the file, the field, the value and what is allowed
    when it is not usable.
    """
    scenario = _fits(_load(file))
    _warn_uncalibrated(scenario)
    click.echo(f"ok: {scenario.name} (config {scenario.config_hash()}), "
               f"{scenario.run.people:,} people, {scenario.run.weeks} weeks, "
               f"seed {scenario.run.seed}")


@main.command()
@click.argument("scenario", default=config.BASELINE)
@click.argument("prefixes", nargs=-1)
@click.option("--markdown", is_flag=True, help="As the Markdown table in docs/model.md.")
@click.option("--costs", "unit_costs", is_flag=True,
              help="Only unit costs and appraisal values, with price years (docs/costs.md).")
@click.option("--evidence", is_flag=True,
              help="Only effect, take-up and capacity parameters, with their range, grade "
                   "and source (docs/evidence.md).")
@click.option("--yaml", "as_yaml", is_flag=True,
              help="Print a starter scenario file that extends SCENARIO, every parameter "
                   "shown with its value, unit and meaning: keep what you change, delete "
                   "the rest.")
def params(scenario: str, prefixes: tuple[str, ...], markdown: bool, unit_costs: bool,
           evidence: bool, as_yaml: bool) -> None:
    """Every model parameter of SCENARIO with its unit, value and source.

    PREFIXES keep only the parameters whose path starts with one of them, e.g.
    `journeysim params fragmented system. hub.advisers_per_1000`.
    """
    loaded = _load(scenario)

    def kept(rows: list[dict[str, str]]) -> list[dict[str, str]]:
        chosen = [r for r in rows if not prefixes or r["parameter"].startswith(prefixes)]
        if not chosen:
            raise Refused(f"no parameter of {loaded.name} starts with "
                          f"{' or '.join(prefixes)} (see journeysim params {scenario})")
        return chosen

    if as_yaml:
        click.echo(config.starter_yaml(loaded, scenario, kept(config.parameter_table(loaded))),
                   nl=False)
        return
    if evidence:
        table = kept(evidence_table(loaded))
        if markdown:
            click.echo(evidence_markdown(table))
            return
        for row in table:
            span = f"{row['low']} to {row['high']}, " if row["low"] else ""
            click.echo(f"{row['parameter']} = {row['value']}  [{row['unit']}]  ({span}grade "
                       f"{row['grade']}: {row['source']})")
        return
    rows = kept(config.unit_cost_table(loaded) if unit_costs else config.parameter_table(loaded))
    if markdown:
        click.echo(config.markdown_table(rows))
        return
    for row in rows:
        click.echo(f"{row['parameter']} = {row['default']}  [{row['unit']}]  ({row['source']})")
    roots = tuple(prefix.split(".")[0] for prefix in prefixes)
    heads = [row for row in config.head_count_rows(loaded)
             if not roots or row["service"].startswith(roots)]
    if heads and not unit_costs:
        click.echo("\n" + config.head_count_text(heads, loaded.run.people))
