"""The paper reproduction: its numbers come from the model and show the paper's trends."""

import json
from typing import ClassVar

import numpy as np
import pytest

import assb_model
from assb_model import reproduce as rp
from assb_model.parameters import sets


class _CountingBar:
    """Stands in for tqdm: records the total and the ticks."""

    bars: ClassVar[list] = []

    def __init__(self, total, **_):
        self.total, self.n = total, 0
        _CountingBar.bars.append(self)

    def update(self, n=1):
        self.n += n

    def refresh(self):
        pass

    def close(self):
        pass


@pytest.fixture(scope="module")
def figure4(tmp_path_factory):
    out = tmp_path_factory.mktemp("fig4")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(rp, "tqdm", _CountingBar)
        summary = rp.reproduce(out, quick=True, progress=False, sections=["figure4"])
    return summary, out


def test_progress_bar_ends_at_its_total(figure4):
    """The bar reserved ticks for intervals of every section; a subset needs fewer."""
    bar = _CountingBar.bars[-1]
    assert bar.n == bar.total > 5  # the five first cycles and the interval runs


def test_summary_layout(figure4):
    summary, out = figure4
    assert set(summary["initial_capacity_mAh_per_g"]) == set(assb_model.list_parameter_sets())
    row = summary["comparison"][0]
    assert set(row) == {
        "quantity",
        "unit",
        "paper",
        "simulated",
        "interval_90",
        "interval_n",
        "interval_mc_se",
        "interval_method",
        "role",
    }
    on_disk = json.loads((out / "summary.json").read_text())
    assert on_disk["initial_capacity_mAh_per_g"] == summary["initial_capacity_mAh_per_g"]
    report = (out / "report.md").read_text()
    assert "| quantity | paper | simulated | 90 % interval | difference |" in report
    assert (out / "figure4_first_cycle.png").stat().st_size > 10_000


def test_report_numbers_come_from_the_model(figure4, tmp_path, monkeypatch):
    """Change a model constant: the report's capacities must change with it."""
    summary, _ = figure4
    original = sets.calibrated_constants()
    name = "giraldo2021_sp_lps80_coated"
    contacts = sets.build_parameter_table(name)["NMC-SE contact number"]

    def halved_contact_number():
        halved = {
            "name": "NMC-SE contact number",
            "parameter_sets": [name],
            "value": 0.5 * contacts,
            "unit": "-",
            "source": "test",
        }
        return [dict(c) for c in original] + [halved]

    monkeypatch.setattr(sets, "calibrated_constants", halved_contact_number)
    changed = rp.reproduce(
        tmp_path, quick=True, progress=False, sections=["figure4"], uncertainty_intervals=False
    )
    before = summary["initial_capacity_mAh_per_g"][name]
    after = changed["initial_capacity_mAh_per_g"][name]
    assert after < before - 1  # fewer NMC-SE contacts -> less NMC connected -> less capacity
    # the simple-mixture set does not use this set's contact number
    assert changed["initial_capacity_mAh_per_g"]["giraldo2021_sm_lps80_coated"] == pytest.approx(
        summary["initial_capacity_mAh_per_g"]["giraldo2021_sm_lps80_coated"], rel=1e-9
    )


def test_paper_trends_initial_capacity(figure4):
    q = figure4[0]["initial_capacity_mAh_per_g"]
    # solution process > simple mixture at equal SE
    assert q["giraldo2021_sp_lps80_coated"] > q["giraldo2021_sm_lps80_coated"]
    # Li6PS5Cl solution > 80Li2S-20P2S5 solution
    assert q["giraldo2021_sp_lpscl_coated"] > q["giraldo2021_sp_lps80_coated"]


def test_coated_interface_resistance_below_uncoated():
    for process in ("sm", "sp"):
        r = {
            coat: assb_model.simulate(f"giraldo2021_{process}_lps80_{coat}", cycles=2)
            .cycles["R_SE_Cat_after_charge_ohm"]
            .iloc[1]
            for coat in ("coated", "uncoated")
        }
        assert r["coated"] < r["uncoated"]


def test_capacity_after_30_cycles_below_first():
    from assb_model.simulation import FIGURE8_SCHEDULE, ScheduleSimulation

    res = ScheduleSimulation("giraldo2021_sp_lpscl_coated", FIGURE8_SCHEDULE[:1]).run()
    q = res.cycles["discharge_capacity_mAh_per_g"].to_numpy()
    assert len(q) == 30
    assert q[-1] < q[0]


@pytest.mark.slow
def test_interface_resistance_grows_over_figure6_protocol():
    from assb_model.simulation import FIGURE6_SCHEDULE, ScheduleSimulation

    res = ScheduleSimulation("giraldo2021_sp_lpscl_coated", FIGURE6_SCHEDULE).run()
    c = res.cycles.set_index("cycle")["R_SE_Cat_after_charge_ohm"]
    r = [c[n] for n in (2, 10, 29, 130)]
    assert np.all(np.diff(r) > 0)


def test_every_simulated_number_has_an_interval(figure4):
    summary, out = figure4
    for row in summary["comparison"]:
        lo, hi = row["interval_90"]
        assert lo <= row["simulated"] <= hi or hi - lo < 1e-9, row
    info = summary["uncertainty"]
    assert info["of"] == len(summary["comparison"])
    assert f"Coverage: {info['inside']} of {info['of']}" in (out / "report.md").read_text()
