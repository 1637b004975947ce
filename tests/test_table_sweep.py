"""Tables and sweeps: exports, transformations, equality with the point-by-point
analysis, executors, streaming and resuming."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from powergames import InvalidParameterError
from powergames.partnership import Parameters, analyse, load_preset
from powergames.tables import Column, Table, grid_points, sweep
from powergames.tables.partnership import COLUMNS, PartnershipModel

ALL = list(COLUMNS)
GRID = {
    "discount_factor": np.linspace(0.05, 0.95, 7),
    "inherited_weight": np.linspace(0.1, 0.95, 5),
}


# -------------------------------------------------------------------- Table
def small_table():
    return Table(
        {
            "delta": [0.2, 0.5, 0.8],
            "regime": ["breakdown", "partnership", "partnership"],
            "dilution": [np.inf, 0.125, 0.0],
            "ok": [False, True, True],
        },
        [Column("dilution", "weight", "d*")],
        title="example",
    )


def test_csv_round_trip():
    table = small_table()
    text = table.to_csv()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == ["delta", "regime", "dilution", "ok"] and len(rows) == 4
    assert rows[1] == ["0.2", "breakdown", "inf", "False"]


def test_csv_file_round_trip(tmp_path):
    table = small_table()
    table.to_csv(tmp_path / "t.csv")
    back = Table.read_csv(tmp_path / "t.csv")
    for name in table.names:
        assert back[name].tolist() == table[name].tolist()


def test_json_export_has_columns_and_rows():
    document = json.loads(small_table().to_json())
    assert document["title"] == "example"
    assert document["columns"][2] == {"name": "dilution", "unit": "weight", "meaning": "d*"}
    assert document["rows"][0]["dilution"] is None  # infinite: not valid JSON
    assert document["rows"][1] == {
        "delta": 0.5,
        "regime": "partnership",
        "dilution": 0.125,
        "ok": True,
    }


def test_latex_export_uses_booktabs_and_escapes():
    table = Table({"inherited_weight": [0.5], "regime": ["a&b"]}, title="x_1")
    text = table.to_latex(label="t")
    assert r"\toprule" in text and r"\midrule" in text and r"\bottomrule" in text
    assert r"inherited\_weight" in text and r"a\&b" in text and r"\caption{x\_1}" in text
    # An explicit caption is LaTeX, written as given.
    assert r"\caption{$d^*$ by $\delta$}" in table.to_latex(caption=r"$d^*$ by $\delta$")
    assert r"\caption" not in Table({"x": [1]}).to_latex()


@given(st.text(max_size=20))
def test_latex_escaping_typesets_the_text_literally(text):
    from powergames.tables import latex_escape

    escaped = latex_escape(text)
    # Undo the escapes in one left-to-right pass: the original text comes back, so
    # no escape was itself escaped again.
    specials = {
        r"\textbackslash{}": "\\",
        r"\textasciitilde{}": "~",
        r"\textasciicircum{}": "^",
        **{"\\" + c: c for c in "&%$#_{}"},
    }
    out, k = [], 0
    while k < len(escaped):
        for code, char in specials.items():
            if escaped.startswith(code, k):
                out.append(char)
                k += len(code)
                break
        else:
            assert escaped[k] not in "\\&%$#_{}~^", escaped
            out.append(escaped[k])
            k += 1
    assert "".join(out) == text


def test_markdown_and_html_displays():
    table = small_table()
    assert table._repr_markdown_().splitlines()[2] == "| 0.2 | breakdown | inf | False |"
    assert '<th title="d*">dilution</th>' in table._repr_html_()


def test_select_filter_sort():
    table = small_table()
    assert table.select("regime", "delta").names == ("regime", "delta")
    assert table.filter(regime="partnership")["delta"].tolist() == [0.5, 0.8]
    assert table.filter(table["dilution"] < 1)["delta"].tolist() == [0.5, 0.8]
    assert table.sort("dilution")["delta"].tolist() == [0.8, 0.5, 0.2]
    assert table.sort(["regime", "delta"], descending=True)["delta"].tolist() == [0.8, 0.5, 0.2]
    with pytest.raises(InvalidParameterError, match="unknown column"):
        table.select("nope")


@given(
    st.lists(
        st.tuples(st.sampled_from(["a", "b", "c"]), st.integers(0, 3), st.integers()),
        min_size=1,
        max_size=30,
    ),
    st.booleans(),
)
def test_sort_is_a_stable_sort_in_both_directions(rows, descending):
    table = Table({"k1": [r[0] for r in rows], "k2": [r[1] for r in rows], "id": range(len(rows))})
    # Python's sorted is stable with reverse=True as well: the independent oracle.
    expected = sorted(range(len(rows)), key=lambda i: rows[i][:2], reverse=descending)
    assert table.sort(["k1", "k2"], descending=descending)["id"].tolist() == expected


def test_pivot_fills_missing_cells():
    table = Table({"x": [1, 1, 2], "y": [10, 20, 10], "v": [0.5, 1.5, 2.5]})
    pivot = table.pivot("x", "y", "v")
    assert pivot.names == ("x", "y=10", "y=20")
    assert pivot["y=20"].tolist()[0] == 1.5 and np.isnan(pivot["y=20"][1])


def test_ragged_columns_are_refused():
    with pytest.raises(InvalidParameterError, match="equal lengths"):
        Table({"a": [1, 2], "b": [1]})


def test_to_pandas():
    pandas = pytest.importorskip("pandas")
    frame = small_table().to_pandas()
    assert isinstance(frame, pandas.DataFrame) and list(frame.columns) == list(small_table().names)


# -------------------------------------------------------------------- sweep
def test_grid_points_follow_c_order():
    points = grid_points({"x": [1, 2], "y": [10, 20, 30]}, 0, 6)
    assert points["x"].tolist() == [1, 1, 1, 2, 2, 2]
    assert points["y"].tolist() == [10, 20, 30] * 2
    zipped = grid_points({"x": [1, 2], "y": [10, 20]}, 0, 2, product=False)
    assert zipped["y"].tolist() == [10, 20]


@settings(max_examples=15, deadline=None)
@given(
    delta=st.lists(st.floats(0, 0.99), min_size=1, max_size=3),
    weight=st.lists(st.floats(0, 1), min_size=1, max_size=3),
    phi=st.floats(0, 1),
)
def test_the_table_equals_the_point_by_point_analysis(delta, weight, phi):
    base = Parameters(shared_paradigm=phi, control_gain=2.5)
    table = sweep(base, {"discount_factor": delta, "inherited_weight": weight}, ALL)
    for row in table:
        point = analyse(
            base.replace(
                discount_factor=row["discount_factor"], inherited_weight=row["inherited_weight"]
            )
        )
        expected = point.as_row()
        assert row["regime"] == expected["regime"]
        assert row["sustainable"] == expected["sustainable"]
        for name in (
            "dilution",
            "weight",
            "window_min",
            "window_max",
            "surplus",
            "critical_discount_factor",
            "arbitration_transfer",
            "agreement_oci",
            "reinforcement",
        ):
            assert row[name] == pytest.approx(expected[name], rel=1e-9, abs=1e-9, nan_ok=True), name
        labels = {f"{a}/{b}" for a, b in point.stage_outcomes}
        assert set(row["stage_equilibria"].split("; ")) == labels


def test_mechanisms_apply_at_every_point():
    from powergames.partnership import Dilution

    model = PartnershipModel(Parameters(), (Dilution(0.1),))
    table = sweep(model, {"discount_factor": [0.3, 0.6]}, ["weight", "dilution"])
    for row in table:
        point = analyse(Parameters(discount_factor=row["discount_factor"]), [Dilution(0.1)])
        assert row["weight"] == pytest.approx(point.weight)
        assert row["dilution"] == pytest.approx(point.dilution)


def test_a_scenario_sweeps_at_its_parameters():
    scenario = load_preset("partnership-1990s")
    table = sweep(scenario, scenario.grid, ["regime"])
    assert len(table) == 16 * 10


def test_zipped_grids():
    table = sweep(
        Parameters(),
        {"discount_factor": [0.2, 0.5], "inherited_weight": [0.6, 0.9]},
        ["dilution"],
        product=False,
    )
    assert len(table) == 2 and table["inherited_weight"].tolist() == [0.6, 0.9]
    with pytest.raises(InvalidParameterError, match="equal lengths"):
        sweep(
            Parameters(), {"discount_factor": [0.2, 0.5], "inherited_weight": [0.6]}, product=False
        )


def test_grid_specs_as_strings():
    table = sweep(Parameters(), {"discount_factor": "0.2:0.95:16"}, ["regime"])
    assert len(table) == 16 and table["discount_factor"][-1] == 0.95


@pytest.mark.parametrize(
    ("grid", "columns", "message"),
    [
        ({"delta": [0.5]}, None, "unknown grid parameter"),
        ({"discount_factor": [0.5]}, ["nope"], "unknown column"),
        ({"discount_factor": [1.5]}, None, "discount_factor"),
        ({"discount_factor": []}, None, "non-empty"),
    ],
)
def test_bad_sweeps_are_refused(grid, columns, message):
    with pytest.raises(InvalidParameterError, match=message):
        sweep(Parameters(), grid, columns)


def assert_same_table(a, b):
    assert a.names == b.names and len(a) == len(b)
    for name in a.names:
        x, y = a[name], b[name]
        if x.dtype.kind == "f":
            np.testing.assert_array_equal(x, y)
        else:
            assert x.tolist() == y.tolist()


@pytest.mark.parametrize("executor_type", [ThreadPoolExecutor, ProcessPoolExecutor])
def test_an_executor_gives_the_same_table(executor_type):
    alone = sweep(Parameters(), GRID, ALL, chunk_size=6)
    with executor_type(max_workers=2) as executor:
        parallel = sweep(Parameters(), GRID, ALL, chunk_size=6, executor=executor)
    assert_same_table(alone, parallel)


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_streaming_to_a_file_gives_the_same_table(tmp_path, suffix):
    columns = [c for c in ALL if c != "stage_equilibria"]
    alone = sweep(Parameters(), GRID, columns)
    streamed = sweep(Parameters(), GRID, columns, out=tmp_path / f"t{suffix}", chunk_size=4)
    for name in alone.names:
        expected = alone[name]
        if expected.dtype.kind == "f":
            # Infinities are written as inf in CSV and null in JSON lines.
            got = streamed[name]
            finite = np.isfinite(expected)
            np.testing.assert_array_equal(got[finite], expected[finite])
            nan = np.isnan(expected)
            assert np.isnan(got[nan]).all()  # NaN: empty in CSV, null in JSON lines
            infinite = ~finite & ~nan
            assert (
                np.isnan(got[infinite]).all()
                if suffix == ".jsonl"
                else (got[infinite] == expected[infinite]).all()
            )
        else:
            assert streamed[name].tolist() == expected.tolist()


def test_a_killed_sweep_resumes_and_loses_nothing(tmp_path):
    out = tmp_path / "sweep.csv"
    script = textwrap.dedent(f"""
        import os, numpy as np
        from powergames.partnership import Parameters
        from powergames.tables import sweep
        grid = {{"discount_factor": np.linspace(0.05, 0.95, 7).tolist(),
                 "inherited_weight": np.linspace(0.1, 0.95, 5).tolist()}}
        def die(done, total):
            if done >= 12:
                os._exit(3)  # killed mid-sweep, no clean-up
        sweep(Parameters(), grid, ["regime", "dilution"], out={str(out)!r}, chunk_size=4,
              progress=die)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=120)
    assert result.returncode == 3
    partial = out.read_text().splitlines()
    assert 1 < len(partial) < 1 + 35  # header and some of the 35 rows
    resumed = sweep(Parameters(), GRID, ["regime", "dilution"], out=out, chunk_size=4, resume=True)
    full = sweep(Parameters(), GRID, ["regime", "dilution"])
    assert_same_table(full, resumed)


