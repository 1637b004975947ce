"""``powergames simulate`` and the dynamic model's figures, end to end."""

from __future__ import annotations

import csv
import io
import json

import pytest
from cli_calls import call, imported_by


def test_simulate_prints_the_history_the_article_tells(capsys):
    status, out, _ = call(
        capsys, "simulate", "--preset", "historical-path", "--periods", "45", "--seed", "1"
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == "From donor-beneficiary to partnership: a path"
    assert lines[2].startswith("| period | era | moral_legitimacy | shared_paradigm | regime |")
    body = [line.split(" | ") for line in lines[4:]]
    assert len(body) == 45
    regimes = [cells[4] for cells in body]
    assert regimes[0] == "donor-beneficiary" and regimes[10] == "collaboration"
    assert regimes[30] == "partnership"


def test_simulate_as_csv_with_chosen_columns(capsys):
    status, out, _ = call(
        capsys,
        "simulate",
        "--preset",
        "historical-path",
        "--periods",
        "12",
        "--format",
        "csv",
        "--columns",
        "period,era,regime,transfer",
    )
    assert status == 0
    table = list(csv.reader(io.StringIO(out)))
    assert table[0] == ["period", "era", "regime", "transfer"]
    assert table[11][1:3] == ["collaboration-1970s-80s", "collaboration"]


@pytest.mark.parametrize("suffix", [".csv", ".json", ".md", ".tex"])
def test_simulate_writes_every_column_to_a_file(capsys, tmp_path, suffix):
    path = tmp_path / f"path{suffix}"
    status, _, err = call(
        capsys, "simulate", "--preset", "historical-path", "--periods", "8", "--out", str(path)
    )
    assert status == 0 and f"wrote 8 periods to {path}" in err
    text = path.read_text(encoding="utf-8")
    assert "survival" in text and "binding" in text  # LaTeX escapes the underscores
    if suffix == ".json":
        assert json.loads(text)["columns"][0]["name"] == "period"


def test_drawn_eras_are_the_same_for_the_same_seed(capsys):
    args = (
        "simulate",
        "--preset",
        "historical-path",
        "--periods",
        "40",
        "--draw-eras",
        "--format",
        "csv",
    )
    first = call(capsys, *args, "--seed", "5")[1]
    again = call(capsys, *args, "--seed", "5")[1]
    assert first == again
    assert any(call(capsys, *args, "--seed", str(s))[1] != first for s in range(6, 10))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate", "--preset", "historical"], "did you mean 'historical-path'"),
        (["simulate", "--preset", "historical-path", "--out", "x.txt"], "must end in"),
        (
            ["simulate", "--preset", "historical-path", "--out", "x.csv", "--format", "csv"],
            "apply to printed",
        ),
        (
            ["simulate", "--preset", "historical-path", "--columns", "regim"],
            "did you mean 'regime'",
        ),
        (["simulate", "--preset", "historical-path", "--periods", "0"], "--periods"),
        (["simulate", "--scenario", "nowhere.toml"], "cannot read"),
        (
            ["plot", "trajectory", "--preset", "historical-path", "--out", "t.unknown"],
            "must end in",
        ),
    ],
)
def test_errors_print_one_line_and_exit_2(capsys, args, message):
    status, out, err = call(capsys, *args)
    assert status == 2 and out == ""
    assert err.startswith("powergames: error:") and len(err.splitlines()) == 1
    assert message in err


@pytest.mark.parametrize(
    ("figure", "extra"), [("trajectory", []), ("policy-map", []), ("policy-map", ["--no-path"])]
)
def test_the_figures_are_written(capsys, tmp_path, figure, extra):
    pytest.importorskip("matplotlib")
    path = tmp_path / "figure.png"
    status, _, err = call(
        capsys,
        "plot",
        figure,
        "--preset",
        "historical-path",
        "--periods",
        "45",
        "--seed",
        "1",
        *extra,
        "--out",
        str(path),
    )
    assert status == 0 and f"wrote {path}" in err
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    "args",
    [["simulate", "--help"], ["plot", "trajectory", "--help"], ["plot", "policy-map", "--help"]],
)
def test_help_imports_neither_sympy_nor_scipy(args):
    assert imported_by(args, ("sympy", "scipy", "powergames.partnership.dynamics")) == []


def test_simulate_a_scenario_file(capsys, tmp_path):
    path = tmp_path / "two-eras.toml"
    path.write_text(
        '[scenario]\nname = "two-eras"\ntitle = "Two eras"\n[dynamics]\nrate = 0.1\nhazard = 0.3\n'
        '[grid]\nmoral_legitimacy = "0:2:3"\nshared_paradigm = "0:1:2"\n[calendar]\nfirst = 2\nsecond = 1\n'
        '[[eras]]\nname = "first"\nstay = 0.5\n[[eras]]\nname = "second"\n',
        encoding="utf-8",
    )
    status, out, _ = call(
        capsys,
        "simulate",
        "--scenario",
        str(path),
        "--periods",
        "4",
        "--format",
        "csv",
        "--columns",
        "period,era",
    )
    assert status == 0
    assert out.splitlines() == ["period,era", "0,first", "1,first", "2,second", "3,second"]
