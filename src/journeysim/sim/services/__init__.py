"""Services of the network: one :class:`Service` base, one module per kind."""

from journeysim.sim.services.base import Service
from journeysim.sim.services.jobcentre import Jobcentre

__all__ = ["Jobcentre", "Service"]
