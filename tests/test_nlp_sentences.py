"""Sentence splitting: no breaks after abbreviations, inside numbers or before citations."""

from __future__ import annotations

import pytest

from pipeline.nlp import annotate_text
from pipeline.nlp.sentences import non_starts


@pytest.mark.parametrize(
    "text",
    ["Smith et al. showed that mTOR is active in tumours.",
     "Everolimus vs. placebo improved survival.",
     "Some drugs, i.e. rapalogs, bind FKBP12.",
     "Several kinases, e.g. Akt, are involved.",
     "As shown in Fig. 2 the effect was strong.",
     "The dose was 2.5 mg per day in all patients.",
     "The difference was significant (p < 0.05) in all arms.",
     "Growth was reduced in both models (44, 45).",
     "Growth was reduced in both models [22–25]."],
)
def test_one_sentence(text):
    assert [s.text for s in annotate_text(text).sentences] == [text]


def test_real_boundaries_kept():
    text = "Everolimus inhibits mTOR. Sunitinib targets VEGFR."
    assert len(annotate_text(text).sentences) == 2


def test_rule_blocks_citation_and_abbreviation():
    words = ["See", "Fig", ".", "2", "and", "refs", "(", "44", ",", "45", ")", "."]
    assert {3, 6} <= set(non_starts(words))
