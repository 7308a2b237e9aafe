"""The privacy suite: PII in the data, k-anonymity and l-diversity on declared
quasi-identifiers (and the model privacy attacks, where registered).

Each check lives in its own module and registers itself; :data:`PRIVACY_CHECKS` is the
order the suite runs them in.
"""

from .suite import PRIVACY_CHECKS, privacy_audit, privacy_suite

__all__ = ["PRIVACY_CHECKS", "privacy_audit", "privacy_suite"]
