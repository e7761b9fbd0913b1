"""The ``journeysim`` command line: parse, call one library function, print."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from journeysim import config
from journeysim.present import report, tables, trace
from journeysim.runs import experiment, results, sweeps


def _simulate(scenario: config.Scenario, quiet: bool = False) -> results.RunOutput:
    """Run once with a progress bar on the terminal (none when piped or ``quiet``)."""
    with tqdm(total=scenario.run.weeks, unit="week", desc=scenario.name, leave=False,
              disable=quiet or None, file=sys.stderr) as bar:
        return results.simulate(scenario, progress=bar.update)


def _load(scenario: str) -> config.Scenario:
    try:
        return config.load(scenario)
    except config.ConfigError as err:
        raise click.ClickException(str(err)) from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="journeysim")
def main() -> None:
    """Simulate workless people's journeys through welfare-to-work services.

    Compare a fragmented service system with co-designed alternatives on
    off-flow (leaving benefit), cycling (coming back) and cost.
    """


@main.command()
@click.argument("scenario")
@click.option("--people", type=click.IntRange(min=1), help="Claimants in the starting stock.")
@click.option("--weeks", type=click.IntRange(1, 1040), help="Length of the run in weeks.")
@click.option("--seed", type=click.IntRange(min=0), help="Seed of every random stream.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write summary.json, events/weekly/people.parquet here.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def run(scenario: str, people: int | None, weeks: int | None, seed: int | None,
        out_dir: Path | None, quiet: bool) -> None:
    """Run SCENARIO (a bundled name or a YAML path) once and print its headline measures."""
    chosen = _load(scenario).with_run(people=people, weeks=weeks, seed=seed)
    output = _simulate(chosen, quiet)
    click.echo(tables.format_summary(output.summary))
    if out_dir is not None:
        for path in results.write(output, out_dir):
            click.echo(f"wrote {path}")


@main.command(name="trace")
@click.argument("scenario")
@click.option("--person", "person", type=click.IntRange(min=0), required=True,
              help="Id of the person to follow (see people.parquet).")
@click.option("--people", type=click.IntRange(min=1), help="Claimants in the starting stock.")
@click.option("--weeks", type=click.IntRange(1, 1040), help="Length of the run in weeks.")
@click.option("--seed", type=click.IntRange(min=0), help="Seed of every random stream.")
@click.option("--png", type=click.Path(dir_okay=False, path_type=Path),
              help="Also draw the journey as a picture in this PNG file.")
def trace_person(scenario: str, person: int, people: int | None, weeks: int | None,
                 seed: int | None, png: Path | None) -> None:
    """Run SCENARIO and print one person's journey as a timeline."""
    output = _simulate(_load(scenario).with_run(people=people, weeks=weeks, seed=seed))
    try:
        click.echo(trace.timeline(output.events, output.people, person))
        if png is not None:
            figure = trace.picture(output.events, output.people, person,
                                   output.summary["weeks"])
            figure.savefig(png, dpi=120, bbox_inches="tight")
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None


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
        click.option("--people", type=click.IntRange(min=1),
                     help="Claimants in the starting stock."),
        click.option("--weeks", type=click.IntRange(1, 1040), help="Length of each run in weeks."),
        click.option("--seed", type=click.IntRange(min=0), help="Seed shared by every scenario."),
    ]):
        command = option(command)
    return command


def _horizon_option(command: click.Command) -> click.Command:
    return click.option("--horizon-years", type=click.IntRange(1, 100),
                        help="Years appraised (default: the baseline's cba.horizon_years).")(
        command)


