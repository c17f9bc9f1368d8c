"""`drehscheibe import`: bulk import of agency exports through the public API."""
