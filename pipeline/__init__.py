"""Turn biomedical review and trial papers into evidence-linked drug-target-outcome triples
and trial statistics, with full provenance."""

__version__ = "0.1.0"
