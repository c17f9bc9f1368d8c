"""Faults one at a time under steady load, and the checks that nothing was lost."""
