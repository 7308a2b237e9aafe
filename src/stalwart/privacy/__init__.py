"""Privacy: PII detectors and scans (whole values and free text), anonymisation transforms,
k-anonymity and l-diversity, differentially private releases (:mod:`.dp`), and a trained
model's membership-inference and extraction risk (:mod:`.membership`, :mod:`.extraction`)."""

from .anonymise import METHODS, AnonymisationResult, anonymise
from .dp import (DPProfileRelease, DPRelease, GaussianMechanism, LaplaceMechanism,
                 PrivacyAccountant, PrivacyBudgetError, dp_count, dp_histogram, dp_mean,
                 dp_profile, dp_quantiles, dp_sum)
from .extraction import ExtractionRisk, extraction_risk
from .kanonymity import (KAnonymityResult, LDiversityResult, equivalence_classes, k_anonymity,
                         l_diversity, mask_quasi_value)
from .masking import (mask_card, mask_digits, mask_email, mask_generic, mask_iban, mask_ip,
                      mask_keep_end, mask_name, mask_phone)
from .membership import MembershipRisk, membership_inference, membership_scores
from .pii import PII_DETECTORS, PiiDetector, detect, iban_valid, luhn_valid, register_detector
from .scan import PiiFinding, PiiScanResult, sample_text_values, scan_pii
from .suppression import SuppressionResult, suppress_to_k
from .text_pii import TEXT_PATTERNS, TextMatch, find_pii
from .transforms import (MIN_SALT_LENGTH, bin_numbers, generalise_dates, hash_values,
                         keep_prefix, map_hierarchy)

__all__ = ["AnonymisationResult", "DPProfileRelease", "DPRelease", "ExtractionRisk",
           "GaussianMechanism", "KAnonymityResult", "LDiversityResult", "LaplaceMechanism",
           "METHODS", "MIN_SALT_LENGTH", "MembershipRisk", "PII_DETECTORS", "PiiDetector",
           "PiiFinding", "PiiScanResult", "PrivacyAccountant", "PrivacyBudgetError",
           "SuppressionResult", "TEXT_PATTERNS", "TextMatch", "anonymise", "bin_numbers",
           "detect", "dp_count", "dp_histogram", "dp_mean", "dp_profile", "dp_quantiles",
           "dp_sum", "equivalence_classes", "extraction_risk", "find_pii", "generalise_dates",
           "hash_values", "iban_valid", "k_anonymity", "keep_prefix", "l_diversity",
           "luhn_valid", "map_hierarchy", "mask_card", "mask_digits", "mask_email",
           "mask_generic", "mask_iban", "mask_ip", "mask_keep_end", "mask_name", "mask_phone",
           "mask_quasi_value", "membership_inference", "membership_scores",
           "register_detector", "sample_text_values", "scan_pii", "suppress_to_k"]
