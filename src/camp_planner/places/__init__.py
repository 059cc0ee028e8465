"""Places: Danish towns and postcodes to coordinates, the regions and municipalities, and
distances. Reference data the readers and the demo consult; it imports nothing of the
project but :mod:`camp_planner.models` and :mod:`camp_planner.i18n`.

- :mod:`~camp_planner.places.gazetteer`: town and postcode lookup, regions, municipalities;
- ``data/dk_postcodes.csv``: the GeoNames postcodes it reads (``data/README.md``).
"""
