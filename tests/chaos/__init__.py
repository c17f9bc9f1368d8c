"""Fault runs against dedicated servers."""
