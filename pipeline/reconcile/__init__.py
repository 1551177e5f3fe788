"""Reconcile predictions with the gold set: load, normalize, match one-to-one, score.

Entry point: :func:`pipeline.reconcile.evaluate.evaluate_label` (one prediction folder against
the gold folder, JSON-ready metrics and error lists).
"""
