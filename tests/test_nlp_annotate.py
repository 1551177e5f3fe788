"""NER and normalization: identities, ambiguity, abbreviations, fuzzy matching."""

from __future__ import annotations

import pytest

from pipeline.nlp import annotate_text


@pytest.fixture(scope="module")
def tag():
    """Annotate a snippet; return {text: mention} (last wins) and the result."""

    def run(text: str) -> dict:
        return {m.text: m for m in annotate_text(text).mentions}

    return run


@pytest.mark.parametrize(
    ("code", "inn"),
    [("RAD001", "everolimus"), ("CCI-779", "temsirolimus"), ("INK128", "sapanisertib"),
     ("MLN0128", "sapanisertib"), ("TAK-228", "sapanisertib"), ("NVP-BEZ235", "dactolisib"),
     ("BYL719", "alpelisib"), ("AMD3100", "plerixafor"), ("rapamycin", "sirolimus"),
     ("CC-223", "onatasertib")],
)
def test_research_codes_resolve_to_inn(tag, code, inn):
    mention = tag(f"Cells were treated with {code} for 24 hours.")[code]
    assert (mention.label, mention.canonical) == ("DRUG", inn)


def test_brand_code_and_inn_share_identity(tag):
    found = tag("Everolimus (RAD001) was given; RAD001 inhibited growth.")
    assert found["Everolimus"].identifier == found["RAD001"].identifier is not None


def test_mtor_synonyms_are_one_gene(tag):
    found = tag("mTOR, also called FRAP1 or mechanistic target of rapamycin, is a kinase.")
    ids = {found[t].identifier for t in ("mTOR", "FRAP1", "mechanistic target of rapamycin")}
    assert ids == {"HGNC:3942"}


def test_families_and_complexes(tag):
    found = tag("PI3K activates Akt, which activates mTORC1 and S6K.")
    assert found["PI3K"].identifier == "FPLX:PI3K"
    assert found["mTORC1"].canonical == "mTORC1"
    assert found["Akt"].canonical == "AKT"


@pytest.mark.parametrize(("form", "protein"), [("pS6", "RPS6"), ("p-Akt", "AKT"), ("p-4EBP1", "EIF4EBP1")])
def test_phospho_forms_name_the_protein(tag, form, protein):
    mention = tag(f"Treatment reduced {form} in tumour cells.")[form]
    assert (mention.label, mention.canonical) == ("GENE_OR_PROTEIN", protein)


def test_drug_class_beats_gene(tag):
    mention = tag("mTOR inhibitors suppress tumor growth.")["mTOR inhibitors"]
    assert (mention.label, mention.canonical, mention.match) == ("DRUG", "mtor inhibitor", "class")


@pytest.mark.parametrize(
    "sentence",
    ["The HR was 0.77 (95% CI 0.59-1.00).", "Patients walked to the ATM daily.",
     "MET criteria were used for exercise.", "The SET of patients was small.",
     "A CAT scan was done.", "The IMPACT score rose.", "CAN be used safely."],
)
def test_ambiguous_symbols_need_context(tag, sentence):
    assert not any(m.label == "GENE_OR_PROTEIN" for m in tag(sentence).values())


@pytest.mark.parametrize("sentence", ["MET expression was high.", "ATM kinase was phosphorylated."])
def test_ambiguous_symbols_with_context(tag, sentence):
    symbol = sentence.split()[0]
    assert tag(sentence)[symbol].label == "GENE_OR_PROTEIN"


def test_abbreviations_are_per_document():
    bone = annotate_text("Osteosarcoma (OS) is a bone tumour. OS affects adolescents.", "a")
    trial = annotate_text("The overall survival (OS) was 44 months. OS improved.", "b")
    assert {m.canonical for m in bone.mentions if m.text == "OS"} == {"osteosarcoma"}
    assert {m.canonical for m in trial.mentions if m.text == "OS"} == {"overall survival"}
    assert bone.abbreviations["OS"] == "Osteosarcoma"
    assert all(m.match == "abbreviation" for m in trial.mentions if m.text == "OS")


def test_defined_abbreviation_of_non_entity_drops_gene(tag):
    assert "HR" not in tag("The hazard ratio (HR) was 0.77; HR favoured the drug.")


def test_fuzzy_long_misspelling(tag):
    mention = tag("Temsirolium was given weekly.")["Temsirolium"]
    assert (mention.canonical, mention.match) == ("temsirolimus", "fuzzy")


def test_fuzzy_never_matches_short_or_words(tag):
    found = tag("Evrolim and Sunitnb were noted; the drug inhibits growth.")
    assert not any(m.match == "fuzzy" for m in found.values())


def test_trial_pattern(tag):
    assert tag("In the RADIANT-3 trial, PFS improved.")["RADIANT-3"].label == "TRIAL"


def test_mentions_carry_offsets_and_provenance():
    result = annotate_text("Everolimus inhibits mTOR.")
    for mention in result.mentions:
        assert result.doc.text[mention.start:mention.end] == mention.text
        assert mention.provenance.model == result.model
        assert mention.provenance.lexicon_version == result.lexicon_version
    ents = {e.text: e._.canonical for e in result.spacy_doc.ents}
    assert ents == {"Everolimus": "everolimus", "mTOR": "MTOR"}


def test_function_word_brand_names_do_not_match_prose():
    """The brand "AT 10" is lower-cased in the compiled lexicon; "at 10 mg" is not a drug."""
    from pipeline.nlp import annotate_text

    found = {(m.text, m.label) for m in annotate_text("Patients received everolimus at 10 mg daily.").mentions}
    assert ("at 10", "DRUG") not in found and ("everolimus", "DRUG") in found


def test_interferon_class_is_a_drug():
    from pipeline.nlp import annotate_text

    found = {(m.text, m.label, m.canonical) for m in annotate_text("Interferon and octreotide were combined.").mentions}
    assert ("Interferon", "DRUG", "interferon") in found
