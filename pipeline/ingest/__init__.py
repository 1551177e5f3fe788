"""Ingestion: PDFs, plain text and Markdown in, structured ``Document`` records out."""