def _compare(names: list[str], reps: int | None, precision: float, people: int | None,
             weeks: int | None, seed: int | None, out_dir: Path | None, workers: int | None,
             kind: str, scheduler: str | None, quiet: bool, appraise: bool,
             horizon_years: int | None, prefix: str) -> None:
    """Run a comparison; print its table, and its cost-benefit appraisal when asked."""
    chosen = [_load(name).with_run(people=people, weeks=weeks, seed=seed) for name in names]
    named = [s.name for s in chosen]
    if len(set(named)) != len(named):
        raise click.ClickException(f"a scenario is named twice: {', '.join(named)}")
    run = chosen[0].run
    chosen = [s.with_run(people=run.people, weeks=run.weeks, seed=run.seed) for s in chosen]
    directory = out_dir or Path("results") / (prefix + "-".join(named))
    try:
        with experiment.executor(kind, workers, scheduler) as pool, tqdm(
                unit="run", desc="runs", disable=quiet or None, file=sys.stderr) as bar:
            result = experiment.run_comparison(chosen, reps, directory, pool, precision,
                                               progress=bar.update, grow=bar.reset)
    except experiment.ExperimentError as err:
        raise click.ClickException(str(err)) from None
    click.echo(tables.format_table(result.table))
    if appraise:
        appraisal = experiment.appraise_comparison(result, chosen, horizon_years)
        experiment.write_appraisal(appraisal, directory)
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
              help="Also appraise each scenario's costs and benefits against the first.")
@_horizon_option
@_executor_options
def compare(scenarios: tuple[str, ...], reps: int | None, precision: float, people: int | None,
            weeks: int | None, seed: int | None, appraise: bool, horizon_years: int | None,
            out_dir: Path | None, workers: int | None, kind: str, scheduler: str | None,
            quiet: bool) -> None:
    """Run SCENARIOS with common random numbers and compare each with the first.

    Prints each measure's mean with its 95% interval, and the paired difference
    to the first scenario with its interval; writes runs.csv, table.csv and
    summary.json (with --cba, also the files of the cba command). Run the same
    command again to resume an interrupted one.
    """
    _compare(list(scenarios), reps, precision, people, weeks, seed, out_dir, workers, kind,
             scheduler, quiet, appraise, horizon_years, "compare-")


@main.command()
@click.argument("scenario")
@click.option("--baseline", default=config.BASELINE, show_default=True,
              help="The scenario it is appraised against.")
@click.option("--reps", type=Replications(), default="5", show_default=True,
              help="Replications of each, or 'auto' to add them until precise.")
@click.option("--precision", type=click.FloatRange(0, 1, min_open=True), default=0.05,
              show_default=True, help="With --reps auto: largest 95% half-width / mean.")
@_size_options
@_horizon_option
@_executor_options
def cba(scenario: str, baseline: str, reps: int | None, precision: float, people: int | None,
        weeks: int | None, seed: int | None, horizon_years: int | None, out_dir: Path | None,
        workers: int | None, kind: str, scheduler: str | None, quiet: bool) -> None:
    """Cost-benefit of SCENARIO against a baseline: who pays, who saves, does it pay back.

    Runs both with common random numbers, builds each run's cost ledger by
    partner from its event log, and discounts the difference (HM Treasury Green
    Book rates): net present value and benefit-cost ratio for society, the
    Exchequer and the participant; the fiscal, economic and social split; each
    partner's share; cost per additional sustained job; payback; and the NPV
    with each uncertain value at its low and high end. Writes cba.csv,
    cba_ledger.csv, cba_ranges.csv and cba.json beside the comparison's files.
    """
    _compare([baseline, scenario], reps, precision, people, weeks, seed, out_dir, workers,
             kind, scheduler, quiet, True, horizon_years, "cba-")


