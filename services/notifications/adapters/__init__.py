"""Adapters to PostgreSQL and to webhook receivers."""
