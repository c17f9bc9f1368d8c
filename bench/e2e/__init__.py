"""The end-to-end benchmark of the whole hub (run by bench/e2e_bench.py)."""
