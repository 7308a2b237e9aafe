"""Data-quality algorithms: each module computes one kind of finding, as plain results."""

from .class_imbalance import ClassBalanceResult, class_balance
from .conflicting_labels import ConflictingLabelsResult, conflicting_labels
from .constant_columns import ConstantColumnsResult, constant_columns
from .duplicates import DuplicatesResult, duplicates, near_duplicate_hashes
from .id_like_columns import IdLikeResult, id_like_columns
from .label_errors import (LabelErrorResult, confident_joint, encode_for_trees,
                           find_label_issues, label_errors, out_of_fold_probabilities)
from .missing_values import DISGUISED_TOKENS, MissingValuesResult, missing_values
from .rowhash import row_hashes

__all__ = [
    "DISGUISED_TOKENS",
    "ClassBalanceResult",
    "ConflictingLabelsResult",
    "ConstantColumnsResult",
    "DuplicatesResult",
    "IdLikeResult",
    "LabelErrorResult",
    "MissingValuesResult",
    "class_balance",
    "confident_joint",
    "conflicting_labels",
    "constant_columns",
    "duplicates",
    "encode_for_trees",
    "find_label_issues",
    "id_like_columns",
    "label_errors",
    "missing_values",
    "near_duplicate_hashes",
    "out_of_fold_probabilities",
    "row_hashes",
]
