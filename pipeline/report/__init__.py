"""Evaluation report: metrics.json, a self-contained index.html and a pull-request summary.md.

Entry point: :func:`pipeline.report.build.evaluate_and_report`.
"""
