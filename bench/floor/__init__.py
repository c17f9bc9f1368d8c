"""The floor: what the unavoidable steps of one posting cost on this machine."""
