"""The operators' command line, installed as the `drehscheibe` console script."""
