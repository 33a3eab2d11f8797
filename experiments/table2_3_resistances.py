"""Tables 2 and 3 of Giraldo et al. (2021): the paper's circuit fitted to the model's own
impedance spectrum at the 2nd charge, for every parameter set.

Run: ``python experiments/table2_3_resistances.py``
"""

import assb_model
from assb_model.model_eis import model_impedance
from assb_model.model_eis.fidelity import table_reference

print(f"{'parameter set':32s} {'arc':8s} {'fit [Ohm]':>10s} {'table [Ohm]':>12s}")
for name in assb_model.list_parameter_sets():
    fit = model_impedance(name, after_cycles=2).fit()
    table = table_reference(name)
    for arc in fit.arcs():
        measured = table.get(f"R_{arc.name}_ohm")
        shown = f"{measured:12.1f}" if measured is not None else f"{'-':>12s}"
        print(f"{name:32s} {arc.name:8s} {arc.R_ohm:10.1f} {shown}")
