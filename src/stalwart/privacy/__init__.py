"""Privacy: PII detectors, masks for showing examples safely, and a column scan."""

from .masking import (mask_card, mask_digits, mask_email, mask_generic, mask_iban, mask_ip,
                      mask_keep_end, mask_name, mask_phone)
from .pii import PII_DETECTORS, PiiDetector, detect, iban_valid, luhn_valid, register_detector
from .scan import PiiFinding, PiiScanResult, sample_text_values, scan_pii

__all__ = ["PII_DETECTORS", "PiiDetector", "PiiFinding", "PiiScanResult", "detect",
           "iban_valid", "luhn_valid", "mask_card", "mask_digits", "mask_email", "mask_generic",
           "mask_iban", "mask_ip", "mask_keep_end", "mask_name", "mask_phone",
           "register_detector", "sample_text_values", "scan_pii"]
