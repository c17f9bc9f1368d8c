"""Request and response bodies of the public API (its contract, apart from the events)."""
