"""Reading tables from files (CSV and Parquet), with clear errors for bad files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..exceptions import DataError

__all__ = ["SUPPORTED_SUFFIXES", "read_table"]

SUPPORTED_SUFFIXES = (".csv", ".tsv", ".parquet", ".pq")


def read_table(path: str | Path) -> pd.DataFrame:
    """Read a CSV, TSV or Parquet file into a DataFrame.

    Raises :class:`DataError` for a missing, empty, unreadable or unsupported file.
    """
    p = Path(path)
    if not p.exists():
        raise DataError(f"data file {str(p)!r}", expected="an existing file",
                        got="no such file", fix="check the path and try again")
    if p.is_dir():
        raise DataError(f"data file {str(p)!r}", expected="a file",
                        got="a directory", fix="pass the path of a .csv or .parquet file")
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DataError(f"data file {str(p)!r}", expected=f"one of {SUPPORTED_SUFFIXES}",
                        got=f"suffix {suffix or '(none)'!r}",
                        fix="convert the file to CSV or Parquet, or rename it")
    if p.stat().st_size == 0:
        raise DataError(f"data file {str(p)!r}", expected="a file with a header and rows",
                        got="an empty file (0 bytes)", fix="check that the export finished")
    try:
        if suffix in (".parquet", ".pq"):
            frame = pd.read_parquet(p)
        else:
            frame = pd.read_csv(p, sep="\t" if suffix == ".tsv" else ",", low_memory=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError, OSError,
            ValueError) as exc:
        raise DataError(f"data file {str(p)!r}", expected=f"a readable {suffix[1:]} file",
                        got=f"{type(exc).__name__}: {str(exc).splitlines()[0][:200]}",
                        fix="check the file's format and encoding (UTF-8)") from None
    return frame
