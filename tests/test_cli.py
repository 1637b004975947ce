"""The ``powergames`` command, end to end in a subprocess."""

from __future__ import annotations

import json

import pytest
from cli_calls import run

from powergames import Game, write_nfg


def test_solve_the_bundled_partnership_game():
    result = run("solve", "--example", "partnership-baseline")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert "| 1 | impose | comply | 4 | 2 |" in lines
    assert "| 2 | withdraw | exit | 1 | 0 |" in lines
    assert "degenerate" in result.stderr


def test_solve_a_file_as_json(tmp_path):
    path = tmp_path / "battle.nfg"
    write_nfg(Game([[3, 0], [0, 2]], [[2, 0], [0, 3]], players=("Ann", "Bob")), path)
    result = run("solve", str(path), "--format", "json", "--method", "support")
    assert result.returncode == 0, result.stderr
    records = json.loads(result.stdout)
    assert len(records) == 3
    ann, bob = records[1]["players"]
    assert (ann["player"], bob["player"]) == ("Ann", "Bob")
    assert [s["name"] for s in ann["strategy"]] == ["1", "2"]
    assert [s["probability"] for s in ann["strategy"]] == pytest.approx([0.6, 0.4])
    assert (ann["payoff"], bob["payoff"]) == pytest.approx((1.2, 1.2))


def test_players_and_strategies_that_share_a_name(tmp_path):
    # Gambit accepts them (names are labels): nothing collapses in any format.
    game = Game([[1, 0], [0, 1]], players=("", ""), strategies=(("a", "a"), ("b", "b")))
    path = tmp_path / "same.nfg"
    write_nfg(game, path)
    result = run("solve", str(path), "--format", "json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)[0]["players"]
    assert [len(p["strategy"]) for p in record] == [2, 2]
    csv = run("solve", str(path), "--format", "csv").stdout.splitlines()
    assert csv[0] == "#,Player 1,Player 2,payoff Player 1,payoff Player 2"


def test_a_time_limit_stops_the_search_and_says_so(tmp_path):
    import numpy as np

    rng = np.random.default_rng(0)
    path = tmp_path / "big.nfg"
    write_nfg(Game(rng.integers(0, 100, (25, 25)), rng.integers(0, 100, (25, 25))), path)
    result = run("solve", str(path), "--method", "support", "--time-limit", "0.5")
    assert result.returncode == 0, result.stderr
    assert "note:" in result.stderr and "time" in result.stderr.lower()
    bad = run("solve", str(path), "--time-limit", "-1")
    assert bad.returncode == 2 and "positive number of seconds" in bad.stderr


def test_csv_output(tmp_path):
    path = tmp_path / "pd.nfg"
    write_nfg(Game([[3, 0], [5, 1]], [[3, 5], [0, 1]]), path)
    result = run("solve", str(path), "--format", "csv")
    assert result.stdout.splitlines() == [
        "#,Player 1,Player 2,payoff Player 1,payoff Player 2",
        "1,2,2,1,1",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["solve", "missing.nfg"], "No such file"),
        (["solve", "--example", "nowhere"], "unknown example"),
    ],
)
def test_errors_print_one_line_and_exit_non_zero(args, message):
    result = run(*args)
    assert result.returncode == 2
    assert message in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert result.stderr.startswith("powergames: error:")


def test_a_malformed_file_names_the_line(tmp_path):
    path = tmp_path / "bad.nfg"
    path.write_text('NFG 1 R "bad" { "a" "b" } { 2 2 }\n1 2 3\n')
    result = run("solve", str(path))
    assert result.returncode == 2 and "line" in result.stderr


def test_help():
    result = run("solve", "--help")
    assert result.returncode == 0 and "--method" in result.stdout
