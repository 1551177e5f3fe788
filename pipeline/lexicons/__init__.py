"""Compiled entity lexicons (TSV data) and their compiler (``python -m pipeline.lexicons.build``)."""
