"""NER rules and vocabulary: composed names, protein-not-drug, fuzzy guard, outcome forms."""

from __future__ import annotations

import pytest

from pipeline.nlp import annotate_text


def _found(text: str) -> set[tuple[str, str, str]]:
    return {(m.text, m.label, m.canonical) for m in annotate_text(text).mentions}


def test_gene_inhibitor_is_a_class_named_after_its_target():
    found = _found("Cells were treated with Hsp90 inhibitors or MEK/Erk inhibitors.")
    assert ("Hsp90 inhibitors", "DRUG", "hsp90 inhibitor") in found
    assert ("MEK/Erk inhibitors", "DRUG", "mek/erk inhibitor") in found


def test_inhibitor_of_gene_is_a_class_named_after_its_target():
    found = _found("A novel antagonist of CXCR4 and inhibitors of the IDO1 pathway were used.")
    assert ("antagonist of CXCR4", "DRUG", "cxcr4 antagonist") in found
    assert ("inhibitors of the IDO1", "DRUG", "ido1 inhibitor") in found


def test_designated_compound_is_the_specific_compound():
    assert ("Cucurbitacin B", "DRUG", "cucurbitacin b") in _found("Cucurbitacin B reduced growth.")


def test_modified_drug_is_a_derivative_not_the_parent():
    found = _found("Phosphorus-\ncontaining sirolimus and FITC-conjugated doxorubicin were tested.")
    assert ("Phosphorus-\ncontaining sirolimus", "DRUG", "phosphorus-containing sirolimus") in found
    assert ("FITC-conjugated doxorubicin", "DRUG", "fitc-conjugated doxorubicin") in found
    assert not any(canonical in {"sirolimus", "doxorubicin"} for _, _, canonical in found)


def test_substituted_drug_is_its_own_compound():
    found = _found("The IDO inhibitor 1-methyl-DL-tryptophan and 5-fluorouracil were given.")
    assert ("1-methyl-DL-tryptophan", "DRUG", "1-methyl-dl-tryptophan") in found
    assert ("5-fluorouracil", "DRUG", "fluorouracil") in found  # locants alone are part of the name


def test_latex_greek_letter_completes_the_name():
    found = _found("Reduced levels of HIF-1 $\\alpha$ and HIF-2 $\\alpha$ were seen.")
    assert ("HIF-1 $\\alpha$", "GENE_OR_PROTEIN", "HIF1A") in found
    assert ("HIF-2 $\\alpha$", "GENE_OR_PROTEIN", "EPAS1") in found


def test_amino_acid_in_a_mutation_is_not_a_drug():
    assert not any(label == "DRUG" for _, label, _ in _found("An arginine instead of glycine in codon 388 predicted shorter survival."))
    assert ("Glycine", "DRUG", "glycine") in _found("Glycine supplementation reduced fatigue.")


def test_research_codes_listed_with_drugs_are_drugs():
    found = _found("Cells were treated with LY294002, AZD8055 or KU-0063794, and CD133 was measured.")
    assert ("KU-0063794", "DRUG", "ku-0063794") in found
    assert not any(text == "CD133" and label == "DRUG" for text, label, _ in found)


def test_elided_series_member():
    found = _found("Torin1 and 2 showed antiproliferative power.")
    assert ("2", "DRUG", "torin2") in found


def test_elided_gene_series_members_come_from_the_lexicon():
    found = _found("It blocks both MTORC1 and 2, unlike the mTORC1/2 kinase inhibitor CC-223 or MEK1/2 inhibitors.")
    assert ("2", "GENE_OR_PROTEIN", "mTORC2") in found
    assert ("mTORC1/2 kinase inhibitor", "DRUG", "mtorc1/mtorc2 inhibitor") in found
    assert ("MEK1/2 inhibitors", "DRUG", "mek inhibitor") in found  # the lexicon's own "MEK1/2"


