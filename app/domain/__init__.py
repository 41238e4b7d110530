"""Domain vocabulary shared by services, reports and the UI: roles, permissions, states."""
