"""The outputs: every file the features write, beside one another, above the features they
show (the rule: a feature computes, ``outputs`` turns its result into files). Each file is
written atomically (:mod:`~camp_planner.outputs.atomic`) and every text Excel could run as a
formula is neutralised (:mod:`~camp_planner.outputs.excel_safe`).

- :mod:`~camp_planner.outputs.roster_files`: a roster's output folder (json, xlsx, csv, ics,
  map), through :mod:`~camp_planner.outputs.writers`, :mod:`~camp_planner.outputs.ics` and
  :mod:`~camp_planner.outputs.maps`;
- :mod:`~camp_planner.outputs.whatif_files`: the what-if comparison;
- :mod:`~camp_planner.outputs.replan_files`: a replan's changes and calendars;
- :mod:`~camp_planner.outputs.next_round`: the next round's planning folder;
- :mod:`~camp_planner.outputs.remedies_files`: remedies.csv.
"""
