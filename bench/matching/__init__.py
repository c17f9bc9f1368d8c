"""Helpers of bench/matching_bench.py: synthetic postings, in-process and service runs."""
