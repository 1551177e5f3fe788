"""The relation rules' word lists live in ``patterns/words.tsv``: every list there is loaded by the
code, none is empty, and asking for a list that is not there fails naming it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from pipeline.relations import cues
from pipeline.relations.cues import WORDS_PATH, measure_outcomes, word_list, word_tuple

RELATIONS = Path(cues.__file__).parent


def _listed() -> set[str]:
    return set(cues._word_lists())


def _loaded_in_code() -> set[str]:
    source = "\n".join(p.read_text(encoding="utf-8") for p in RELATIONS.glob("*.py"))
    return set(re.findall(r"""\bword_(?:list|tuple)\(["']([a-z_]+)["']\)""", source))


def test_every_word_list_is_used_by_the_relations_code():
    unused = _listed() - _loaded_in_code()
    assert not unused, f"lists in {WORDS_PATH.name} that no word_list(...) in pipeline/relations loads: " \
                       f"{sorted(unused)}"


def test_every_list_the_code_loads_is_in_the_file():
    assert _loaded_in_code() <= _listed()


def test_no_word_list_is_empty_or_has_blank_words():
    assert _listed()
    for name in _listed():
        words = word_tuple(name)
        assert words, name
        assert all(w and w == w.strip() for w in words), (name, words)
        assert word_list(name) == frozenset(words)


def test_order_is_kept_for_tuples():
    assert word_tuple("therapy_heads") == ("therapy", "therapies", "treatment", "treatments")
    assert "chemotherapy".endswith(word_tuple("therapy_heads"))


def test_an_unknown_list_name_fails_naming_it():
    with pytest.raises(ValueError, match="no_such_list"):
        word_list("no_such_list")
    with pytest.raises(ValueError, match="no_such_list"):
        word_tuple("no_such_list")


def test_the_file_states_its_source_and_version():
    header = [line for line in WORDS_PATH.read_text(encoding="utf-8").splitlines() if line.startswith("#")]
    text = " ".join(header)
    assert "Source:" in text and "Version 2026-12-02" in text


def test_measure_outcomes_are_a_mapping_of_nonempty_names():
    outcomes = measure_outcomes()
    assert outcomes["median_pfs"] == "progression-free survival"
    assert all(measure and outcome for measure, outcome in outcomes.items())
