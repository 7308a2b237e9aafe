"""Production monitoring: windows, monitors, alerts and the logging client."""
