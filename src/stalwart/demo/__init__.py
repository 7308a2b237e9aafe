"""The demo: the whole lifecycle on a real data set that ships with scikit-learn."""

from .data import corrupt_batch, load_diabetes_frame
from .run import DemoResult, run_demo

__all__ = ["DemoResult", "corrupt_batch", "load_diabetes_frame", "run_demo"]