def test_receptor_written_with_dash_r_and_slashed_family_series():
    found = _found("Sunitinib targets VEGF-R1/2/3, PDGF-R and CSF1-R, but not FLT3-R.")
    assert ("VEGF-R1/2/3", "GENE_OR_PROTEIN", "VEGFR") in found
    assert ("PDGF-R", "GENE_OR_PROTEIN", "PDGFR") in found and ("CSF1-R", "GENE_OR_PROTEIN", "CSF1R") in found
    assert ("FLT3", "GENE_OR_PROTEIN", "FLT3") in found  # no "FLT3R" in the lexicon: the symbol stays


def test_protein_names_are_not_drugs():
    found = _found("the phosphatidylinositol 3-kinase pathway, regulatory associated protein of mTOR and insulin receptor")
    labels = {(t, l) for t, l, _ in found}
    assert ("phosphatidylinositol 3-kinase", "GENE_OR_PROTEIN") in labels
    assert not any(l == "DRUG" for _, l in labels)


def test_hyphenated_and_glued_gene_names_match_whole():
    found = _found("via the mTOR/S6K1/4E-BP1 pathway and mTOR complex 1(mTORC1); it upregulates HIF-1αprotein.")
    texts = {(t, c) for t, _, c in found}
    assert ("4E-BP1", "EIF4EBP1") in texts and ("S6K1", "RPS6KB1") in texts
    assert ("mTORC1", "mTORC1") in texts and ("HIF-1α", "HIF1A") in texts


def test_fuzzy_matching_spares_english_words():
    found = _found("Cellular targeting is promising and important; it inhibits cytotoxic complexes, "
                   "protecting attention and reversing receptor loss. Patients received Temsirolium.")
    assert {(t, l) for t, l, _ in found if l == "DRUG"} == {("Temsirolium", "DRUG")}


def test_natural_compounds_are_drugs():
    found = _found("Lupeol, icariside II, capsaicin, quercetin and curcumin inhibit growth.")
    drugs = {c for _, l, c in found if l == "DRUG"}
    assert {"lupeol", "icariside ii", "capsaicin", "quercetin", "curcumin"} <= drugs


def test_generic_disease_words_are_not_diseases():
    assert not [x for x in _found("These tumors cause disease and a syndrome.") if x[1] == "DISEASE"]


@pytest.mark.parametrize("text, canonical", [
    ("showed anti-proliferative effects", "proliferation"),
    ("a pro-apoptotic response", "apoptosis"),
    ("anti-metastatic activity", "metastasis"),
    ("antiangiogenic", "angiogenesis"),
    ("with acceptable toxicity", "adverse events"),
    ("overcame chemoresistance", "drug resistance"),
    ("tumor regression was seen", "tumor growth"),
    ("led to disease stabilization", "disease control"),
    ("improved symptoms control", "symptom control"),
    ("caused cell death", "cell viability"),
    ("growth inhibition of cells", "cell growth"),
    ("the antitumour efficacy of X", "anti-tumor activity"),
])
def test_outcome_vocabulary(text: str, canonical: str):
    assert canonical in {c for _, l, c in _found(text) if l == "OUTCOME"}


def test_anti_disease_activity_is_anti_tumor_activity():
    found = _found("Osteosarcoma (OS) is rare. The drug showed anti-OS activity.")
    assert ("anti-OS activity", "OUTCOME", "anti-tumor activity") in found


@pytest.mark.parametrize("text", ["The drug showed anti-glioma activity.", "It had anti-cancer effects."])
def test_anti_tumor_word_activity_is_anti_tumor_activity(text):
    assert any(label == "OUTCOME" and canonical == "anti-tumor activity" for _, label, canonical in _found(text))


def test_mtor_complexes_named_by_their_defining_subunit():
    found = _found("It inhibits mTOR-raptor and rictor-mTOR.")
    assert ("mTOR-raptor", "GENE_OR_PROTEIN", "mTORC1") in found
    assert ("rictor-mTOR", "GENE_OR_PROTEIN", "mTORC2") in found


