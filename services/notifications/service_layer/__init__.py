"""Use cases: record a match for delivery; deliver what is due."""
