"""Audit a training table and a new batch against it, then gate on the result.

Run: python examples/audit_quickstart.py [OUT_DIR]
"""

import sys
from pathlib import Path

import numpy as np
from sklearn.datasets import load_breast_cancer

import stalwart
from stalwart.reports import write_report

out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "stalwart-workspace/examples")
frame = load_breast_cancer(as_frame=True).frame
train, batch = frame.iloc[:400].copy(), frame.iloc[400:].copy()

# a new batch where an upstream system started sending area in cm^2 instead of mm^2
batch["mean area"] = batch["mean area"] / 100.0
batch.loc[batch.index[:20], "mean texture"] = np.nan

train_result = stalwart.audit(train, target="target")
batch_result = stalwart.audit(batch, target="target", reference=train)

for name, result in (("train", train_result), ("batch", batch_result)):
    path = write_report(result, out_dir / f"{name}.html", format="html")
    print(f"{name}: {result.status.value} -> {path}")

print("invalid values in the batch:", batch_result.by_check("invalid_values").summary)
sys.exit(batch_result.exit_code())
