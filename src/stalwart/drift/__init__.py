"""Drift and unusual-input detection: univariate, multivariate, diagnosis, streams."""
