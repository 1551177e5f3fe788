"""Prefect flows: thin wrappers that schedule per-document tasks over the pure stage functions."""
