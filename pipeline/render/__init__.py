"""Render structured documents into journal-like PDFs with ground-truth body text.

Used to build the test corpus (``python -m pipeline.render --out corpus/pdf``): the PDFs
exercise the PDF reader on columns, running heads, hyphenation and ruled tables, and each
``<stem>.truth.txt`` says what body text the reader should recover.
"""
