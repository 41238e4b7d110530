"""The Qt user interface. Views lay out and style; everything else is a call to app/ services."""
