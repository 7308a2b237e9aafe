"""Uncertainty: calibration, conformal prediction, uncertainty scores and abstention."""
