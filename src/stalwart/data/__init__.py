"""Data core: schemas with column roles and kinds, datasets, fingerprints, readers."""

from .dataset import Dataset, to_pandas
from .fingerprint import fingerprint
from .io import read_table
from .schema import ColumnSpec, Kind, Role, Schema

__all__ = ["ColumnSpec", "Dataset", "Kind", "Role", "Schema", "fingerprint", "read_table",
           "to_pandas"]
