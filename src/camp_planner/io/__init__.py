"""Everything that touches files, and nothing else: readers that turn the coordinator's
files into models (collecting every problem), and writers that turn results into files
(each written atomically). No printing, no solving.

- :mod:`~camp_planner.io.tables`: the shared table reader and cell values (CSV, workbooks);
- :mod:`~camp_planner.io.folder`, :mod:`~camp_planner.io.round_file`: the planning folder;
- :mod:`~camp_planner.io.scorecards`: scorecards.csv in, levels.csv out;
- :mod:`~camp_planner.io.gazetteer`: Danish place names and postcodes -> coordinates;
- :mod:`~camp_planner.io.outputs`: the roster's output folder (json, xlsx, csv, ics, map);
- :mod:`~camp_planner.io.whatif_files`: scenarios.toml in, the comparison out;
- :mod:`~camp_planner.io.demo`: the embedded demo planning folder.
"""