def _run_experiment_file(file: Path, allowed: tuple[str, ...], out_dir: Path | None,
                         kind: str, workers: int | None, scheduler: str | None,
                         quiet: bool) -> tuple[sweeps.ExperimentFile, sweeps.SweepResult, Path]:
    """Load an experiment file and run it, with a progress bar; clear errors only."""
    try:
        spec = sweeps.load(file)
        if spec.method not in allowed:
            raise config.ConfigError(f"{file}: field 'method' = {spec.method!r}: this command "
                                     f"takes {' or '.join(allowed)}")
        directory = out_dir or Path("results") / f"{spec.method}-{spec.name}"
        with experiment.executor(kind, workers, scheduler) as pool, tqdm(
                unit="run", desc=spec.name, disable=quiet or None, file=sys.stderr) as bar:
            result = sweeps.run_file(spec, str(file), directory, pool, bar.update, bar.reset)
    except (config.ConfigError, experiment.ExperimentError) as err:
        raise click.ClickException(str(err)) from None
    return spec, result, directory


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_executor_options
def sweep(file: Path, out_dir: Path | None, kind: str, workers: int | None,
          scheduler: str | None, quiet: bool) -> None:
    """Run the grid or Latin hypercube of experiment FILE and tabulate each point."""
    spec, result, directory = _run_experiment_file(
        file, sweeps.SWEEPS, out_dir, kind, workers, scheduler, quiet)
    click.echo(result.table.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    click.echo(f"\n{len(result.table)} points x {spec.replications} replications; "
               f"wrote {directory}")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@_executor_options
def sensitivity(file: Path, out_dir: Path | None, kind: str, workers: int | None,
                scheduler: str | None, quiet: bool) -> None:
    """Global sensitivity (SALib: Morris screening or Sobol indices) of experiment FILE."""
    spec, result, directory = _run_experiment_file(
        file, sweeps.SENSITIVITY, out_dir, kind, workers, scheduler, quiet)
    try:
        found = sweeps.indices(spec, result.points, result.table)
    except config.ConfigError as err:
        raise click.ClickException(str(err)) from None
    sweeps.write_indices(found, directory)
    click.echo(found.to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    click.echo(f"\n{len(result.points)} points x {spec.replications} replications; wrote "
               f"{directory} (indices.csv, indices.png)")


@main.command(name="report")
@click.argument("directory", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path),
              help="The HTML file (default: DIRECTORY/report.html).")
def report_command(directory: Path, out: Path | None) -> None:
    """A self-contained HTML report of a run or compare DIRECTORY, with its figures.

    Says what was compared and how, gives the headline table with intervals (and
    the cost-benefit figures when the comparison has them), draws off-flow,
    journeys, cycling, cost, fragmentation (and who pays and who saves), and
    says what the model does not know. The figures are also written as PNG and
    SVG into figures/ beside the report.
    """
    try:
        path, figures = report.write_report(directory, out)
    except report.ReportError as err:
        raise click.ClickException(str(err)) from None
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
    Reset after changing them). Both run the same people with the same seed,
    one week per Step. See docs/workshop.md for a 20-minute session plan.
    """
    import os
    import subprocess

    _load(design)  # a bad name fails here, with one message
    env = {**os.environ, "JOURNEYSIM_WORKSHOP_DESIGN": design}
    command = [sys.executable, "-m", "solara", "run", "journeysim.workshop.app",
               "--port", str(port), "--host", host, "--production", "--no-open"]
    click.echo(f"journeysim workshop on http://{host}:{port} (Ctrl+C to stop)")
    try:
        raise SystemExit(subprocess.call(command, env=env))
    except KeyboardInterrupt:
        raise SystemExit(0) from None


@main.command()
def scenarios() -> None:
    """List the bundled scenarios."""
    for name, path in config.bundled_scenarios().items():
        scenario = _load(str(path))
        click.echo(f"{name:32} {' '.join(scenario.description.split())}")


@main.command()
@click.argument("file")
def check(file: str) -> None:
    """Validate a scenario FILE (with its extends: chain) and say what it is."""
    scenario = _load(file)
    click.echo(f"ok: {scenario.name} (config {scenario.config_hash()}), "
               f"{scenario.run.people:,} people, {scenario.run.weeks} weeks, "
               f"seed {scenario.run.seed}")


@main.command()
@click.argument("scenario", default=config.BASELINE)
@click.option("--markdown", is_flag=True, help="As the Markdown table in docs/model.md.")
@click.option("--costs", "unit_costs", is_flag=True,
              help="Only unit costs and appraisal values, with price years (docs/costs.md).")
def params(scenario: str, markdown: bool, unit_costs: bool) -> None:
    """Every model parameter of SCENARIO with its unit, value and source."""
    loaded = _load(scenario)
    rows = config.unit_cost_table(loaded) if unit_costs else config.parameter_table(loaded)
    if markdown:
        click.echo(config.markdown_table(rows))
        return
    for row in rows:
        click.echo(f"{row['parameter']} = {row['default']}  [{row['unit']}]  ({row['source']})")
