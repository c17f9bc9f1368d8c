"""Unit tests of the benchmark and fault-run harness."""
