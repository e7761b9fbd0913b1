"""Running scenarios: one run and its files, experiments, sweeps and calibration."""
