"""Services of the network: one :class:`Service` base, one module per kind."""

from journeysim.services.base import Service
from journeysim.services.jobcentre import Jobcentre

__all__ = ["Jobcentre", "Service"]
