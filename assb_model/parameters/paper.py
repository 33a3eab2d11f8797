"""Machine-readable copy of the paper's tables and section-3 facts.

Files live in ``parameter_sets/paper/`` (shipped with the package as
``assb_model.parameter_sets``): Table 1 (SE conductivities), Table 2 (impedance fits,
80Li2S·20P2S5 composites), Table 3 (impedance fits, Li6PS5Cl composite, vs cycle) and
``section3_facts.json``.
"""

import json
from functools import cache
from importlib import resources

import pandas as pd

from assb_model.parameters.catalog import data_dir


@cache
def _read_csv(name: str) -> pd.DataFrame:
    with resources.as_file(data_dir() / "paper" / name) as path:
        return pd.read_csv(path)


def table1() -> pd.DataFrame:
    """Table 1: ionic conductivity of the SEs (S/cm at 25 °C)."""
    return _read_csv("table1_conductivity.csv").copy()


def table2() -> pd.DataFrame:
    """Table 2: impedance fits at the 2nd charge, 80Li2S·20P2S5 composites."""
    return _read_csv("table2_impedance.csv").copy()


def table3() -> pd.DataFrame:
    """Table 3: impedance fits of the Li6PS5Cl solution-process composite vs cycle."""
    return _read_csv("table3_impedance.csv").copy()


@cache
def section3_facts() -> dict:
    """Quantitative facts of section 3 (and experimental conditions from the text)."""
    with resources.as_file(data_dir() / "paper" / "section3_facts.json") as path:
        return json.loads(path.read_text())


def conductivity_S_per_m(composition: str, process_code: str) -> float:
    """Table 1 conductivity of one SE, converted from S/cm to S/m (× 100)."""
    t = table1()
    row = t[(t["composition"] == composition) & (t["process_code"] == process_code)]
    if len(row) != 1:
        raise KeyError(f"Table 1 has no row for {composition} / {process_code}")
    return float(row["conductivity_S_per_cm"].iloc[0]) * 100


def impedance_rows(table: str, rows: list[str], process: str | None = None) -> pd.DataFrame:
    """Rows of Table 2 (by process and sample) or Table 3 (by label)."""
    if table == "table2":
        t = table2()
        sel = t[(t["process"] == process) & (t["sample"].isin(rows))]
    elif table == "table3":
        t = table3()
        sel = t[t["label"].isin(rows)]
    else:
        raise KeyError(f"unknown impedance table '{table}'")
    if len(sel) != len(rows):
        raise KeyError(f"{table}: rows {rows} not all found (process={process})")
    return sel


def table3_series(column: str, batch: str = "B2", charges=(2, 10, 29, 130)) -> dict[int, float]:
    """One column of Table 3 for one batch, by charge number: ``{2: 150.2, 10: 214.9, ...}``.

    Raises
    ------
    KeyError
        A charge the table does not have for that batch.
    """
    t = table3()
    rows = t[t["batch"] == batch].set_index("cycle_number")
    return {int(n): float(rows.loc[n, column]) for n in charges}
