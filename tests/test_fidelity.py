"""Word-fidelity metric and JATS reference text."""

from __future__ import annotations

import random

import pytest

from pipeline.ingest.fidelity import jats_body_text, lcs_length, normalise_words, word_fidelity


def _lcs_dp(a: list[str], b: list[str]) -> int:
    row = [0] * (len(b) + 1)
    for x in a:
        prev_diag = 0
        for j, y in enumerate(b, start=1):
            prev_diag, row[j] = row[j], prev_diag + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def test_lcs_matches_dynamic_programming():
    rng = random.Random(7)
    for _ in range(200):
        a = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        b = [rng.choice("abcde") for _ in range(rng.randint(0, 30))]
        assert lcs_length(a, b) == _lcs_dp(a, b)


def test_normalisation():
    assert normalise_words("The ﬁrst (mTOR) inhibitor, “rapamycin”.") == [
        "the", "first", "mtor", "inhibitor", "rapamycin"
    ]
    assert normalise_words("PI3K/AKT 3-kinase — ok") == ["pi3k/akt", "3-kinase", "ok"]


def test_recall_and_precision():
    truth = "one two three four five six seven eight nine ten"
    assert word_fidelity(truth, truth) == (1.0, 1.0)
    recall, precision = word_fidelity("one two three four five", truth)
    assert recall == pytest.approx(0.5) and precision == 1.0
    recall, precision = word_fidelity(truth + " junk junk", truth)
    assert recall == 1.0 and precision == pytest.approx(10 / 12)
    # Order matters: swapped halves only match one half.
    recall, _ = word_fidelity("six seven eight nine ten one two three four five", truth)
    assert recall == pytest.approx(0.5)


def test_empty_inputs():
    assert word_fidelity("", "") == (1.0, 1.0)
    assert word_fidelity("", "a b") == (0.0, 0.0)


def test_jats_body_text(tmp_path):
    xml = tmp_path / "a.xml"
    xml.write_text(
        """<article><front><article-meta><title-group><article-title>T</article-title></title-group>
        <abstract><p>Abstract text.</p></abstract></article-meta></front>
        <body><sec><title>Intro</title><p>Body <italic>one</italic> cites <xref>1</xref>.</p>
        <fig><caption><p>Figure caption.</p></caption></fig>
        <table-wrap><table><tr><td>cell</td></tr></table></table-wrap>
        <p>Body two <inline-formula>x=1</inline-formula> end.</p></sec></body>
        <back><ref-list><ref>Ref</ref></ref-list></back></article>"""
    )
    assert jats_body_text(xml) == "Intro\n\nBody one cites 1.\n\nBody two end."
    assert jats_body_text(xml, include_front=True).startswith("T\n\nAbstract text.\n\nIntro")
