"""CallDesk domain layer: database, services, reports, exporters and the command line.

Nothing in this package imports Qt; ``tests/test_architecture.py`` enforces it.
"""

__version__ = "0.1.0"
APP_NAME = "CallDesk"
