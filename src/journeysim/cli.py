"""The ``journeysim`` command line: parse, call one library function, print."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from tqdm import tqdm

from journeysim import config, results, trace


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
    click.echo(results.format_summary(output.summary))
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
def trace_person(scenario: str, person: int, people: int | None, weeks: int | None,
                 seed: int | None) -> None:
    """Run SCENARIO and print one person's journey as a timeline."""
    output = _simulate(_load(scenario).with_run(people=people, weeks=weeks, seed=seed))
    try:
        click.echo(trace.timeline(output.events, output.people, person))
    except KeyError as err:
        raise click.ClickException(err.args[0]) from None


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
def params(scenario: str, markdown: bool) -> None:
    """Every model parameter of SCENARIO with its unit, value and source."""
    rows = config.parameter_table(_load(scenario))
    if markdown:
        click.echo(config.markdown_table(rows))
        return
    for row in rows:
        click.echo(f"{row['parameter']} = {row['default']}  [{row['unit']}]  ({row['source']})")
