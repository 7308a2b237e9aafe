"""Conformal prediction: distribution-free prediction sets and intervals."""