def test_graded_bare_activity_is_anti_tumor_activity_unless_it_is_a_proteins():
    found = _found("The therapy showed substantial activity and encouraging results, with strong activity of Akt.")
    assert ("substantial activity", "OUTCOME", "anti-tumor activity") in found
    assert ("encouraging results", "OUTCOME", "anti-tumor activity") in found
    assert not any(text == "strong activity" for text, _, _ in found)


def test_invasiveness_and_motility_are_outcomes():
    found = _found("It suppressed the migration and invasiveness of U2OS cells and their motility.")
    assert ("invasiveness", "OUTCOME", "invasion") in found and ("motility", "OUTCOME", "migration") in found


def test_name_introduced_by_a_drug_class_is_a_drug_throughout_the_document():
    found = _found("We used a selective antagonist of CXCR4 named ‘Peptide X’ in mice. Later, Peptide X reduced "
                   "metastasis. The patient was named ‘Anna K’.")
    assert [(t, c) for t, label, c in found if label == "DRUG" and t == "Peptide X"] == [("Peptide X", "peptide x")]
    spans = [m for m in annotate_text("An antagonist of CXCR4 named ‘Peptide X’ was used; Peptide X worked.").mentions
             if m.canonical == "peptide x"]
    assert len(spans) == 2
    assert not any(t == "Anna K" for t, _, _ in found)  # only a drug class introduces a drug name


def test_pdx_is_a_gene_only_in_gene_context():
    assert not any(label == "GENE_OR_PROTEIN" for _, label, _ in _found("In a PDX model of PNET (PDX-PNET), tumors shrank."))


def test_british_and_singular_class_names():
    found = _found("Mice got Dox + antibiotic; antioestrogens activate Notch via the oestrogen receptor.")
    assert ("antibiotic", "DRUG", "anti-bacterial agents") in found
    assert ("antioestrogens", "DRUG", "estrogen receptor antagonists") in found
    assert ("oestrogen receptor", "GENE_OR_PROTEIN", "ESR1") in found


def test_tumour_weight_and_metastatic_burden_are_outcomes():
    found = _found("Treated animals displayed reduced tumor weight and metastatic burden.")
    assert ("tumor weight", "OUTCOME", "tumor growth") in found and ("metastatic burden", "OUTCOME", "metastasis") in found


def test_mutant_specific_inhibitor_class_and_the_code_it_introduces():
    found = _found("We used the investigational K-Ras(G12C) inhibitor ARS1620. Cells resisted ARS1620; "
                   "BRAF V600E inhibitors were also tested.")
    assert ("K-Ras(G12C) inhibitor", "DRUG", "kras inhibitor") in found
    assert ("BRAF V600E inhibitors", "DRUG", "braf inhibitor") in found
    assert [t for t, label, c in found if c == "ars1620"] == ["ARS1620"]  # found at both uses (a set here)
    assert len([m for m in annotate_text("The K-Ras(G12C) inhibitor ARS1620 was used; ARS1620 worked.").mentions
                if m.canonical == "ars1620"]) == 2


def test_an_ambiguous_symbol_defined_as_a_protein_is_that_gene_in_the_whole_document():
    text = ("Angiotensin-1-converting enzyme (ACE) has two domains. Captopril inhibits ACE in "
            "patients, and ACE inhibitors lower blood pressure.")
    found = [(m.text, m.label, m.canonical) for m in annotate_text(text).mentions]
    assert found.count(("ACE", "GENE_OR_PROTEIN", "ACE")) == 2
    assert ("ACE inhibitors", "DRUG", "angiotensin-converting enzyme inhibitors") in found  # the longer name stays


def test_an_ambiguous_symbol_defined_as_something_else_stays_unresolved():
    found = _found("Adverse clinical events (ACE) were rare. ACE occurred in two patients.")
    assert not [m for m in found if m[1] == "GENE_OR_PROTEIN"]


def test_title_case_amino_acid_codes_are_residues_not_genes():
    found = _found("The inhibitor contacts Arg522 and Thr358, while ARG kinase was unaffected.")
    assert not [m for m in found if m[0].startswith(("Arg5", "Thr"))]
    assert ("Arg522", "GENE_OR_PROTEIN", "ABL2") not in found


