"""Evidence: from a researcher's coded interviews to the regimes of the partnership
model, with their robustness.

Qualitative researchers do not know that moral legitimacy is 3; they know from their
coding that it is "strong". This package turns such findings into ranges of the
model's parameters and says how robust a regime is to them:

- ranges (:class:`Uniform`, :class:`Triangular`, :class:`Beta`): what a scenario's
  ``[ranges]`` table gives a parameter instead of a value;
- a codebook (:class:`Codebook`, :func:`load_codebook`): the levels of each code of a
  coding scheme mapped to ranges, and :func:`case_scenario`, a coded case as a
  scenario with ranges;
- :func:`read_qdpx`: the coded segments of a REFI-QDA project (the exchange format of
  ATLAS.ti, NVivo, MAXQDA and others), counted per case and code;
- :func:`uncertainty`: the regimes' shares of the plausible range and the spread of
  dilution, transfer and the critical discount factor;
- :func:`sensitivity`: Sobol' indices of each output to each ranged parameter (SALib).

The names load with their modules on first use.
"""

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from powergames.partnership.evidence.codebook import (
        Code,
        Codebook,
        Level,
        case_scenario,
        load_codebook,
    )
    from powergames.partnership.evidence.examples import EXAMPLES, example_path
    from powergames.partnership.evidence.propagation import (
        Share,
        Spread,
        Uncertainty,
        uncertainty,
    )
    from powergames.partnership.evidence.qdpx import CodedProject, Limits, QdaCode, read_qdpx
    from powergames.partnership.evidence.ranges import (
        DISTRIBUTIONS,
        Beta,
        Range,
        Triangular,
        Uniform,
        as_range,
    )
    from powergames.partnership.evidence.sampling import sample
    from powergames.partnership.evidence.sobol import (
        Sensitivity,
        SobolIndex,
        sensitivity,
        sobol_indices,
    )

_LAZY = {
    "Code": "powergames.partnership.evidence.codebook",
    "Codebook": "powergames.partnership.evidence.codebook",
    "Level": "powergames.partnership.evidence.codebook",
    "case_scenario": "powergames.partnership.evidence.codebook",
    "load_codebook": "powergames.partnership.evidence.codebook",
    "EXAMPLES": "powergames.partnership.evidence.examples",
    "example_path": "powergames.partnership.evidence.examples",
    "CodedProject": "powergames.partnership.evidence.qdpx",
    "Limits": "powergames.partnership.evidence.qdpx",
    "QdaCode": "powergames.partnership.evidence.qdpx",
    "read_qdpx": "powergames.partnership.evidence.qdpx",
    "DISTRIBUTIONS": "powergames.partnership.evidence.ranges",
    "Beta": "powergames.partnership.evidence.ranges",
    "Range": "powergames.partnership.evidence.ranges",
    "Triangular": "powergames.partnership.evidence.ranges",
    "Uniform": "powergames.partnership.evidence.ranges",
    "as_range": "powergames.partnership.evidence.ranges",
    "sample": "powergames.partnership.evidence.sampling",
    "Sensitivity": "powergames.partnership.evidence.sobol",
    "SobolIndex": "powergames.partnership.evidence.sobol",
    "sensitivity": "powergames.partnership.evidence.sobol",
    "sobol_indices": "powergames.partnership.evidence.sobol",
    "Share": "powergames.partnership.evidence.propagation",
    "Spread": "powergames.partnership.evidence.propagation",
    "Uncertainty": "powergames.partnership.evidence.propagation",
    "uncertainty": "powergames.partnership.evidence.propagation",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'powergames.partnership.evidence' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "DISTRIBUTIONS",
    "EXAMPLES",
    "Beta",
    "Code",
    "Codebook",
    "CodedProject",
    "Level",
    "Limits",
    "QdaCode",
    "Range",
    "Sensitivity",
    "Share",
    "SobolIndex",
    "Spread",
    "Triangular",
    "Uncertainty",
    "Uniform",
    "as_range",
    "case_scenario",
    "example_path",
    "load_codebook",
    "read_qdpx",
    "sample",
    "sensitivity",
    "sobol_indices",
    "uncertainty",
]
