"""The actors of the partners' environments mapped onto the model's parameters."""

from __future__ import annotations

import math

import numpy as np
import pytest
import sympy as sp
from hypothesis import given
from hypothesis import strategies as st

from powergames.errors import InvalidParameterError
from powergames.partnership import SPECS, Environment, Parameters, apply_environment
from powergames.strategies import partnership_parameters

ENVIRONMENT_MAPS = {
    "funder_valuation": {"funder_accountability": lambda p, v: v},
    "membership_valuation": {"membership_accountability": lambda p, v: v},
    "funder_policies": {"control_gain": lambda p, v: p.control_gain + v},
    "membership_paradigm": {
        "shared_paradigm": lambda p, v: p.shared_paradigm + min(v, 1.0) * (1 - p.shared_paradigm)
    },
    "base_group_paradigm": {"moral_legitimacy": lambda p, v: p.moral_legitimacy + v},
    "base_group_mobilisation": {"pragmatic_legitimacy": lambda p, v: p.pragmatic_legitimacy + v},
    "alternative_funders": {"ngo_outside_option": lambda p, v: p.ngo_outside_option + v},
    "other_partners": {"oci_outside_option": lambda p, v: p.oci_outside_option + v},
}


@pytest.mark.parametrize("field", list(ENVIRONMENT_MAPS))
@given(params=partnership_parameters(), value=st.floats(0.0, 2.0))
def test_each_environment_actor_changes_exactly_its_parameters(field, params, value):
    if field == "membership_paradigm":  # a share of the gap to a fully shared paradigm
        value = min(value, 1.0)
    after = apply_environment(params, Environment(**{field: value}))
    expected = {name: rule(params, value) for name, rule in ENVIRONMENT_MAPS[field].items()}
    for spec in SPECS:
        assert after[spec.name] == expected.get(spec.name, params[spec.name]), spec.name


def test_the_empty_environment_changes_nothing():
    params = Parameters(control_gain=3.0)
    assert apply_environment(params, Environment()) == params


def test_environments_compose():
    env = Environment(funder_policies=1.0, membership_paradigm=0.5, alternative_funders=2.0)
    twice = apply_environment(apply_environment(Parameters(), env), env)
    assert twice.control_gain == 2.0 + 2.0
    assert twice.ngo_outside_option == 4.0
    assert twice.shared_paradigm == 1 - (1 - 0.5) ** 2  # each closes half the gap


def test_the_membership_paradigm_is_shared_not_coercive():
    # « un paradigme de développement à partager avec les organisations du Sud qui
    # n'est pas celui de l'ACDI »: it raises phi and leaves the control gain alone.
    after = apply_environment(Parameters(), Environment(membership_paradigm=0.4))
    assert after.control_gain == Parameters().control_gain
    assert after.shared_paradigm == pytest.approx(0.4)
    with pytest.raises(InvalidParameterError, match="membership_paradigm"):
        Environment(membership_paradigm=1.5)


def test_environment_maps_arrays_and_symbols():
    grid = apply_environment(Parameters(), Environment(base_group_paradigm=np.array([0.0, 1.0])))
    assert grid.moral_legitimacy.tolist() == [3.0, 4.0]
    k = sp.Symbol("k", nonnegative=True)
    assert apply_environment(Parameters(), Environment(funder_policies=k)).control_gain == k + 2


def test_environment_rejects_bad_input():
    with pytest.raises(InvalidParameterError, match="Environment: alternative_funders"):
        Environment(alternative_funders=-1.0)
    with pytest.raises(InvalidParameterError, match="Environment: funder_valuation"):
        Environment(funder_valuation=math.nan)
    with pytest.raises(InvalidParameterError, match="env"):
        apply_environment(Parameters(), {"funder_policies": 1.0})  # type: ignore[arg-type]
