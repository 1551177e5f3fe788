"""Persistence: SQLAlchemy models and the repository functions that read and write them."""