def test_resume_needs_an_output_file():
    with pytest.raises(InvalidParameterError, match="need an output file"):
        sweep(Parameters(), GRID, resume=True)


def test_progress_callback_reaches_the_total():
    seen = []
    sweep(
        Parameters(),
        GRID,
        ["regime"],
        chunk_size=10,
        progress=lambda done, total: seen.append((done, total)),
    )
    assert seen[-1] == (35, 35) and [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_a_dask_cluster_gives_the_same_table():
    distributed = pytest.importorskip("dask.distributed")
    alone = sweep(Parameters(), GRID, ALL, chunk_size=8)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = sweep(Parameters(), GRID, ALL, chunk_size=8, executor=client.get_executor())
    assert_same_table(alone, on_dask)


def test_an_empty_grid_is_the_model_at_its_parameters():
    table = sweep(Parameters(), {}, ["regime", "dilution"])
    assert len(table) == 1 and table["regime"][0] == "partnership"


def test_a_scenario_titles_its_tables(tmp_path):
    preset = load_preset("social-economy")
    assert sweep(preset, {"discount_factor": [0.5]}).title == preset.title
    streamed = sweep(preset, {"discount_factor": [0.5]}, out=tmp_path / "t.csv")
    assert streamed.title == preset.title and str(streamed).startswith(preset.title)
    assert sweep(Parameters(), {"discount_factor": [0.5]}).title == ""


def test_no_column_is_named_like_a_parameter():
    # A column named like a parameter would vanish from a table that grids over it.
    model = PartnershipModel()
    assert not set(COLUMNS) & set(model.parameter_names)


def test_a_grid_may_not_vary_what_a_formula_uses_alone():
    from powergames.partnership import load_scenario

    scenario = load_scenario(
        '[scenario]\nname = "f"\n[parameters]\nfunder_accountability = 0.6\n'
        'membership_accountability = "funder_accountability / 2"\n'
    )
    with pytest.raises(InvalidParameterError, match="formula for membership_accountability"):
        sweep(scenario, {"funder_accountability": [0.2, 0.4]}, ["regime"])
    # Varying both, or something else, is fine.
    both = {"funder_accountability": [0.2], "membership_accountability": [0.1]}
    assert len(sweep(scenario, both, ["regime"])) == 1
    assert len(sweep(scenario, {"discount_factor": [0.3, 0.6]}, ["regime"])) == 2
