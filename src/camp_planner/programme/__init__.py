"""The programme across rounds: what one round leaves for the next (:mod:`.carry`), and one
model over all rounds of a horizon (:mod:`.model`, :func:`plan_programme`)."""
