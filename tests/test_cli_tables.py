"""The ``table``, ``derive``, ``presets`` and ``plot`` commands.

A few tests run ``python -m powergames`` in a subprocess, end to end; the others call
:func:`powergames.cli.main` in this process, where the closed forms are derived once
(each new process spends seconds deriving them).
"""

from __future__ import annotations

import csv
import io
import json
import sys

import pytest
from cli_calls import call, run

from powergames.partnership import PRESETS, REGIMES, derive, load_preset

PRESET = "partnership-1990s"
TITLE = load_preset(PRESET).title
GRID = ["--grid", "discount_factor=0.2:0.8:4", "--grid", "inherited_weight=0.5:0.9:3"]
HEADER = "discount_factor,inherited_weight,regime,dilution,weight,critical_discount_factor,surplus"


def rows(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


# ------------------------------------------------------------------------ table
def test_table_markdown_end_to_end():
    result = run(
        "table",
        "--preset",
        PRESET,
        "--grid",
        "discount_factor=0.2:0.8:3",
        "--grid",
        "inherited_weight=0.5,0.9",
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == TITLE and lines[1] == ""
    assert lines[2] == "| " + HEADER.replace(",", " | ") + " |"
    assert lines[3].startswith("|---:|---:|:---|")
    assert len(lines) == 4 + 3 * 2
    assert "| 0.5 | 0.9 | partnership | 0.0566265 | 0.843373 | 0.254902 | 8.3 |" in lines


def test_table_csv_has_a_row_per_grid_point(capsys):
    status, out, _ = call(capsys, "table", "--preset", PRESET, *GRID, "--format", "csv")
    assert status == 0
    table = rows(out)
    assert ",".join(table[0]) == HEADER
    assert len(table) == 1 + 4 * 3
    points = [(float(r[0]), float(r[1])) for r in table[1:]]
    assert len(set(points)) == 12
    assert points[:3] == [(0.2, 0.5), (0.2, 0.7), (0.2, 0.9)]  # the last grid varies fastest


def test_table_json(capsys):
    status, out, _ = call(capsys, "table", "--preset", PRESET, *GRID, "--format", "json")
    assert status == 0
    document = json.loads(out)
    assert document["title"] == TITLE
    assert [c["name"] for c in document["columns"]] == HEADER.split(",")
    assert len(document["rows"]) == 12
    assert set(r["regime"] for r in document["rows"]) <= set(REGIMES)


def test_table_latex(capsys):
    status, out, _ = call(capsys, "table", "--preset", PRESET, *GRID, "--format", "latex")
    assert status == 0
    assert r"\toprule" in out and r"\bottomrule" in out
    assert r"discount\_factor & inherited\_weight & regime" in out
    assert out.count(r" \\") == 1 + 1 + 12  # header, units, rows
    assert not out.startswith(TITLE)  # the title only as the caption
    assert rf"\caption{{{TITLE}}}" in out


def test_the_presets_own_grid_by_default(capsys):
    status, out, _ = call(capsys, "table", "--preset", PRESET, "--format", "csv")
    assert status == 0
    assert len(rows(out)) == 1 + 16 * 10  # [grid] of partnership-1990s


def test_a_single_row_without_any_grid(capsys):
    status, out, _ = call(capsys, "table", "--preset", "collaboration-1970s", "--format", "csv")
    assert status == 0
    assert rows(out) == [
        ["regime", "dilution", "weight", "critical_discount_factor", "surplus"],
        ["collaboration", "0.22454707797788231", "0.65625", "0.0", "12.8"],
    ]


def test_a_scenario_file_and_its_grid(capsys, tmp_path):
    path = tmp_path / "patient.toml"
    path.write_text(
        '[scenario]\nname = "patient"\ntitle = "Patient"\n[parameters]\ndiscount_factor = 0.8\n'
        "[grid]\nshared_paradigm = [0, 0.5, 1]\n",
        encoding="utf-8",
    )
    status, out, _ = call(capsys, "table", "--scenario", str(path), "--columns", "regime")
    assert status == 0
    assert out.splitlines()[0] == "Patient"
    assert "| shared_paradigm | regime |" in out and out.count("\n| ") == 4


def test_pivot(capsys):
    status, out, _ = call(
        capsys,
        "table",
        "--preset",
        PRESET,
        *GRID,
        "--pivot",
        "discount_factor,inherited_weight,regime",
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == TITLE
    assert lines[2] == (
        "| discount_factor | inherited_weight=0.5 | inherited_weight=0.7 | inherited_weight=0.9 |"
    )
    assert lines[4] == "| 0.2 | donor-beneficiary | donor-beneficiary | donor-beneficiary |"
    assert len(lines) == 4 + 4


def test_pivot_of_a_column_not_asked_for(capsys):
    status, out, _ = call(
        capsys,
        "table",
        "--preset",
        PRESET,
        *GRID,
        "--columns",
        "regime",
        "--format",
        "csv",
        "--pivot",
        "inherited_weight,discount_factor,dilution",
    )
    assert status == 0
    table = rows(out)
    assert table[0][0] == "inherited_weight" and len(table[0]) == 1 + 4
    assert [r[0] for r in table[1:]] == ["0.5", "0.7", "0.9"]


def test_set_changes_a_parameter_and_the_title(capsys):
    status, out, _ = call(
        capsys,
        "table",
        "--preset",
        PRESET,
        "--grid",
        "discount_factor=0.5,0.9",
        "--set",
        "control_gain=5",
        "--columns",
        "temptation_oci",
    )
    assert status == 0
    lines = out.splitlines()
    assert lines[0] == f"{TITLE} (with control_gain = 5)"
    assert lines[4:] == ["| 0.5 | 4.4 |", "| 0.9 | 4.4 |"]  # T_N = g - phi b = 5 - 0.3 * 2


def test_columns(capsys):
    status, out, _ = call(
        capsys,
        "table",
        "--preset",
        PRESET,
        *GRID,
        "--format",
        "csv",
        "--columns",
        "surplus, regime,window_max",
    )
    assert status == 0
    assert rows(out)[0] == [
        "discount_factor",
        "inherited_weight",
        "surplus",
        "regime",
        "window_max",
    ]


def test_out_streams_to_a_file_and_resumes(capsys, tmp_path):
    path = tmp_path / "table.csv"
    args = ["table", "--preset", PRESET, *GRID, "--out", str(path)]
    status, out, err = call(capsys, *args)
    assert status == 0 and out == ""
    assert err == f"wrote 12 rows to {path}\n"
    written = path.read_bytes()
    table = rows(written.decode())
    assert ",".join(table[0]) == HEADER and len(table) == 13

    # Complete: nothing to resume; not replaced unless asked.
    status, out, err = call(capsys, *args, "--resume")
    assert status == 2 and out == "" and "nothing to resume" in err
    status, out, err = call(capsys, *args)
    assert status == 2 and "exists; use overwrite=True (--force)" in err
    assert path.read_bytes() == written
    status, out, err = call(capsys, *args, "--force")
    assert status == 0 and out == "" and err == f"wrote 12 rows to {path}\n"
    assert path.read_bytes() == written

    # The same rows as printed.
    status, printed, _ = call(capsys, "table", "--preset", PRESET, *GRID, "--format", "csv")
    assert printed.encode() == written


def test_out_as_json_lines(capsys, tmp_path):
    path = tmp_path / "table.jsonl"
    status, _, _ = call(capsys, "table", "--preset", PRESET, *GRID, "--out", str(path))
    assert status == 0
    records = [json.loads(line) for line in path.read_text().splitlines()]
    assert len(records) == 12 and list(records[0]) == HEADER.split(",")


def test_workers_give_the_same_table(capsys):
    # 66,000 points: two chunks of sweep, computed in two processes.
    args = [
        "table",
        "--preset",
        PRESET,
        "--format",
        "csv",
        "--columns",
        "regime,dilution",
        "--grid",
        "discount_factor=0.01:0.99:300",
        "--grid",
        "inherited_weight=0:1:220",
    ]
    status, alone, _ = call(capsys, *args)
    assert status == 0 and len(rows(alone)) == 1 + 66_000
    status, parallel, _ = call(capsys, *args, "--workers", "2")
    assert status == 0
    assert parallel == alone


# ---------------------------------------------------------- derive and presets
def derived(text):
    return {line.split(" = ")[0].split(" (")[0]: line for line in text.splitlines()}


def test_derive_end_to_end():
    result = run("derive", "--preset", PRESET)
    assert result.returncode == 0, result.stderr
    lines = derived(result.stdout)
    assert lines["critical_discount_factor"].endswith(" = 0.254901960784")
    assert lines["surplus"].startswith("surplus (Sigma) = ")
    assert lines["surplus"].endswith(" = 8.3")
    # The repeated game in terms of the stage game's symbols.
    assert lines["ngo_incentive_weight"] == (
        "ngo_incentive_weight (a_max) = Piecewise((1, T_S <= 0), "
        "(1 - T_S*(1 - delta)/(Sigma*delta), True)) = 0.843373493976"
    )
    assert lines["dilution"] == "dilution (d*) = Max(0, a_0 - a_hi) = 0.037423584002"


def test_derive_expanded_writes_the_parameters_alone(capsys):
    status, out, _ = call(capsys, "derive", "--expanded")
    assert status == 0
    lines = derived(out)
    assert set(lines) == set(derive())
    assert "Sigma" not in out and "T_N" not in out and "a_hi" not in out
    assert lines["temptation_oci"] == "temptation_oci = -b*phi + g"


def test_derive_as_latex(capsys):
    status, out, _ = call(capsys, "derive", "--latex")
    assert status == 0
    lines = derived(out)
    assert r"\frac{" in lines["critical_discount_factor"]
    assert lines["temptation_oci"] == r"temptation_oci (T_N) = - b \phi + g"


def test_presets_lists_all_five(capsys):
    status, out, _ = call(capsys, "presets")
    assert status == 0
    lines = out.splitlines()
    assert [line.split()[0] for line in lines] == list(PRESETS)
    for line, name in zip(lines, PRESETS, strict=True):
        preset = load_preset(name)
        assert line.split()[1] == preset.expected_regime and line.endswith(preset.title)


# --------------------------------------------------------------------------- plot
def test_plot_writes_a_png_end_to_end(tmp_path):
    path = tmp_path / "map.png"
    result = run(
        "plot",
        "regime-map",
        "--x",
        "discount_factor",
        "--y",
        "inherited_weight",
        "--preset",
        PRESET,
        "--resolution",
        "60",
        "--out",
        str(path),
    )
    assert result.returncode == 0, result.stderr
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.stdout == "" and result.stderr == f"wrote {path}\n"


def test_plot_with_a_grid_and_set(capsys, tmp_path):
    pytest.importorskip("matplotlib")
    path = tmp_path / "map.svg"
    status, _, err = call(
        capsys,
        "plot",
        "regime-map",
        "--x",
        "shared_paradigm",
        "--y",
        "discount_factor",
        "--grid",
        "discount_factor=0.05:0.6:30",
        "--grid",
        "shared_paradigm=0,0.5,1",
        "--set",
        "control_gain=3",
        "--out",
        str(path),
    )
    assert status == 0, err
    svg = path.read_text()
    assert svg.lstrip().startswith("<?xml") and "control_gain = 3" in svg


def test_plot_without_matplotlib(capsys, monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    status, out, err = call(
        capsys,
        "plot",
        "regime-map",
        "--x",
        "discount_factor",
        "--y",
        "inherited_weight",
        "--out",
        str(tmp_path / "map.png"),
    )
    assert status == 2 and out == ""
    assert err == (
        "powergames: error: the plot command needs matplotlib: pip install 'powergames[plot]'\n"
    )
    assert not (tmp_path / "map.png").exists()


# ------------------------------------------------------------------------- errors
def test_an_error_end_to_end():
    result = run("table", "--preset", "nowhere")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.startswith("powergames: error: unknown preset 'nowhere'")
    assert len(result.stderr.splitlines()) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["table", "--preset", "nowhere"], "unknown preset 'nowhere'"),
        (["table", "--preset", PRESET, "--grid", "discount_factor=0:1"], "start:stop:num"),
        (["table", "--preset", PRESET, "--grid", "discount_factor=0:1:3"], "must be in [0, 1)"),
        (["table", "--preset", PRESET, "--grid", "gain=0:1:3"], "unknown parameter 'gain'"),
        (["table", "--preset", PRESET, "--grid", "discount_factor"], "NAME=VALUE"),
        (["table", "--preset", PRESET, "--set", "control_gain=much"], "must be a number"),
        (["table", "--preset", PRESET, "--set", "control_gain=-1"], "control_gain (g) must be"),
        (["table", "--preset", PRESET, "--set", "gain=1"], "unknown parameter 'gain'"),
        (["table", "--scenario", "missing.toml"], "No such file"),
        (["table", "--preset", PRESET, "--resume"], "--resume needs --out"),
        (["table", "--preset", PRESET, "--out", "table.txt"], ".csv or .jsonl"),
        (["table", "--preset", PRESET, "--out", "t.csv", "--pivot", "a,b,c"], "--pivot"),
        (["table", "--preset", PRESET, "--pivot", "a,b"], "ROW,COLUMN,VALUE"),
        (["table", "--preset", PRESET, "--pivot", "regime,colour,surplus"], "no column 'colour'"),
        (["table", "--preset", PRESET, "--workers", "0"], "--workers"),
        (["table", "--preset", PRESET, "--format", "xml"], "invalid choice"),
        (["table"], "--preset"),
        (["derive", "--preset", "nowhere"], "unknown preset"),
        (
            [
                "plot",
                "regime-map",
                "--x",
                "discount_factor",
                "--y",
                "discount_factor",
                "--out",
                "m.png",
            ],
            "two different parameters",
        ),
        (
            ["plot", "regime-map", "--x", "discount_factor", "--y", "gain", "--out", "m.png"],
            "unknown parameter 'gain'",
        ),
        (
            [
                "plot",
                "regime-map",
                "--x",
                "discount_factor",
                "--y",
                "inherited_weight",
                "--grid",
                "transfer_floor=0:1:3",
                "--out",
                "m.png",
            ],
            "a map's grids are its axes",
        ),
        (
            [
                "plot",
                "regime-map",
                "--x",
                "discount_factor",
                "--y",
                "inherited_weight",
                "--out",
                "m.unknown",
            ],
            "the file name must end in",
        ),
        (["plot", "regime-map", "--x", "discount_factor", "--out", "m.png"], "--y"),
        (["nothing"], "invalid choice"),
    ],
)
def test_errors_print_one_line_and_exit_2(capsys, args, message):
    status, out, err = call(capsys, *args)
    assert status == 2 and out == ""
    assert err.startswith("powergames: error:") and len(err.splitlines()) == 1
    assert message in err


def test_invalid_toml_names_the_file_and_line(capsys, tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text('[scenario]\nname = "broken"\n[parameters]\ncontrol_gain = = 2\n')
    status, _, err = call(capsys, "table", "--scenario", str(path))
    assert status == 2 and len(err.splitlines()) == 1
    assert "broken.toml" in err and "invalid TOML at line 4" in err


# --------------------------------------------------------------------------- help
def test_help_end_to_end():
    result = run("--help")
    assert result.returncode == 0
    for command in ("solve", "table", "derive", "presets", "plot"):
        assert command in result.stdout


@pytest.mark.parametrize(
    ("args", "option"),
    [
        (["table"], "--pivot"),
        (["derive"], "--latex"),
        (["presets"], "usage: powergames presets"),
        (["plot"], "regime-map"),
        (["plot", "regime-map"], "--resolution"),
        (["solve"], "--method"),
    ],
)
def test_help_of_each_command(capsys, args, option):
    status, out, _ = call(capsys, *args, "--help")
    assert status == 0 and option in out
