"""Evaluate a model: metrics with intervals, calibration, conformal sets, weak segments.

These are the building blocks of the evaluation suite (in progress).
Run: python examples/evaluate_quickstart.py
"""

from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from stalwart.metrics import evaluate_model
from stalwart.slicing import find_weak_segments, row_loss
from stalwart.uncertainty import SplitConformalClassifier, expected_calibration_error

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X_train, y_train)

auc = evaluate_model(model, X_test, y_test).to_dict()["metrics"]["roc_auc"]
print(f"ROC AUC {auc['estimate']:.3f} (95% interval {auc['low']:.3f} to {auc['high']:.3f})")

ece = expected_calibration_error(y_test.to_numpy(), model.predict_proba(X_test))
print(f"expected calibration error {ece:.3f}")

conformal = SplitConformalClassifier(model, alpha=0.1).conformalize(X_test[:70], y_test[:70])
sets = conformal.predict_set(X_test[70:])
print(f"conformal sets at alpha=0.1: mean size {sets.sum(axis=1).mean():.2f}")

weak = find_weak_segments(X_test, row_loss(y_test.to_numpy(), y_pred=model.predict(X_test)))
print(f"weak segments: {len(weak.segments)}")
