"""The demo: the embedded planning folder (``data/``) and the deterministic generator that
wrote it (:mod:`~camp_planner.demo.generator`, run by ``scripts/make_demo_data.py``)."""
