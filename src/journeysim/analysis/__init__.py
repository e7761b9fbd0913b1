"""Measures of a run and cost-benefit appraisal: pure functions of the run's tables."""
