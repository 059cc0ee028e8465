"""Readers only: they turn the coordinator's files into models, collecting every problem.
No writing, no printing, no solving; nothing here imports a feature (a test checks it).

- :mod:`~camp_planner.io.tables`: the shared table reader and cell values (CSV, workbooks);
- :mod:`~camp_planner.io.folder`, :mod:`~camp_planner.io.round_file`: the planning folder;
- :mod:`~camp_planner.io.programme_file`: programme.toml;
- :mod:`~camp_planner.io.scorecards`: scorecards.csv;
- :mod:`~camp_planner.io.roster_file`: a roster.json read back;
- :mod:`~camp_planner.io.errors`: the problems (file, row, column, value, expected).

Places are in :mod:`camp_planner.places`, the files written in :mod:`camp_planner.outputs`,
the demo in :mod:`camp_planner.demo`.
"""
