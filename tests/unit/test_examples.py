"""The examples run as documented."""

import re
import subprocess
import sys
from pathlib import Path

EXAMPLES = Path(__file__).parents[2] / "examples"


def test_audit_quickstart(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "audit_quickstart.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    # the batch has a planted unit change, so the gate fails with exit code 1
    assert proc.returncode == 1, proc.stderr
    assert "invalid values in the batch:" in proc.stdout and "mean area" in proc.stdout
    assert (tmp_path / "train.html").exists() and (tmp_path / "batch.html").exists()


def test_evaluate_quickstart():
    proc = subprocess.run([sys.executable, str(EXAMPLES / "evaluate_quickstart.py")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("ROC AUC 0.99") and "95% interval" in lines[0]
    assert lines[1].startswith("expected calibration error 0.0")
    assert lines[2].startswith("conformal sets at alpha=0.1: mean size")
    assert lines[3].startswith("weak segments: ")


def test_drift_quickstart(tmp_path):
    proc = subprocess.run([sys.executable, str(EXAMPLES / "drift_quickstart.py"), str(tmp_path)],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 1, proc.stderr  # the week's unit change fails the gate
    lines = proc.stdout.splitlines()
    assert lines[0] == "drifted columns: temp, humidity"
    assert lines[1].startswith("diagnosis: column 'temp' looks converted: celsius -> fahrenheit")
    assert lines[2] == "from profiles: temp, humidity (3000 rows merged)"
    est, _, realised = (float(x) for x in re.findall(r"\d\.\d{3}", lines[3]))
    assert abs(est - realised) < 0.03 and lines[4].startswith("suite: fail")
    assert (tmp_path / "drift.html").exists()


def test_stress_augmentation():
    proc = subprocess.run([sys.executable, str(EXAMPLES / "stress_augmentation.py")],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    # the plain model loses more than 0.02 under noise and fails the gate; trained on noisy
    # copies it loses less and passes (its warning: it raises on missing values)
    assert lines[0].startswith("plain: suite fail (exit code 1)")
    assert lines[1].startswith("augmented: suite") and "(exit code 0)" in lines[1]
    plain, augmented = (float(x) for x in re.findall(r"drop ([+-]\d\.\d+)", proc.stdout))
    assert plain > 0.02 >= augmented
