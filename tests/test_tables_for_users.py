"""What users see: column names as on the command line, suggestions for mistyped
names, columns listed by group, cells that display well, xarray datasets, the
version, shell completion and a fast ``--help``."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from cli_calls import call, imported_by
from hypothesis import given
from hypothesis import strategies as st
from toy_model import GRID, Toy

from powergames import InvalidParameterError
from powergames.partnership import Parameters
from powergames.tables import Column, Grid, Table, list_columns, sweep
from powergames.tables.partnership import COLUMNS, PartnershipModel

PRESET = "partnership-1990s"


# ------------------------------------------------------------------ columns
def test_columns_as_one_comma_separated_string():
    grid = {"discount_factor": [0.2, 0.5]}
    by_string = sweep(Parameters(), grid, "regime, dilution")
    assert by_string.names == ("discount_factor", "regime", "dilution")
    assert by_string.to_csv() == sweep(Parameters(), grid, ["regime", "dilution"]).to_csv()
    for bad in ("regime,,dilution", "", ","):
        with pytest.raises(InvalidParameterError, match="non-empty names"):
            sweep(Parameters(), grid, bad)


def test_unknown_columns_get_a_suggestion_and_the_columns_by_group():
    with pytest.raises(InvalidParameterError) as error:
        sweep(Parameters(), {"discount_factor": [0.5]}, "regime,dilutoin")
    lines = str(error.value).splitlines()
    assert lines[0].startswith("unknown column(s) dilutoin (did you mean dilution?)")
    groups = {line.split(":")[0].strip(): line for line in lines[1:]}
    assert set(groups) == {
        "parameters",
        "the stage game",
        "the window of admissible weights",
        "the settlement",
        "the outcome",
    }
    assert "dilution" in groups["the settlement"]
    listed = sorted(n.strip() for line in lines[1:] for n in line.split(":", 1)[1].split(","))
    assert listed == sorted(PartnershipModel().columns)


def test_unknown_grid_parameters_get_a_suggestion():
    with pytest.raises(
        InvalidParameterError, match=r"discount_factr \(did you mean discount_factor"
    ):
        sweep(Parameters(), {"discount_factr": [0.5]})


def test_every_partnership_column_has_a_group():
    assert all(c.group for c in COLUMNS.values())
    assert all(
        c.group == "parameters"
        for c in PartnershipModel().columns.values()
        if c.name not in COLUMNS
    )


def test_the_json_of_a_column_has_its_group_only_when_it_has_one():
    assert Column("x").metadata() == {"name": "x", "unit": "", "meaning": ""}
    assert Column("x", group="g").metadata()["group"] == "g"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["table", "--preset", PRESET, "--format", "markdwon"], "did you mean 'markdown'?"),
        (["table", "--preset", "partnership-1990"], "did you mean 'partnership-1990s'?"),
        (
            ["table", "--preset", PRESET, "--grid", "discount_factr=0:0.5:3"],
            "did you mean 'discount_factor'?",
        ),
        (["table", "--preset", PRESET, "--set", "control_gian=1"], "did you mean 'control_gain'?"),
        (["solve", "--example", "partnership"], "did you mean 'partnership-baseline'?"),
        (
            ["solve", "--example", "partnership-baseline", "--method", "suport"],
            "did you mean 'support'?",
        ),
        (["tabel"], "did you mean 'table'?"),
    ],
)
def test_mistyped_choices_get_a_suggestion(capsys, args, message):
    status, out, err = call(capsys, *args)
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert message in err


def test_an_unknown_column_on_the_command_line(capsys):
    status, out, err = call(capsys, "table", "--preset", PRESET, "--columns", "regime,colour")
    assert status == 2 and out == ""
    first, *groups = err.splitlines()
    assert first.startswith("powergames: error: unknown column(s) colour; the columns, by group:")
    assert any(line.startswith("  the settlement: weight, dilution") for line in groups)


def test_table_help_lists_the_columns_by_group_one_per_line(capsys):
    status, out, _ = call(capsys, "table", "--help")
    assert status == 0
    listing = out[out.index("columns, by group") :].splitlines()[1:]
    assert "the settlement:" in listing
    lines = {line.split(":")[0].split(" [")[0].strip() for line in listing if line.startswith("  ")}
    assert lines == set(COLUMNS)


# ---------------------------------------------------------------- display
def test_markdown_escapes_pipes_and_shows_nan_zero_and_round_off():
    table = Table({"label": ["a|b", "c"], "x": [np.nan, -0.0], "y": [8.0, -3.08149e-33]})
    assert table.to_markdown().splitlines()[2:] == ["| a\\|b | nan | 8 |", "| c | 0 | 0 |"]
    # Small values that are the column's scale are not round-off.
    assert Table({"y": [1e-30, -2e-30]}).to_markdown().splitlines()[2:] == [
        "| 1e-30 |",
        "| -2e-30 |",
    ]
    latex = Table({"y": [8.0, -3.08149e-33, -0.0]}).to_latex()
    assert "8 \\\\\n0 \\\\\n0 \\\\" in latex


@given(st.lists(st.text(alphabet=st.characters(), max_size=8), min_size=1, max_size=5))
def test_a_markdown_row_has_one_cell_per_column_whatever_the_text(texts):
    table = Table({f"c{k}": [t] for k, t in enumerate(texts)})
    lines = table.to_markdown().split("\n")  # Markdown's line breaks: \n, \r\n, \r
    assert len(lines) == 3 and not any("\r" in line for line in lines)
    row = lines[2]
    unescaped = row.replace("\\|", "")
    assert unescaped.count("|") == len(texts) + 1


def test_round_off_is_cleaned_at_display_only():
    table = Table({"y": [8.0, -3.08149e-33]})
    assert table["y"][1] == -3.08149e-33 and "-3.08149e-33" in table.to_csv()


# ------------------------------------------------------------------ xarray
def test_a_gridded_sweep_as_an_xarray_dataset():
    xr = pytest.importorskip("xarray")
    grid = {"discount_factor": [0.2, 0.5, 0.8], "inherited_weight": [0.6, 0.9]}
    table = sweep(Parameters(), grid, ["regime", "dilution"])
    data = table.to_xarray()
    assert isinstance(data, xr.Dataset)
    assert data["dilution"].dims == ("discount_factor", "inherited_weight")
    assert data["dilution"].shape == (3, 2)
    assert data["discount_factor"].values.tolist() == [0.2, 0.5, 0.8]
    for row in table:
        point = data.sel(
            discount_factor=row["discount_factor"], inherited_weight=row["inherited_weight"]
        )
        assert point["regime"].item() == row["regime"]
        assert point["dilution"].item() == pytest.approx(row["dilution"], nan_ok=True)
    assert data["dilution"].attrs["unit"] == "weight"
    assert "dilutes" in data["dilution"].attrs["meaning"]
    assert data["dilution"].attrs["group"] == "the settlement"


def test_zipped_and_streamed_sweeps_as_xarray(tmp_path):
    pytest.importorskip("xarray")
    zipped = sweep(Toy(), {"x": [0.1, 0.9], "z": [1.0, 2.0]}, ["y"], product=False).to_xarray()
    assert zipped["y"].dims == ("point",) and zipped["z"].values.tolist() == [1.0, 2.0]
    streamed = sweep(Toy(), GRID, ["y"], out=tmp_path / "t.csv").to_xarray()
    assert streamed["y"].shape == (83, 5)
    assert streamed["y"].values[3, 1] == 2.0 * GRID["x"][3] + GRID["z"][1] / 3


def test_to_xarray_needs_every_row_of_a_gridded_sweep():
    pytest.importorskip("xarray")
    table = sweep(Toy(), GRID, ["y"])
    assert table.select("y").to_xarray()["y"].shape == (83, 5)
    for changed in (table.filter(table["y"] > 0), table.sort("y"), Table({"y": [1.0]})):
        with pytest.raises(InvalidParameterError, match="gridded sweep"):
            changed.to_xarray()
    assert Grid(GRID).shape == (83, 5)


# ----------------------------------------------- version, completion, --help
def test_version(capsys):
    from powergames import __version__

    status, out, _ = call(capsys, "--version")
    assert status == 0 and out == f"powergames {__version__}\n"


def test_completion_scripts(capsys):
    pytest.importorskip("shtab")
    status, out, _ = call(capsys, "completion", "bash")
    assert status == 0 and "powergames" in out and "--preset" in out and "regime-map" in out
    status, out, _ = call(capsys, "completion", "zsh")
    assert status == 0 and out.startswith("#compdef powergames")


def test_completion_without_shtab(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "shtab", None)
    status, out, err = call(capsys, "completion", "bash")
    assert status == 2 and out == ""
    assert (
        err
        == "powergames: error: shell completion needs shtab: pip install 'powergames[completion]'\n"
    )


@pytest.mark.parametrize("args", [["--help"], ["table", "--help"], ["--version"]])
def test_help_imports_neither_sympy_nor_scipy(args):
    assert (
        imported_by(
            args, ("sympy", "scipy", "scipy.optimize", "powergames.partnership.closed_forms")
        )
        == []
    )


def test_list_columns_details():
    text = list_columns([Column("a", "u", "m", "g"), Column("b")], detailed=True)
    assert text.splitlines() == ["g:", "  a [u]: m", "other:", "  b"]
