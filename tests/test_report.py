"""Figures and the HTML report, from small runs; the report opened in a real browser."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner
from matplotlib.text import Text

from journeysim.analysis import measures as metrics
from journeysim.analysis.registry import MAIN_DIFFERENCES
from journeysim.cli import main
from journeysim.present import plots, report, tables
from journeysim.runs import files

SMALL = ["--people", "300", "--weeks", "52", "--quiet"]


@pytest.fixture(scope="module")
def comparison(tmp_path_factory) -> Path:
    """A compare directory with a cost-benefit appraisal, and its report."""
    directory = tmp_path_factory.mktemp("compare")
    result = CliRunner().invoke(main, ["compare", "fragmented", "codesign-hub", *SMALL,
                                       "--reps", "2", "--executor", "serial", "--cba",
                                       "--out", str(directory)])
    assert result.exit_code == 0, result.output
    made = CliRunner().invoke(main, ["report", str(directory)])
    assert made.exit_code == 0, made.output
    return directory


@pytest.fixture(scope="module")
def single_run(tmp_path_factory) -> Path:
    directory = tmp_path_factory.mktemp("run")
    result = CliRunner().invoke(main, ["run", "codesign-full", *SMALL, "--out", str(directory)])
    assert result.exit_code == 0, result.output
    made = CliRunner().invoke(main, ["report", str(directory), "--out",
                                     str(directory / "page.html")])
    assert made.exit_code == 0, made.output
    return directory


FIGURES = ("off_flow", "journeys", "cycling", "costs", "fragmentation")


def test_report_of_a_comparison_is_self_contained_and_complete(comparison):
    page = (comparison / "report.html").read_text(encoding="utf-8")
    for stem in (*FIGURES, "partners", "drivers"):
        for kind in ("png", "svg"):
            data = (comparison / "figures" / f"{stem}.{kind}").read_bytes()
            assert data.startswith(b"\x89PNG" if kind == "png" else b"<?xml"), stem
        assert f"<figure id='{stem}'>" in page
    sources = re.findall(r"src='([^']*)'", page)
    assert len(sources) == 7 and all(s.startswith("data:image/png;base64,") for s in sources)
    assert "http://" not in page and "https://" not in page  # opens with no network
    for text in ("What was compared, and how", "codesign-hub − fragmented",
                 "whether hubs exist (hub.enabled): False → True",
                 "Cost–benefit against the baseline", "What this model does not know",
                 "300 claimants in the starting stock", "2 replication(s) from seed 1"):
        assert text in page, text


def test_report_shows_the_appraisal_with_and_without_wellbeing_and_its_drivers(comparison):
    page = (comparison / "report.html").read_text(encoding="utf-8")
    for text in ("NPV, society, net, without wellbeing", "benefit–cost ratio, society, net, "
                 "without wellbeing", "NPV, society, gross (no displacement)",
                 "NPV, society, net of displacement", "gross (no displacement)",
                 "job seekers outside the model",
                 "wellbeing&#x27;s share of society&#x27;s benefits",
                 "the Exchequer's never include it", "What drives the result",
                 "central case: persistence 0.6 a year, wellbeing £100 a week in work",
                 "low persistence: 0 a year (effects stop with the run)",
                 "The result depends most on"):
        assert text in page, text
    ranges = report.appraisal_ranges(report.load(comparison))["codesign-hub"]
    assert list(ranges.npv_society_swing) == sorted(ranges.npv_society_swing, reverse=True)
    first = page.index("<h4>codesign-hub</h4>")
    shown = [name for name in ranges.parameter if name in page[first:]]
    assert sorted(shown, key=lambda n: page.index(f"<th>{n}</th>", first)) == list(
        ranges.parameter), "the ranges are listed largest swing first"


def test_report_refuses_an_appraisal_made_before_persistence(comparison, tmp_path):
    old = tmp_path / "old"
    shutil.copytree(comparison, old)
    body = json.loads((old / "cba.json").read_text())
    body["settings"]["effect_decay_per_year"] = 1 - body["settings"].pop("persistence_per_year")
    (old / "cba.json").write_text(json.dumps(body))
    files.seal(old, "compare", list(json.loads((old / files.SEAL).read_text())["files"]))
    with pytest.raises(report.ReportError, match="older journeysim"):
        report.load(old)


def test_report_refuses_an_appraisal_gross_of_displacement(comparison, tmp_path):
    old = tmp_path / "gross"
    shutil.copytree(comparison, old)
    body = json.loads((old / "cba.json").read_text())
    del body["settings"]["displacement"]
    (old / "cba.json").write_text(json.dumps(body))
    files.seal(old, "compare", list(json.loads((old / files.SEAL).read_text())["files"]))
    with pytest.raises(report.ReportError, match="none net of displacement"):
        report.load(old)


def test_money_reads_like_a_sentence():
    assert tables.money(-846389.4) == "−£846,389"
    assert tables.money(1_234_567) == "£1.2m" and tables.money(-12_500_000) == "−£12.5m"
    assert tables.money(999_999.4) == "£999,999" and tables.money(None) == "n/a"
    ranges = pd.DataFrame({"parameter": ["a", "b"], "low": [0.0, 1.0], "high": [1.0, 2.0],
                           "npv_society_low": [-5.0, 10.0], "npv_society_high": [95.0, 30.0],
                           "npv_society_swing": [100.0, 20.0]})
    assert tables.top_driver(ranges.iloc[::-1]) == (
        "The result depends most on a: it moves the society NPV by £100, from −£5 at 0 to "
        "£95 at 1, so whether the NPV is positive turns on it.")


def test_report_of_a_single_run(single_run):
    page = (single_run / "page.html").read_text(encoding="utf-8")
    assert page.count("<figure id=") == len(FIGURES)  # no appraisal, no partner figure
    assert "<p class='banner'>Only 1 replication: too few to quote. One run has no interval" in (
        page)
    assert "Differs from fragmented in:" in page
    assert "Off-flow by week 13" in page
    assert (single_run / "figures" / "journeys.svg").exists()


def test_report_refuses_a_directory_of_something_else(tmp_path):
    result = CliRunner().invoke(main, ["report", str(tmp_path)])
    assert result.exit_code != 0 and "neither a run" in result.output


def test_profiles_agree_with_the_headline_measures(comparison):
    summary = json.loads((comparison / "summary.json").read_text())
    table = {(r["scenario"], r["measure"]): r for r in summary["table"]}
    for path in sorted((comparison / "runs").glob("*.json")):
        run = json.loads(path.read_text())
        profile = run["profile"]
        assert profile["survival"][13] == pytest.approx(1 - run["off_flow_13w"], abs=1e-9)
        assert profile["returns"][-1] == pytest.approx(run["cycling_rate"], abs=1e-9)
        claimants = sum(profile["spells"].values())
        assert sum(profile["flow"].values()) == claimants
        assert sum(s["claimants"] for s in profile["segments"].values()) == claimants
        assert np.all(np.diff(profile["survival"]) <= 1e-12)  # still claiming never rises
        assert np.all(np.diff(profile["returns"]) >= -1e-12)
    assert (table["codesign-hub", "off_flow_13w"]["replications"]) == 2


def test_the_cost_figure_shows_the_numbers_of_the_cost_table(comparison):
    """The figure's bars are the headline table's means, labelled as the table writes them."""
    results = report.load(comparison)
    steps = report.waterfall_steps(results)["codesign-hub"]
    table = results.table.set_index(["scenario", "measure"])
    base, mine = (table.at[(name, "cost_total"), "mean"] for name in ("fragmented",
                                                                        "codesign-hub"))
    difference = table.at[("codesign-hub", "cost_total"), "difference"]
    assert steps[0] == plots.Step("fragmented", base, total=True)
    assert steps[3] == plots.Step("codesign-hub", mine, total=True)
    assert base + steps[1].gbp + steps[2].gbp == pytest.approx(mine)
    assert mine - base == pytest.approx(difference)
    assert steps[4].label.startswith("fiscal return") and steps[4].gbp <= 0
    assert steps[5].total and steps[5].gbp == pytest.approx(mine + steps[4].gbp)
    drawn = {t.get_text() for t in plots.waterfall_figure({"codesign-hub": steps}).findobj(Text)}
    sign = "+" if round(difference) > 0 else ""
    assert f"{tables.cell(mine, 'GBP', 0)}\n({sign}{tables.cell(difference, 'GBP', 0)})" in drawn
    page = (comparison / "report.html").read_text(encoding="utf-8")
    half = table.at[("codesign-hub", "cost_total"), "difference_half_width"]
    assert f"<td>{tables.cell(difference, 'GBP', 0, half, difference=True)}</td>" in page


def test_the_report_names_every_unit_and_shows_displacement(comparison):
    page = (comparison / "report.html").read_text(encoding="utf-8")
    headline = page[page.index("<h2>Headline measures</h2>"):]
    headline = headline[:headline.index("</table>")]
    assert "<th>Median claim (new claims), weeks</th>" in headline
    row = headline[headline.index("Share of extra job starts taken from other searchers"):]
    cells = re.findall(r"<td>([^<]*)</td>", row[:row.index("</tr>")])
    assert cells[0] == "n/a" and cells[1].endswith("%") and cells[2] == "", cells


def test_the_report_shows_the_impacts_on_the_treated_as_compare_wrote_them(comparison):
    page = (comparison / "report.html").read_text(encoding="utf-8")
    section = page[page.index("Impacts on the people each service treated"):]
    section = section[:section.index("</table>")]
    written = pd.read_csv(comparison / "impacts.csv")
    hub = written[(written.service == "hub") & (written.outcome == "in_work")
                  & (written.weeks == 26)].iloc[0]
    assert "<th>codesign-hub</th><th>hub</th><th>in work</th>" in section
    assert tables.cell(hub.impact, "share", 1, hub.impact_half_width, difference=True) in section


def test_a_report_says_when_its_numbers_are_too_few_to_quote(comparison, tmp_path):
    page = (comparison / "report.html").read_text(encoding="utf-8")
    assert "<p class='banner'>Only 2 replications: too few to quote." in page
    results = report.load(uncertainty_folder(tmp_path))
    warned = report.banners(results)
    assert len(warned) == 1 and warned[0].startswith("64 draws for 24 uncertain parameters")
    results.settings.update(draws=4, parameters=113)
    warned = report.banners(results)
    assert warned[0].startswith("Only 4 draws: too few to quote") and "113" in warned[1]
    results.settings.update(draws=80)
    assert report.banners(results) == []
    enough = report.Results("compare", ["a", "b"], {}, {"replications": 5}, pd.DataFrame(), {})
    assert report.banners(enough) == []


def test_the_answer_says_what_stands_out_from_the_noise(comparison):
    results = report.load(comparison)
    found = report.findings(results)
    assert [f.measure for f in found] == list(MAIN_DIFFERENCES)
    table = results.table.set_index(["scenario", "measure"])
    off = found[0]
    row = table.loc[("codesign-hub", "off_flow_13w")]
    assert off.mean == row["difference"]
    assert off.low == pytest.approx(row["difference"] - row["difference_half_width"])
    page = (comparison / "report.html").read_text(encoding="utf-8")
    answer = page[page.index("<h2>The answer</h2>"):page.index("<h2>Headline measures</h2>")]
    clear = [f for f in found if f.clear]
    verb = "stands" if len(clear) == 1 else "stand"
    assert f"{len(clear)} of the 5 main differences {verb} out from the run-to-run noise" in (
        answer)
    for f in found:
        shown = f.shown() + (" — stands out" if f.clear else " — could be zero")
        assert f"<td>{shown}</td>" in answer, shown
    assert page.index("<h2>The answer</h2>") < page.index("What was compared, and how")
    stand_in = report.Finding("d", "off_flow_13w", 0.02, -0.01, 0.05)
    assert stand_in.clear is False and stand_in.shown() == "2.0 pts (−1.0 to 5.0 pts)"
    assert report.Finding("d", "cost_total", -5.0, -9.0, -1.0).clear is True


def test_every_figure_is_drawn_at_the_size_the_report_shows_it(comparison, tmp_path):
    """No figure wider than the page (960 px), so none is shrunk; no text under 11 px."""
    for results in (report.load(comparison), report.load(uncertainty_folder(tmp_path))):
        for stem, (_, figure) in report.make_figures(results).items():
            width = int.from_bytes(report.figure_bytes(figure, "png")[16:20], "big")
            assert width <= 960, f"{stem} is {width} px wide"
            smallest = min(t.get_fontsize() for t in figure.findobj(Text)
                           if t.get_text().strip())
            assert smallest * 110 / 72 >= 11, f"{stem} has {smallest} pt text"


def test_routes_rank_the_most_joined_up_service_first():
    events = pd.DataFrame({"person": [1, 1, 2, 2, 3, 4], "event": ["contact"] * 6,
                           "service": [
        "jobcentre", "hub", "jobcentre", "debt_advice", "work_programme", "benefit"]})
    routes = metrics.routes(events, pd.Index([1, 2, 3, 4]))
    assert routes.to_dict() == {1: "hub, budget or outreach", 2: "specialist services",
                                3: "Work Programme", 4: "Jobcentre only"}


def test_trace_draws_a_journey_as_a_picture(tmp_path):
    png = tmp_path / "journey.png"
    result = CliRunner().invoke(main, ["trace", "fragmented", "--person", "226", "--people",
                                       "500", "--weeks", "52", "--png", str(png)])
    assert result.exit_code == 0, result.output
    assert png.read_bytes().startswith(b"\x89PNG") and png.stat().st_size > 10_000


def test_report_renders_in_chromium_with_every_figure_visible(comparison, browser):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((comparison / "report.html").as_uri())
    page.wait_for_load_state("load")
    images = page.locator("figure img")
    assert images.count() == 7
    for i in range(images.count()):
        image = images.nth(i)
        assert image.is_visible()
        natural, shown = image.evaluate(
            "img => [img.complete ? img.naturalWidth : 0, img.clientWidth]")
        assert natural > 300, f"figure {i} did not load"
        assert shown == natural, f"figure {i} is drawn at {natural} px and shown at {shown}"
    assert page.locator("h1").inner_text().startswith("journeysim: fragmented vs codesign-hub")
    # the first screen holds the answer: the warning, the words and the table of differences
    for part in (page.locator("p.banner"), page.locator("p.answer"),
                 page.locator("h2:text('The answer') + p + table")):
        box = part.first.bounding_box()
        assert box and box["y"] + box["height"] <= 800, "the answer is below the fold"
    page.screenshot(path=str(comparison / "report.png"))
    assert errors == []
    page.close()


DESIGNS = ("codesign-hub", "codesign-full")
#: A synthetic uncertainty analysis's differences: measure -> (mean, low, high) for both designs.
DIFFERENCES = {"off_flow_13w": (0.034, 0.010, 0.060), "sustained_job_rate": (0.012, -0.004, 0.03),
               "cost_total": (-350_000.0, -900_000.0, 250_000.0),
               "npv_society": (1_200_000.0, -400_000.0, 2_900_000.0),
               "npv_exchequer": (-200_000.0, -700_000.0, 300_000.0),
               "bcr_society": (1.4, float("nan"), float("nan"))}
#: Drivers in the order of their first-order share: the sixth must not be listed.
DRIVERS = ("hub.engagement", "services.*.effect", "calibration", "outreach.take_up",
           "hub.capacity", "sixth.driver", "seventh.driver")


def uncertainty_folder(directory: Path) -> Path:
    """A small uncertainty folder, as ``journeysim uncertainty`` writes it, sealed."""
    rows = [{"scenario": s, "kind": "level", "measure": "off_flow_13w", "mean": 0.40,
             "low": 0.36, "high": 0.44, "mc_low": 0.39, "mc_high": 0.41}
            for s in ("fragmented", *DESIGNS)]
    rows += [{"scenario": design, "kind": "difference", "measure": measure, "mean": mean,
              "low": low, "high": high, "mc_low": mean - 0.1 * abs(mean),
              "mc_high": mean + 0.1 * abs(mean)}
             for design in DESIGNS for measure, (mean, low, high) in DIFFERENCES.items()]
    pd.DataFrame(rows).to_csv(directory / "uncertainty.csv", index=False)
    nan = float("nan")
    pd.DataFrame([{"scenario": design, "measure": measure, "parameter": parameter,
                   "first_order": 0.5 / (rank + 1), "first_order_conf": nan, "total": nan,
                   "total_conf": nan, "method": "rank regression"}
                  for design in DESIGNS for measure in list(DIFFERENCES)[:5]
                  for rank, parameter in reversed(list(enumerate(DRIVERS)))]
                 ).to_csv(directory / "drivers.csv", index=False)
    curve = [{"willingness_to_pay": w, "probability": min(w / 50_000, 1.0)}
             for w in range(0, 100_001, 10_000)]
    designs = {design: {"p_npv_society_positive": 0.873, "p_npv_exchequer_positive": 0.21,
                        "bcr_society": {"mean": 1.5, "median": 1.42, "low": 0.61,
                                        "high": 2.95, "p_above_one": 0.8},
                        "acceptability": curve} for design in DESIGNS}
    designs[DESIGNS[1]]["bcr_society"] = {"mean": None, "median": None, "low": None,
                                          "high": None, "p_above_one": None}
    settings = {"baseline": "fragmented", "designs": list(DESIGNS), "draws": 64, "reps": 2,
                "people": 300, "weeks": 52, "seed": 1, "design": "lhs",
                "drivers_method": "rank regression", "chance_level": 0.016,
                "parameters": 24, "version": "test"}
    (directory / "uncertainty.json").write_text(json.dumps({"settings": settings,
                                                            "designs": designs}))
    (directory / "manifest.json").write_text("{}")
    files.seal(directory, "uncertainty", ["uncertainty.csv", "drivers.csv",
                                          "uncertainty.json", "manifest.json"])
    return directory


def test_report_of_an_uncertainty_analysis(tmp_path):
    page_path, written = report.write_report(uncertainty_folder(tmp_path))
    page = page_path.read_text(encoding="utf-8")
    assert {path.name for path in written} == {f"{stem}.{kind}" for kind in ("png", "svg")
                                               for stem in ("intervals", "drivers",
                                                            "acceptability")}
    assert page.count("<figure id=") == 3 and "http" not in page
    for text in (*DESIGNS, "fragmented",
                 "<td>3.4 pts</td><td>1.0 to 6.0 pts</td><td>3.1 to 3.7 pts</td>",
                 "<td>−£350,000</td><td>−£900,000 to £250,000</td>",
                 "87%", "21%", "<td>1.42</td><td>0.61 to 2.95</td>", "1. hub.engagement",
                 "5. hub.capacity", "from a rank regression", "more than 1.6% one time in twenty",
                 "simulation noise only", "40.0% (36.0 to 44.0%)"):
        assert text in page, text
    assert "sixth.driver" not in page, "only the five largest drivers are listed"
    assert "not how uncertain the assumptions are" not in page


def test_uncertainty_figures_draw_every_measure_driver_and_design(tmp_path):
    results = report.load(uncertainty_folder(tmp_path))
    intervals = plots.uncertainty_intervals_figure(results.uncertainty)
    assert len(intervals.axes) == 5, "one panel per main difference, the ratio left out"
    tornado = plots.drivers_figure(results.drivers, 0.016, top=4)
    assert len(tornado.axes) == 2 * 5
    assert [t.get_text() for t in tornado.axes[0].get_yticklabels()] == list(DRIVERS[:4])
    sobol = results.drivers.assign(total=results.drivers.first_order + 0.05, total_conf=0.01,
                                   method="sobol")
    assert len(plots.drivers_figure(sobol, None, top=3).axes[0].patches) == 2 * 3, (
        "a total index beside each first-order share")
    curves = plots.acceptability_figure(results.uncertainty_json["designs"])
    drawn = [line for line in curves.axes[0].get_lines()
             if not line.get_label().startswith("_")]
    assert [line.get_label() for line in drawn] == list(DESIGNS)
    assert len({str(line.get_linestyle()) for line in drawn}) == 2


def test_report_refuses_an_unsealed_or_other_uncertainty_folder(tmp_path):
    directory = uncertainty_folder(tmp_path)
    files.seal(directory, "sweep", ["uncertainty.csv"])
    with pytest.raises(report.ReportError, match="an uncertainty folder"):
        report.load(directory)
    (directory / files.SEAL).unlink()
    with pytest.raises(report.ReportError, match="not a complete result"):
        report.load(directory)
    pd.read_csv(directory / "drivers.csv").drop(columns="method").to_csv(
        directory / "drivers.csv", index=False)
    files.seal(directory, "uncertainty", ["uncertainty.csv", "drivers.csv",
                                          "uncertainty.json"])
    with pytest.raises(report.ReportError, match="lacks the column.*method"):
        report.load(directory)


def test_a_band_leaves_out_missing_cells_and_a_week_no_replication_reached_quietly():
    import warnings

    import numpy as np
    from scipy import stats

    from journeysim.present.plots import band

    rows = np.array([[0.1, 0.4, np.nan], [0.3, np.nan, np.nan], [0.2, 0.6, np.nan]])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        mean, low, high = band(rows)
    assert mean[:2] == pytest.approx([0.2, 0.5])
    half = stats.t.ppf(0.975, 2) * 0.1 / np.sqrt(3)  # column 0: sd 0.1 over 3 rows
    assert (high[0] - mean[0], mean[0] - low[0]) == pytest.approx((half, half))
    assert np.isnan(mean[2]) and np.isnan(low[2]) and np.isnan(high[2])
