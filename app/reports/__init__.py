"""Figures computed from the database for reports (shown in the app, printed, exported)."""
