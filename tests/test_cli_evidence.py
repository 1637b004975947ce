"""The evidence commands: uncertainty, sensitivity and case."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cli_calls import call

from powergames.partnership import load_scenario
from powergames.partnership.evidence import example_path

CASE = """
[scenario]
name = "case"
title = "A coded case"
[parameters]
assertion_cost = 1.5
[ranges]
shared_paradigm = [0, 0.6]
discount_factor = [0.15, 0.7]
control_gain = { distribution = "triangular", low = 1, mode = 2, high = 4 }
"""
CODEBOOK = str(example_path("cooperation-codebook.toml"))
PROJECT = str(example_path("cooperation.qdpx"))


@pytest.fixture
def case_file(tmp_path):
    path = tmp_path / "case.toml"
    path.write_text(CASE, encoding="utf-8")
    return str(path)


def test_uncertainty_prints_the_statement_and_the_tables(capsys, case_file):
    status, out, err = call(capsys, "uncertainty", "--scenario", case_file, "--samples", "512")
    assert status == 0, err
    assert out.startswith("A coded case\n\npartnership in ")
    assert "| regime | share | low | high |" in out and "| critical_discount_factor |" in out


def test_uncertainty_as_json_matches_the_library(capsys, case_file):
    from powergames.partnership.evidence import uncertainty

    status, out, _ = call(
        capsys,
        "uncertainty",
        "--scenario",
        case_file,
        "--samples",
        "256",
        "--seed",
        "3",
        "--format",
        "json",
    )
    assert status == 0
    found = json.loads(out)
    expected = uncertainty(load_scenario(case_file), 256, seed=3).as_dict()
    assert found == json.loads(json.dumps(expected))


def test_uncertainty_streams_draws_and_uses_workers(capsys, case_file, tmp_path):
    out_file, image = tmp_path / "points.csv", tmp_path / "shares.png"
    status, _, err = call(
        capsys,
        "uncertainty",
        "--scenario",
        case_file,
        "--samples",
        "2048",
        "--out",
        str(out_file),
        "--plot",
        str(image),
        "--workers",
        "2",
    )
    assert status == 0, err
    assert len(out_file.read_text().splitlines()) == 2049
    assert image.read_bytes().startswith(b"\x89PNG")


def test_sensitivity_prints_indices_and_draws_them(capsys, case_file, tmp_path):
    pytest.importorskip("SALib")
    image = tmp_path / "sobol.png"
    status, out, err = call(
        capsys,
        "sensitivity",
        "--scenario",
        case_file,
        "--samples",
        "128",
        "--outputs",
        "dilution,regime=passive",
        "--plot",
        str(image),
    )
    assert status == 0, err
    assert "dilution (limit value at" in out and "| parameter | first order | total |" in out
    assert "regime=passive: one value over the whole range, no indices" in out
    assert image.read_bytes().startswith(b"\x89PNG")


def test_sensitivity_without_salib_says_what_to_install(capsys, case_file, monkeypatch):
    monkeypatch.setitem(sys.modules, "SALib", None)
    monkeypatch.setitem(sys.modules, "SALib.analyze", None)
    status, _, err = call(capsys, "sensitivity", "--scenario", case_file, "--samples", "64")
    assert status == 2
    assert (
        err
        == "powergames: error: sensitivity analysis needs SALib: pip install 'powergames[evidence]'\n"
    )


def test_case_reads_a_project_and_a_codebook(capsys, tmp_path):
    status, out, err = call(
        capsys,
        "case",
        "--codebook",
        CODEBOOK,
        "--qdpx",
        PROJECT,
        "--samples",
        "512",
        "--write",
        str(tmp_path),
        "--plot",
        str(tmp_path / "cases.png"),
    )
    assert status == 0, err
    assert (
        "## OCI-1 partners" in out
        and "| funder_conditions | 2 | heavy | control_gain 1.5-3 |" in out
    )
    assert "donor-beneficiary in 100 % of the plausible range" in out
    written = load_scenario(tmp_path / "OCI-2-partners.toml")
    assert written.ranges["control_gain"].low == 3


def test_case_by_source(capsys):
    status, out, _ = call(
        capsys,
        "case",
        "--codebook",
        CODEBOOK,
        "--qdpx",
        PROJECT,
        "--by",
        "source",
        "--samples",
        "64",
    )
    assert status == 0 and out.count("## ") == 6


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["case", "--codebook", CODEBOOK, "--qdpx", PROJECT, "--by", "case"],
            "the project has no cases; try --by set or --by source",
        ),
        (["case", "--codebook", CODEBOOK, "--qdpx", CODEBOOK], "not a REFI-QDA project"),
        (["case", "--codebook", PROJECT, "--qdpx", PROJECT], "not UTF-8 text"),
        (["uncertainty", "--preset", "partnership-1990s", "--samples", "1000"], "power of two"),
        (
            ["uncertainty", "--preset", "partnership-1990s", "--samples", "64", "--plot", "x.txt"],
            "cannot write 'x.txt'",
        ),
        (
            ["sensitivity", "--preset", "partnership-1990s", "--samples", "64"],
            "at least one ranged parameter",
        ),
    ],
)
def test_errors_are_one_line(capsys, args, message):
    status, _, err = call(capsys, *args)
    assert status == 2 and message in err and len(err.strip().splitlines()) == 1, err


@pytest.mark.parametrize("command", ["uncertainty", "sensitivity", "case"])
def test_help_imports_neither_sympy_nor_scipy(command):
    code = (
        "import sys\nfrom powergames.cli import main\n"
        f"try:\n    main([{command!r}, '--help'])\nexcept SystemExit:\n    pass\n"
        "print([m for m in ('sympy', 'scipy', 'SALib', 'defusedxml') if m in sys.modules], file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and result.stderr.strip() == "[]", result.stderr


@pytest.mark.parametrize("command", ["uncertainty", "sensitivity"])
def test_a_figure_without_matplotlib_says_what_to_install(
    capsys, case_file, tmp_path, monkeypatch, command
):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    image = tmp_path / "figure.png"
    status, out, err = call(capsys, command, "--scenario", case_file, "--plot", str(image))
    assert (status, out) == (2, "")
    assert err == "powergames: error: --plot needs matplotlib: pip install 'powergames[plot]'\n"
    assert not image.exists()
