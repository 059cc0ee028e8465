"""Changes after publication: replan a published roster changing as little as possible,
and find the best places for one company (docs/replan.md)."""

from camp_planner.replan.run import ReplanResult, replan
from camp_planner.replan.setup import ChangeCost, Pin, PinField
from camp_planner.replan.solve import ReplanInfeasible

__all__ = ["ChangeCost", "Pin", "PinField", "ReplanInfeasible", "ReplanResult", "replan"]
