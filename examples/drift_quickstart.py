"""Drift quickstart: what changed between training data and a production window, and what
does it mean for the model before labels arrive?

Run: python examples/drift_quickstart.py [OUTPUT_DIR]
"""

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.ensemble import RandomForestClassifier

import stalwart
from stalwart.reports import write_report

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(".")
rng = np.random.default_rng(0)


def sensor_table(n: int, *, fahrenheit: bool = False, humid: bool = False) -> pd.DataFrame:
    temp = rng.normal(21, 4, n)                       # degrees Celsius in training
    humidity = rng.beta(6 if humid else 4, 4, n)      # wetter weeks in production
    line = rng.choice(["A", "B", "C"], n, p=[0.5, 0.3, 0.2])
    fault = (rng.random(n) < 1 / (1 + np.exp(-(0.4 * (temp - 21) + 4 * (humidity - 0.5)))))
    return pd.DataFrame({"temp": temp * 1.8 + 32 if fahrenheit else temp,
                         "humidity": humidity, "line": line, "fault": fault.astype(int)})


train = sensor_table(5000)       # what the model was fitted on
reference = sensor_table(3000)   # held-out labelled rows: the reference for drift
week = sensor_table(3000, fahrenheit=True, humid=True)   # production: new units, wetter
features = ["temp", "humidity"]
model = RandomForestClassifier(n_estimators=50, min_samples_leaf=20, random_state=0).fit(
    train[features], train["fault"])

# 1. the building blocks: per-column drift with effect sizes, and a diagnosis
report = stalwart.detect_drift(reference[features + ["line"]], week[features + ["line"]])
print("drifted columns:", ", ".join(report.drifted))
for finding in stalwart.diagnose(reference, week).by_kind("unit_change"):
    print("diagnosis:", finding.message)

# 2. profiles: mergeable summaries in constant memory; drift from two profiles alone
halves = [stalwart.profile(week.iloc[:1500]), stalwart.profile(week.iloc[1500:])]
merged = halves[0].merge(halves[1])
from_profiles = stalwart.detect_drift(stalwart.profile(reference), merged, columns=features)
print("from profiles:", ", ".join(from_profiles.drifted), f"({merged.n_rows} rows merged)")

# 3. the drift suite gates CI and writes an HTML report with every feature's distributions;
#    once the units are fixed upstream, the wetter week still costs accuracy, and the model's
#    performance is estimated before any label arrives (the week has no "fault" column)
fixed = week.assign(temp=(week["temp"] - 32) / 1.8).drop(columns="fault")
estimate = stalwart.check_drift(reference, fixed, model=model, target="fault",
                                checks=["estimated_performance"]).results[0]
print(f"estimated accuracy without labels: {estimate.metrics['estimated']:.3f} "
      f"(reference {estimate.metrics['reference']:.3f}, realised "
      f"{(model.predict(week.assign(temp=fixed['temp'])[features]) == week['fault']).mean():.3f})")
result = stalwart.check_drift(reference, week.drop(columns="fault"), model=model,
                              target="fault")
write_report(result, out / "drift.html", format="html")
print("suite:", result.status.value, "->", out / "drift.html")
sys.exit(result.exit_code())
