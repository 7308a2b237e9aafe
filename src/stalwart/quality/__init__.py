"""Data-quality algorithms: each module computes one kind of finding, as plain results."""

from .class_imbalance import ClassBalanceResult, class_balance
from .conflicting_labels import ConflictingLabelsResult, conflicting_labels
from .constant_columns import ConstantColumnsResult, constant_columns
from .duplicates import DuplicatesResult, duplicates, near_duplicate_hashes
from .feature_leakage import FeaturePower, FeaturePowerResult, feature_power
from .id_like_columns import IdLikeResult, id_like_columns
from .invalid_values import InvalidValuesResult, Violation, invalid_values, reference_bounds
from .label_errors import (LabelErrorResult, confident_joint, encode_for_trees,
                           find_label_issues, label_errors, out_of_fold_probabilities)
from .missing_values import DISGUISED_TOKENS, MissingValuesResult, missing_values
from .mixed_types import ColumnTypeMix, MixedTypesResult, mixed_types
from .rowhash import row_hashes
from .sampling_bias import ColumnBias, SamplingBiasResult, sampling_bias
from .train_test_overlap import IdOverlap, RowOverlap, TrainTestOverlapResult, train_test_overlap

__all__ = [
    "ClassBalanceResult",
    "ColumnBias",
    "ColumnTypeMix",
    "ConflictingLabelsResult",
    "ConstantColumnsResult",
    "DISGUISED_TOKENS",
    "DuplicatesResult",
    "FeaturePower",
    "FeaturePowerResult",
    "IdLikeResult",
    "IdOverlap",
    "InvalidValuesResult",
    "LabelErrorResult",
    "MissingValuesResult",
    "MixedTypesResult",
    "RowOverlap",
    "SamplingBiasResult",
    "TrainTestOverlapResult",
    "Violation",
    "class_balance",
    "confident_joint",
    "conflicting_labels",
    "constant_columns",
    "duplicates",
    "encode_for_trees",
    "feature_power",
    "find_label_issues",
    "id_like_columns",
    "invalid_values",
    "label_errors",
    "missing_values",
    "mixed_types",
    "near_duplicate_hashes",
    "out_of_fold_probabilities",
    "reference_bounds",
    "row_hashes",
    "sampling_bias",
    "train_test_overlap",
]
