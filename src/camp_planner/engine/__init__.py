"""The engine: every rule of a round written once, over a small per-round view of the
variables, and the objectives' units (travel, who goes first).

- :mod:`camp_planner.engine.view`: :class:`~camp_planner.engine.view.RoundView`, the
  variables of one round as the rules see them;
- :mod:`camp_planner.engine.rules`: one function per rule of docs/rules.md, and
  :data:`~camp_planner.engine.rules.RULES`, the list of them with whether each keeps
  companies of one class interchangeable (what `scheduler.dominance` relies on);
- :mod:`camp_planner.engine.units`: ``TRAVEL_UNITS_PER_KM`` and the priority formula.

How to add a rule
-----------------
1. Write the sentence in docs/rules.md.
2. Write one function in `rules.py` taking a ``RoundView`` (add to the view only what the
   rule reads); its docstring quotes the sentence and says whether companies of one class
   stay interchangeable under it. Add it to ``RULES`` with that flag. If it is not
   interchangeable, `scheduler.dominance` must stop using the class exchange for the
   rounds it applies to: ``tests/engine/test_rules.py`` fails until then.
3. Call it where the models add the other rules: `AssignmentModel.__post_init__` (the
   round), `ProgrammeModel.__post_init__` (each round of the programme), and, if it
   concerns venues or the calendar, `replan.model` and `scheduler.start`.
4. Teach the independent checker (tests/checker.py, which shares no code with this
   package) the same sentence, and add a case to
   ``tests/engine/test_rules.py::test_each_rule_binds_and_the_checker_accepts`` where the
   rule binds: the test solves a round with and without the rule's setting and checks
   both rosters with the checker.
"""