def test_a_code_introduced_by_inhibitor_or_compound_is_a_drug_everywhere_in_the_document():
    text = ("We used the N-selective inhibitor RXP407 and compound 33RE. RXP407 binds the N-domain, "
            "and 33RE binds it more tightly.")
    drugs = [m.text for m in annotate_text(text).mentions if m.label == "DRUG"]
    assert drugs.count("RXP407") == 2 and drugs.count("33RE") == 2


def test_a_code_naming_cells_is_not_introduced_as_a_drug():
    drugs = [m.text for m in annotate_text("For each drug HCT116 cells were seeded; HCT116 grew fast.").mentions
             if m.label == "DRUG"]
    assert "HCT116" not in drugs


def test_a_protein_part_is_the_documents_focal_protein():
    focal = ("Angiotensin-1-converting enzyme (ACE) is a zinc protease. ACE has two domains. ACE "
             "cleaves angiotensin I. ACE is the target of captopril. ACE is also named kininase II. "
             "Compound 33RE displayed potent inhibition of the N-domain.")
    parts = [(m.text, m.canonical) for m in annotate_text(focal).mentions if m.provenance.rule == "rule:protein_part"]
    assert parts == [("N-domain", "ACE")]


def test_a_protein_part_without_a_focal_protein_is_dropped():
    found = _found("EGFR and KRAS were sequenced. Compound 7 bound the N-domain of a kinase.")
    assert not [m for m in found if m[0] == "N-domain"]


def test_a_drug_inside_a_later_use_of_an_abbreviated_condition_name_is_not_tagged():
    text = ("Chemotherapy-induced peripheral neuropathy (CIPN) is a side effect of chemotherapy. "
            "We studied the diagnosis of chemotherapy-induced peripheral neuropathy in 30 centres.")
    drugs = [m.start for m in annotate_text(text).mentions if m.text.lower() == "chemotherapy"]
    assert drugs == [0, text.index("of chemotherapy") + 3]  # the definition and the real use


def test_an_abbreviated_drug_class_long_form_keeps_its_drug():
    text = "Aromatase inhibitors (AIs) lower oestrogen. Aromatase inhibitors are given for five years."
    drugs = [m.text for m in annotate_text(text).mentions if m.label == "DRUG"]
    assert drugs.count("Aromatase inhibitors") == 2


def test_a_caption_knows_the_names_its_body_introduced():
    body = annotate_text(
        "Angiotensin-1-converting enzyme (ACE) is a zinc protease. ACE has two domains. ACE cleaves "
        "angiotensin I. ACE is the target of captopril. ACE is also named kininase II. We designed the "
        "N-selective inhibitor RXP407 further.")
    caption = "Binding of RXP407 to the N-domain of ACE"
    alone = {(m.text, m.canonical) for m in annotate_text(caption).mentions}
    carried = {(m.text, m.canonical) for m in annotate_text(caption, context=body.context).mentions}
    assert ("RXP407", "rxp407") not in alone and ("ACE", "ACE") not in alone
    assert {("RXP407", "rxp407"), ("ACE", "ACE"), ("N-domain", "ACE")} <= carried


def test_pharmacological_inhibition_of_a_gene_is_that_genes_inhibitors_as_an_agent():
    found = _found("Pharmacologic and genetic inhibition of the Notch signalling reduced tumour formation.")
    assert ("Pharmacologic and genetic inhibition of the Notch", "DRUG", "notch inhibitor") in found
    assert not [m for m in _found("Genetic inhibition of the Notch signalling reduced tumour formation.")
                if m[1] == "DRUG"]


def test_a_drug_conjugated_to_a_residue_is_its_own_compound():
    names = [m.canonical for m in annotate_text("RXPA380 and lisinopril-Trp are C-selective; lisinopril is not.").mentions
             if m.label == "DRUG"]
    assert "lisinopril-trp" in names and names.count("lisinopril") == 1
