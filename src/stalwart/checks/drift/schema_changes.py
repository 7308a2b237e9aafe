"""Check: columns that appeared, vanished, were renamed, or changed type since the reference."""

from __future__ import annotations

from ..check import register_check
from ._diagnosis import DiagnosisCheck

__all__ = ["SchemaChanges"]


@register_check
class SchemaChanges(DiagnosisCheck):
    """New, missing and renamed columns, and type changes (int to float, number to string,
    scalar to list) between the reference and the current data. A missing or retyped input
    column breaks the model's pipeline and fails; a new column warns."""

    name = "schema_changes"
    title = "Schema changes"
    kinds = ("no_shared_columns", "missing_column", "new_column", "renamed_column",
             "kind_change", "type_change", "dtype_change")
