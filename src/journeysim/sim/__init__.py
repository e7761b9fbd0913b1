"""The model: people, services and the labour market on one SimPy clock.

Outside this package, code reaches the model only through what is exported
here: :func:`run` for a whole run's tables, :class:`JourneyModel` to step a
model a week at a time and read its :class:`View`, the benefit rules, and the
event vocabulary of the log. Nothing in this package imports from the analysis,
runs, presentation, command-line or workshop code.
"""

from journeysim.sim.benefits import benefit_paid, weekly_benefit
from journeysim.sim.model import JourneyModel, RunResult, forget_model, run
from journeysim.sim.records import EVENT_TYPES, PREMISES, service_cost_mask
from journeysim.sim.view import PersonView, View

__all__ = ["EVENT_TYPES", "PREMISES", "JourneyModel", "PersonView", "RunResult", "View",
           "benefit_paid", "forget_model", "run", "service_cost_mask", "weekly_benefit"]
