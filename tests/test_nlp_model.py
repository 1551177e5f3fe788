"""Model selection falls back to a blank English pipeline with a sentencizer."""

from __future__ import annotations

from pipeline.nlp import model


def test_fallback_to_blank(monkeypatch):
    monkeypatch.setattr(model, "_import_model", lambda name: None)
    model.load_nlp.cache_clear()
    try:
        nlp = model.load_nlp()
        assert "sentencizer" in nlp.pipe_names and "parser" not in nlp.pipe_names
        doc = nlp("Smith et al. showed this. It works.")
        assert [s.text for s in doc.sents] == ["Smith et al. showed this.", "It works."]
        assert model.model_name(nlp).startswith("en_")
    finally:
        model.load_nlp.cache_clear()


def test_prefers_installed_model():
    nlp = model.load_nlp()
    assert "parser" in nlp.pipe_names and "ner" not in nlp.pipe_names
