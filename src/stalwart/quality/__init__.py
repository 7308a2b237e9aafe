"""Data-quality algorithms: each module computes one kind of finding, as plain results."""

from .rowhash import row_hashes

__all__ = ["row_hashes"]
