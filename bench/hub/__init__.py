"""A whole hub on this machine for benchmarks and fault runs: the three services as
processes, a verifying webhook receiver, postings generated from reference data, an
open-loop load, and what Kafka's offsets say about the consumers."""
