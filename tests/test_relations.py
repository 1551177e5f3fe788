"""Relation rules on small hand-made sentences whose entities are set by hand.

The entities are given, so these tests check the relation rules alone, not the tagger.
"""

from __future__ import annotations

import re

import pytest
from spacy.tokens import Span

from pipeline.nlp.annotate import register_extensions
from pipeline.nlp.model import load_nlp
from pipeline.relations.sentence import agents, find_statements, is_hedged


@pytest.fixture(scope="module")
def nlp():
    register_extensions()
    return load_nlp()


def tagged(nlp, text: str, entities: list[tuple[str, str, str]]):
    """Parse ``text`` and tag each (surface, label, canonical) at its first free occurrence."""
    doc = nlp(text)
    spans, used = [], set()
    for surface, label, canonical in entities:
        for match in re.finditer(re.escape(surface), text):
            if match.start() not in used:
                used.add(match.start())
                span = doc.char_span(match.start(), match.end(), label=label)
                assert span is not None, surface
                span._.canonical = canonical
                spans.append(span)
                break
    doc.ents = sorted(spans, key=lambda s: s.start)
    return doc[:]


def facts(findings):
    return {(f.agent.name, f.target, f.outcome, f.effect, f.negated) for f in findings}


def test_verb_cue_drug_inhibits_target_and_outcome(nlp):
    sent = tagged(nlp, "Gefitinib inhibits EGFR and suppresses proliferation of lung cancer cells.",
                  [("Gefitinib", "DRUG", "gefitinib"), ("EGFR", "GENE_OR_PROTEIN", "EGFR"),
                   ("proliferation", "OUTCOME", "proliferation")])
    assert facts(find_statements(sent)) == {("gefitinib", "EGFR", "proliferation", "decreases", False)}


def test_induced_outcome_and_passive_order(nlp):
    sent = tagged(nlp, "Apoptosis induced by cisplatin was enhanced in resistant cells.",
                  [("Apoptosis", "OUTCOME", "apoptosis"), ("cisplatin", "DRUG", "cisplatin")])
    assert facts(find_statements(sent)) == {("cisplatin", None, "apoptosis", "increases", False)}


def test_class_apposition_gives_target(nlp):
    sent = tagged(nlp, "Trametinib, a MEK inhibitor, was tested in melanoma.",
                  [("Trametinib", "DRUG", "trametinib"), ("MEK inhibitor", "DRUG", "mek inhibitor")])
    findings = find_statements(sent)
    assert facts(findings) == {("trametinib", "MEK", None, None, False)}
    assert findings[0].rule == "target-class-apposition"


def test_class_composed_from_a_gene_gives_its_gene_as_target(nlp):
    sent = tagged(nlp, "Antagonists of CXCR4, such as AMD3100, were developed.",
                  [("Antagonists of CXCR4", "DRUG", "cxcr4 antagonist"), ("AMD3100", "DRUG", "plerixafor")])
    sent.ents[0]._.match = "class"  # as the NER marks composed classes
    assert facts(find_statements(sent)) == {("plerixafor", "CXCR4", None, None, False)}


def test_class_as_agent_carries_its_target(nlp):
    sent = tagged(nlp, "mTOR inhibitors reduce tumor growth in xenografts.",
                  [("mTOR inhibitors", "DRUG", "mtor inhibitor"), ("tumor growth", "OUTCOME", "tumor growth")])
    assert facts(find_statements(sent)) == {("mtor inhibitor", "MTOR", "tumor growth", "decreases", False)}


def test_coordinated_drugs_give_one_record_each(nlp):
    sent = tagged(nlp, "Quercetin, curcumin and resveratrol inhibit migration of glioma cells.",
                  [("Quercetin", "DRUG", "quercetin"), ("curcumin", "DRUG", "curcumin"),
                   ("resveratrol", "DRUG", "resveratrol"), ("migration", "OUTCOME", "migration")])
    drugs = {f[0] for f in facts(find_statements(sent))}
    assert drugs == {"quercetin", "curcumin", "resveratrol"}


def test_combination_partner_goes_to_combined_with(nlp):
    sent = tagged(nlp, "Sorafenib plus erlotinib improved progression-free survival in these patients.",
                  [("Sorafenib", "DRUG", "sorafenib"), ("erlotinib", "DRUG", "erlotinib"),
                   ("progression-free survival", "OUTCOME", "progression-free survival")])
    findings = find_statements(sent)
    assert len(findings) == 1
    assert findings[0].agent.name == "sorafenib"
    assert findings[0].agent.partners == ("erlotinib",)
    assert findings[0].effect == "increases"


def regimens(findings):
    return {(f.agent.name, f.agent.partners) for f in findings}


def test_alone_or_in_combination_gives_both_regimens(nlp):
    sent = tagged(nlp, "Curcumin alone or in combination with cisplatin reduced tumor growth in mice.",
                  [("Curcumin", "DRUG", "curcumin"), ("cisplatin", "DRUG", "cisplatin"),
                   ("tumor growth", "OUTCOME", "tumor growth")])
    assert regimens(find_statements(sent)) == {("curcumin", ()), ("curcumin", ("cisplatin",))}


def test_partners_joined_by_or_are_alternative_regimens(nlp):
    sent = tagged(nlp, "Sirolimus combined with gemcitabine or an anti-VEGF antibody exerts synergistic effects.",
                  [("Sirolimus", "DRUG", "sirolimus"), ("gemcitabine", "DRUG", "gemcitabine"),
                   ("anti-VEGF antibody", "DRUG", "anti-vegf antibody"),
                   ("synergistic effects", "OUTCOME", "anti-tumor activity")])
    assert regimens(find_statements(sent)) == {("sirolimus", ("gemcitabine",)),
                                               ("sirolimus", ("anti-vegf antibody",))}


def test_activity_enhanced_by_a_second_drug(nlp):
    sent = tagged(nlp, "Lapatinib shows strong anti-tumor activity, which is enhanced by MEK inhibitors.",
                  [("Lapatinib", "DRUG", "lapatinib"), ("anti-tumor activity", "OUTCOME", "anti-tumor activity"),
                   ("MEK inhibitors", "DRUG", "mek inhibitor")])
    assert regimens(find_statements(sent)) == {("lapatinib", ()), ("lapatinib", ("mek inhibitor",))}


def test_drug_whose_induced_effect_is_modulated_is_a_partner(nlp):
    sent = tagged(nlp, "Quercetin sensitizes cisplatin-induced apoptosis in ovarian cancer cells.",
                  [("Quercetin", "DRUG", "quercetin"), ("cisplatin", "DRUG", "cisplatin"),
                   ("apoptosis", "OUTCOME", "apoptosis")])
    assert regimens(find_statements(sent)) == {("quercetin", ("cisplatin",))}


def test_distant_combination_with_makes_a_partner_unless_a_verb_follows(nlp):
    sent = tagged(nlp, "Lapatinib showed high effectiveness in breast cancer, especially in combination with capecitabine.",
                  [("Lapatinib", "DRUG", "lapatinib"), ("effectiveness", "OUTCOME", "anti-tumor activity"),
                   ("capecitabine", "DRUG", "capecitabine")])
    assert regimens(find_statements(sent)) == {("lapatinib", ("capecitabine",))}
    # the partner of "in combination with" is not tagged; a drug after the next verb is not it
    sent = tagged(nlp, "Octreotide in combination with radiotherapy improved symptoms and everolimus reduced tumor size.",
                  [("Octreotide", "DRUG", "octreotide"), ("everolimus", "DRUG", "everolimus")])
    assert [(a.name, a.partners) for a in agents(sent, list(sent.ents))] == [("octreotide", ()), ("everolimus", ())]


def test_therapy_class_with_drugs_names_the_kind_of_therapy_and_parallel_regimens(nlp):
    sent = tagged(nlp, "Targeted therapies with erlotinib and with gefitinib were found effective in lung cancer.",
                  [("Targeted therapies", "DRUG", "targeted therapy"), ("erlotinib", "DRUG", "erlotinib"),
                   ("gefitinib", "DRUG", "gefitinib"), ("effective", "OUTCOME", "anti-tumor activity")])
    sent.ents[0]._.match = "class"
    assert regimens(find_statements(sent)) == {("erlotinib", ()), ("gefitinib", ())}


def test_sequence_is_one_regimen(nlp):
    sent = tagged(nlp, "Median PFS did not differ between the arms (sorafenib followed by sunitinib vs. the reverse).",
                  [("PFS", "OUTCOME", "progression-free survival"), ("sorafenib", "DRUG", "sorafenib"),
                   ("sunitinib", "DRUG", "sunitinib")])
    assert [(a.name, a.partners) for a in agents(sent, list(sent.ents)[1:])] == [("sorafenib", ("sunitinib",))]


def test_class_apposition_goes_to_the_drug_it_is_apposed_to_not_a_coordinated_one(nlp):
    sent = tagged(nlp, "Cells were given both rapamycin and MEK1/2 inhibitor, PD98059, to block growth.",
                  [("rapamycin", "DRUG", "sirolimus"), ("MEK1/2 inhibitor", "DRUG", "mek inhibitor"),
                   ("PD98059", "DRUG", "pd98059")])
    drugs = list(sent.ents)
    found = {(f.agent.name, f.target) for f in find_statements(sent)}
    assert ("pd98059", "MEK") in found and ("sirolimus", "MEK") not in found
    assert [a.name for a in agents(sent, drugs)] == ["sirolimus", "pd98059"]


def test_british_spellings_find_their_cues(nlp):
    sent = tagged(nlp, "Tamoxifen antagonises the oestrogen receptor and sensitises cells to apoptosis.",
                  [("Tamoxifen", "DRUG", "tamoxifen"), ("oestrogen receptor", "GENE_OR_PROTEIN", "ESR1")])
    assert {(f.agent.name, f.target, f.interaction) for f in find_statements(sent)} == {("tamoxifen", "ESR1", "inhibits")}


def test_a_resisted_drug_does_not_act_on_the_resistance_proteins(nlp):
    sent = tagged(nlp, "Tumours resistant to tamoxifen often show enhanced activity of EGFR and HER2.",
                  [("tamoxifen", "DRUG", "tamoxifen"), ("EGFR", "GENE_OR_PROTEIN", "EGFR"), ("HER2", "GENE_OR_PROTEIN", "ERBB2")])
    assert find_statements(sent) == []
    acting = tagged(nlp, "Tamoxifen often reduces the activity of EGFR and HER2.",
                    [("Tamoxifen", "DRUG", "tamoxifen"), ("EGFR", "GENE_OR_PROTEIN", "EGFR"), ("HER2", "GENE_OR_PROTEIN", "ERBB2")])
    assert {f.agent.name for f in find_statements(acting)} == {"tamoxifen"}


def test_a_protein_named_as_the_assay_readout_is_not_a_target(nlp):
    sent = tagged(nlp, "Doxorubicin increased apoptosis, as determined by cleaved caspase 3 immunoreactivity.",
                  [("Doxorubicin", "DRUG", "doxorubicin"), ("apoptosis", "OUTCOME", "apoptosis"),
                   ("caspase 3", "GENE_OR_PROTEIN", "CASP3")])
    assert {(f.target, f.outcome) for f in find_statements(sent)} == {(None, "apoptosis")}
    sent = tagged(nlp, "Halofuginone decreased collagen synthesis in TGF-β-activated myofibroblasts.",
                  [("Halofuginone", "DRUG", "halofuginone"), ("TGF-β", "GENE_OR_PROTEIN", "TGFB")])
    assert find_statements(sent) == []


def test_drugs_listed_as_components_are_not_agents(nlp):
    sent = tagged(nlp, "Neoadjuvant chemotherapy, comprising anthracyclines (doxorubicin) and taxoids (paclitaxel), "
                       "reduces tumor size.",
                  [("chemotherapy", "DRUG", "chemotherapy"), ("anthracyclines", "DRUG", "anthracyclines"),
                   ("doxorubicin", "DRUG", "doxorubicin"), ("taxoids", "DRUG", "taxoids"),
                   ("paclitaxel", "DRUG", "paclitaxel"), ("tumor size", "OUTCOME", "tumor growth")])
    sent.ents[0]._.match = "class"
    assert regimens(find_statements(sent)) == {("chemotherapy", ())}


def test_mesh_class_names_are_classes_that_describe_the_named_drug(nlp):
    sent = tagged(nlp, "In mice, doxorubicin, an anthracycline, shows anti-tumor effects.",
                  [("doxorubicin", "DRUG", "doxorubicin"), ("anthracycline", "DRUG", "anthracyclines"),
                   ("anti-tumor effects", "OUTCOME", "anti-tumor activity")])
    assert regimens(find_statements(sent)) == {("doxorubicin", ())}


def test_cue_noun_right_after_a_gene_chain_is_that_chains_own(nlp):
    sent = tagged(nlp, "They described a rapamycin-induced ERK/MAPK activation based on an S6K/PI3K pathway.",
                  [("rapamycin", "DRUG", "sirolimus"), ("ERK", "GENE_OR_PROTEIN", "ERK"),
                   ("MAPK", "GENE_OR_PROTEIN", "MAPK"), ("S6K", "GENE_OR_PROTEIN", "S6K"),
                   ("PI3K", "GENE_OR_PROTEIN", "PI3K")])
    assert {(f.agent.name, f.target, f.interaction) for f in find_statements(sent)} == {
        ("sirolimus", "ERK/MAPK", "activates")}


def test_from_marks_a_comparator_only_after_differently(nlp):
    sent = tagged(nlp, "Trials showed a lack of benefit in OS from mTOR inhibitors.",
                  [("OS", "OUTCOME", "overall survival"), ("mTOR inhibitors", "DRUG", "mtor inhibitor")])
    assert [a.name for a in agents(sent, list(sent.ents)[1:])] == ["mtor inhibitor"]
    sent = tagged(nlp, "Differently from the rapalogs, torin1 blocks both complexes.",
                  [("rapalogs", "DRUG", "rapalog"), ("torin1", "DRUG", "torin1")])
    assert [a.name for a in agents(sent, list(sent.ents))] == ["torin1"]


def test_target_already_named_by_another_record_of_the_regimen_is_not_repeated(nlp):
    sent = tagged(nlp, "Both mTORC1 and mTORC2 are restrained by rapamycin, but mTORC1 is more sensitive.",
                  [("mTORC1", "GENE_OR_PROTEIN", "mTORC1"), ("mTORC2", "GENE_OR_PROTEIN", "mTORC2"),
                   ("rapamycin", "DRUG", "sirolimus"), ("mTORC1", "GENE_OR_PROTEIN", "mTORC1")])
    assert {f.target for f in find_statements(sent)} == {"mTORC1/mTORC2"}


def test_drugs_patients_were_treated_with_together_are_one_regimen_across_dose_asides(nlp):
    sent = tagged(nlp, "A study of 21 patients treated with increasing doses of lanreotide (up to 120 mg monthly) "
                       "and everolimus (5–10 mg daily) confirmed tumor regression.",
                  [("lanreotide", "DRUG", "lanreotide"), ("everolimus", "DRUG", "everolimus"),
                   ("tumor regression", "OUTCOME", "tumor growth")])
    assert regimens(find_statements(sent)) == {("lanreotide", ("everolimus",))}
    sent = tagged(nlp, "Lanreotide (up to 120 mg monthly) and everolimus reduced tumor growth in separate trials.",
                  [("Lanreotide", "DRUG", "lanreotide"), ("everolimus", "DRUG", "everolimus"),
                   ("tumor growth", "OUTCOME", "tumor growth")])
    assert regimens(find_statements(sent)) == {("lanreotide", ()), ("everolimus", ())}


def test_drug_after_superior_to_is_the_comparator(nlp):
    sent = tagged(nlp, "Cabozantinib improved progression-free survival, superior to sunitinib.",
                  [("Cabozantinib", "DRUG", "cabozantinib"),
                   ("progression-free survival", "OUTCOME", "progression-free survival"),
                   ("sunitinib", "DRUG", "sunitinib")])
    assert regimens(find_statements(sent)) == {("cabozantinib", ())}


@pytest.mark.parametrize("text,modifier", [
    ("Derivatives of rapamycin inhibit mTOR.", "rapamycin"),
    ("The rapamycin-insensitive companion of mTOR activates Akt.", "rapamycin"),
    ("Everolimus-resistant tumors responded to sapanisertib with reduced proliferation.", "Everolimus"),
    ("Correlations between rapalogs sensitivity and the activation of mTOR were found.", "rapalogs"),
])
def test_drug_that_only_qualifies_a_noun_is_not_an_agent(nlp, text, modifier):
    entities = [(modifier, "DRUG", modifier.lower())]
    entities += [(g, "GENE_OR_PROTEIN", g.upper()) for g in ("mTOR", "Akt") if g in text]
    if "sapanisertib" in text:
        entities += [("sapanisertib", "DRUG", "sapanisertib"), ("proliferation", "OUTCOME", "proliferation")]
    agents = {f.agent.name for f in find_statements(tagged(nlp, text, entities))}
    assert modifier.lower() not in agents
    acting = tagged(nlp, f"{modifier} inhibits mTOR.", [(modifier, "DRUG", modifier.lower()), ("mTOR", "GENE_OR_PROTEIN", "MTOR")])
    assert {f.agent.name for f in find_statements(acting)} == {modifier.lower()}


def test_class_named_beside_a_drug_describes_it(nlp):
    sent = tagged(nlp, "Octreotide is a first-generation SSA that reduced tumor growth in NETs.",
                  [("Octreotide", "DRUG", "octreotide"), ("SSA", "DRUG", "somatostatin analog"),
                   ("tumor growth", "OUTCOME", "tumor growth")])
    for span in sent.ents:
        span._.match = "class" if span.text == "SSA" else "exact"
    assert {f.agent.name for f in find_statements(sent)} == {"octreotide"}


def test_negation_gives_no_effect(nlp):
    sent = tagged(nlp, "Adding bevacizumab did not improve overall survival.",
                  [("bevacizumab", "DRUG", "bevacizumab"), ("overall survival", "OUTCOME", "overall survival")])
    assert facts(find_statements(sent)) == {("bevacizumab", None, "overall survival", "no_effect", True)}


def test_pathway_chain_is_one_target(nlp):
    sent = tagged(nlp, "Metformin blocks the AMPK/mTOR pathway in breast cancer cells.",
                  [("Metformin", "DRUG", "metformin"), ("AMPK", "GENE_OR_PROTEIN", "AMPK"),
                   ("mTOR", "GENE_OR_PROTEIN", "MTOR")])
    assert facts(find_statements(sent)) == {("metformin", "AMPK/MTOR", None, None, False)}


def test_coordinated_targets_of_one_cue_are_one_target(nlp):
    sent = tagged(nlp, "Both mTORC1 and mTORC2 are restrained by Torin1, which also suppresses Akt.",
                  [("mTORC1", "GENE_OR_PROTEIN", "mTORC1"), ("mTORC2", "GENE_OR_PROTEIN", "mTORC2"),
                   ("Torin1", "DRUG", "torin1"), ("Akt", "GENE_OR_PROTEIN", "AKT")])
    targets = {f.target for f in find_statements(sent)}
    assert "mTORC1/mTORC2" in targets and "mTORC1" not in targets


def test_nominal_cue_before_the_outcome(nlp):
    sent = tagged(nlp, "Activation of autophagy by rapamycin leads to cell death.",
                  [("autophagy", "OUTCOME", "autophagy"), ("rapamycin", "DRUG", "sirolimus")])
    assert facts(find_statements(sent)) == {("sirolimus", None, "autophagy", "increases", False)}


def test_cue_right_after_the_outcome_gives_its_direction(nlp):
    sent = tagged(nlp, "Lanreotide exhibited tumor growth inhibitory function in NETs.",
                  [("Lanreotide", "DRUG", "lanreotide"), ("tumor growth", "OUTCOME", "tumor growth")])
    assert facts(find_statements(sent)) == {("lanreotide", None, "tumor growth", "decreases", False)}


def test_drug_in_a_placebo_arm_is_the_comparator(nlp):
    sent = tagged(nlp, "PFS was 11.0 months with lanreotide plus octreotide vs. 8.1 months with placebo plus octreotide.",
                  [("PFS", "OUTCOME", "progression-free survival"), ("lanreotide", "DRUG", "lanreotide"),
                   ("octreotide", "DRUG", "octreotide"), ("octreotide", "DRUG", "octreotide")])
    assert [(a.name, a.partners) for a in agents(sent, list(sent.ents)[1:])] == [("lanreotide", ("octreotide",))]


def test_comparable_efficacy_across_an_outcome_marks_the_comparator(nlp):
    previous = tagged(nlp, "Cabozantinib was tested in a phase 2 study.", [("Cabozantinib", "DRUG", "cabozantinib")])
    antecedent = agents(previous, list(previous.ents))[0]
    sent = tagged(nlp, "The drug showed comparable efficacy to sunitinib in renal cancer.",
                  [("efficacy", "OUTCOME", "anti-tumor activity"), ("sunitinib", "DRUG", "sunitinib")])
    assert regimens(find_statements(sent, antecedent=antecedent)) == {("cabozantinib", ())}


def _antecedent(nlp, text, name, canonical):
    previous = tagged(nlp, text, [(name, "DRUG", canonical)])
    return agents(previous, list(previous.ents))[0]


def test_drugless_sentence_reporting_a_result_continues_the_study_of_the_drug_before(nlp):
    antecedent = _antecedent(nlp, "Patients received everolimus 10 mg daily.", "everolimus", "everolimus")
    sent = tagged(nlp, "Although non-significant, there was a trend toward the reduction of p-S6 ( p = 0.058 ).",
                  [("p-S6", "GENE_OR_PROTEIN", "RPS6")])
    assert facts(find_statements(sent, antecedent=antecedent)) == {("everolimus", "RPS6", None, None, False)}
    sent = tagged(nlp, "A partial response was seen in one patient while a tumor regression occurred in 13 of 21 patients.",
                  [("tumor regression", "OUTCOME", "tumor growth")])
    assert facts(find_statements(sent, antecedent=antecedent)) == {("everolimus", None, "tumor growth", "decreases", False)}


def test_drugless_sentence_without_a_result_or_after_a_class_states_nothing(nlp):
    antecedent = _antecedent(nlp, "Patients received everolimus 10 mg daily.", "everolimus", "everolimus")
    sent = tagged(nlp, "mTORC1 phosphorylates S6K1 and reduces 4E-BP1 activity.",
                  [("mTORC1", "GENE_OR_PROTEIN", "mTORC1"), ("S6K1", "GENE_OR_PROTEIN", "RPS6KB1"),
                   ("4E-BP1", "GENE_OR_PROTEIN", "EIF4EBP1")])
    assert find_statements(sent, antecedent=antecedent) == []
    class_antecedent = _antecedent(nlp, "mTOR inhibitors are widely used.", "mTOR inhibitors", "mtor inhibitor")
    sent = tagged(nlp, "Reduced PTEN expression was seen in 7% of tumors.", [("PTEN", "GENE_OR_PROTEIN", "PTEN")])
    assert find_statements(sent, antecedent=class_antecedent) == []
    result = tagged(nlp, "Although non-significant, there was a trend toward the reduction of p-S6 ( p = 0.058 ).",
                    [("p-S6", "GENE_OR_PROTEIN", "RPS6")])
    assert {f.agent.name for f in find_statements(result, antecedent=antecedent)} == {"everolimus"}


def test_anaphoric_noun_that_is_a_cue_still_reads_as_the_cue(nlp):
    antecedent = _antecedent(nlp, "Temsirolimus was given weekly.", "Temsirolimus", "temsirolimus")
    sent = tagged(nlp, "The inhibition of pS6 was confirmed in biopsies.", [("pS6", "GENE_OR_PROTEIN", "RPS6")])
    assert facts(find_statements(sent, antecedent=antecedent)) == {("temsirolimus", "RPS6", None, None, False)}


def test_no_improvement_is_a_negated_outcome(nlp):
    antecedent = _antecedent(nlp, "Patients received everolimus 10 mg daily.", "everolimus", "everolimus")
    sent = tagged(nlp, "However, no improvement of PFS was observed between the two groups.",
                  [("PFS", "OUTCOME", "progression-free survival")])
    assert facts(find_statements(sent, antecedent=antecedent)) == {
        ("everolimus", None, "progression-free survival", "no_effect", True)}


def test_the_study_refers_back_to_the_study_of_a_named_drug_only(nlp):
    sent = tagged(nlp, "The study demonstrated robust activation of the MAPK pathway.", [("MAPK", "GENE_OR_PROTEIN", "MAPK")])
    named = _antecedent(nlp, "Patients received everolimus 10 mg daily.", "everolimus", "everolimus")
    assert facts(find_statements(sent, antecedent=named)) == {("everolimus", "MAPK", None, None, False)}
    a_class = _antecedent(nlp, "mTOR inhibitors are widely used.", "mTOR inhibitors", "mtor inhibitor")
    assert find_statements(sent, antecedent=a_class) == []


@pytest.mark.parametrize("text,entities,expected", [
    # graded efficacy is efficacy shown
    ("Sorafenib in renal cancer: modest activity.",
     [("Sorafenib", "DRUG", "sorafenib"), ("modest activity", "OUTCOME", "anti-tumor activity")],
     ("sorafenib", None, "anti-tumor activity", "increases", False)),
    # an anti-tumour benefit is efficacy shown
    ("The study suggests antitumour benefit in the use of lanreotide in NETs.",
     [("antitumour benefit", "OUTCOME", "anti-tumor activity"), ("lanreotide", "DRUG", "lanreotide")],
     ("lanreotide", None, "anti-tumor activity", "increases", False)),
    # graded harm is harm shown; denied harm is no effect
    ("Two trials of dactolisib were stopped early for intolerable toxicity.",
     [("dactolisib", "DRUG", "dactolisib"), ("toxicity", "OUTCOME", "adverse events")],
     ("dactolisib", None, "adverse events", "increases", False)),
    ("Lanreotide was given with no severe toxicity.",
     [("Lanreotide", "DRUG", "lanreotide"), ("toxicity", "OUTCOME", "adverse events")],
     ("lanreotide", None, "adverse events", "no_effect", True)),
    # "the most efficient therapy in <outcome> was X"
    ("In GI-NETs the most efficient therapy in disease control was the combination of bevacizumab with SSA.",
     [("disease control", "OUTCOME", "disease control"), ("bevacizumab", "DRUG", "bevacizumab"),
      ("SSA", "DRUG", "somatostatin analog")],
     ("bevacizumab", None, "disease control", "increases", False)),
    # a vague efficacy word is about the measure the studies assessed
    ("In 8 studies assessing the PFS of nine therapies, lanreotide showed high effectiveness.",
     [("PFS", "OUTCOME", "progression-free survival"), ("lanreotide", "DRUG", "lanreotide"),
      ("effectiveness", "OUTCOME", "anti-tumor activity")],
     ("lanreotide", None, "progression-free survival", "increases", False)),
])
def test_how_an_outcome_gets_its_direction(nlp, text, entities, expected):
    assert facts(find_statements(tagged(nlp, text, entities))) == {expected}


def test_anaphor_when_the_only_drug_is_a_comparator(nlp):
    previous = tagged(nlp, "Onatasertib was tested in a phase 2 study.", [("Onatasertib", "DRUG", "onatasertib")])
    antecedent = agents(previous, list(previous.ents))[0]
    sent = tagged(nlp, "The drug improved progression-free survival, superior to everolimus.",
                  [("progression-free survival", "OUTCOME", "progression-free survival"),
                   ("everolimus", "DRUG", "everolimus")])
    assert facts(find_statements(sent, antecedent=antecedent)) == {
        ("onatasertib", None, "progression-free survival", "increases", False)}


def test_drug_in_parentheses_after_a_gene_is_that_genes_inhibitor(nlp):
    sent = tagged(nlp, "Dual inhibition of mTOR (everolimus) and PI3K (alpelisib) was more effective.",
                  [("mTOR", "GENE_OR_PROTEIN", "MTOR"), ("everolimus", "DRUG", "everolimus"),
                   ("PI3K", "GENE_OR_PROTEIN", "PI3K"), ("alpelisib", "DRUG", "alpelisib")])
    pairs = {(f.agent.name, f.target) for f in find_statements(sent)}
    assert pairs == {("everolimus", "MTOR"), ("alpelisib", "PI3K")}


def test_gene_far_before_the_drug_is_not_its_target(nlp):
    sent = tagged(nlp, "Earlier work reported that mTOR inhibition induces IRS-1 expression and feedback "
                       "signalling in cancer cell lines and in tumours of patients treated with everolimus.",
                  [("mTOR", "GENE_OR_PROTEIN", "MTOR"), ("IRS-1", "GENE_OR_PROTEIN", "IRS1"),
                   ("everolimus", "DRUG", "everolimus")])
    assert find_statements(sent) == []
    near = tagged(nlp, "Everolimus inhibits mTOR in cancer cell lines.",
                  [("Everolimus", "DRUG", "everolimus"), ("mTOR", "GENE_OR_PROTEIN", "MTOR")])
    assert {(f.agent.name, f.target) for f in find_statements(near)} == {("everolimus", "MTOR")}


def test_sentence_whose_main_verb_is_an_investigation_states_no_result(nlp):
    sent = tagged(nlp, "The ability of rapamycin to inhibit proliferation is explored in most studies.",
                  [("rapamycin", "DRUG", "sirolimus"), ("proliferation", "OUTCOME", "proliferation")])
    assert find_statements(sent) == []
    found = tagged(nlp, "Rapamycin inhibits proliferation in most studies.",
                   [("Rapamycin", "DRUG", "sirolimus"), ("proliferation", "OUTCOME", "proliferation")])
    assert facts(find_statements(found)) == {("sirolimus", None, "proliferation", "decreases", False)}


@pytest.mark.parametrize("text,effect", [
    ("Cabozantinib was found effective in pancreatic NETs.", "increases"),
    ("Cabozantinib appeared to be the most effective treatment.", "increases"),
    ("Cabozantinib was less effective in gastric NETs.", "decreases"),
])
def test_efficacy_predicated_of_the_drug(nlp, text, effect):
    sent = tagged(nlp, text, [("Cabozantinib", "DRUG", "cabozantinib"), ("effective", "OUTCOME", "anti-tumor activity")])
    assert {f.effect for f in find_statements(sent)} == {effect}


def test_efficacy_as_a_plain_modifier_is_not_a_result(nlp):
    sent = tagged(nlp, "Enalapril allows an effective reduction in blood pressure.",
                  [("Enalapril", "DRUG", "enalapril"), ("effective", "OUTCOME", "anti-tumor activity")])
    assert find_statements(sent) == []
    verdict = tagged(nlp, "Enalapril was found effective.", [("Enalapril", "DRUG", "enalapril"), ("effective", "OUTCOME", "anti-tumor activity")])
    assert {f.effect for f in find_statements(verdict)} == {"increases"}


def test_words_of_another_outcome_are_not_cues(nlp):
    sent = tagged(nlp, "Trials confirmed the antitumour activity of sunitinib, with PFS of 11.4 months.",
                  [("antitumour activity", "OUTCOME", "anti-tumor activity"), ("sunitinib", "DRUG", "sunitinib"),
                   ("PFS", "OUTCOME", "progression-free survival")])
    assert facts(find_statements(sent)) == {("sunitinib", None, "anti-tumor activity", "increases", False)}


def test_vague_efficacy_gives_way_to_the_measured_outcome(nlp):
    sent = tagged(nlp, "Targeted agents were found to be effective and improve PFS in these patients.",
                  [("Targeted agents", "DRUG", "targeted therapy"), ("effective", "OUTCOME", "anti-tumor activity"),
                   ("PFS", "OUTCOME", "progression-free survival")])
    assert {f.outcome for f in find_statements(sent)} == {"progression-free survival"}


def test_no_drug_no_statement(nlp):
    sent = tagged(nlp, "mTORC1 phosphorylates S6K1 and promotes proliferation.",
                  [("mTORC1", "GENE_OR_PROTEIN", "mTORC1"), ("S6K1", "GENE_OR_PROTEIN", "RPS6KB1"),
                   ("proliferation", "OUTCOME", "proliferation")])
    assert find_statements(sent) == []
    drug = tagged(nlp, "Everolimus inhibits mTORC1 and reduces proliferation.",
                  [("Everolimus", "DRUG", "everolimus"), ("mTORC1", "GENE_OR_PROTEIN", "mTORC1"),
                   ("proliferation", "OUTCOME", "proliferation")])
    assert {f.agent.name for f in find_statements(drug)} == {"everolimus"}


def test_drug_and_outcome_without_any_cue_is_not_a_statement(nlp):
    sent = tagged(nlp, "Paclitaxel was given to patients whose apoptosis markers were measured.",
                  [("Paclitaxel", "DRUG", "paclitaxel"), ("apoptosis", "OUTCOME", "apoptosis")])
    assert find_statements(sent) == []
    cued = tagged(nlp, "Paclitaxel induced apoptosis in these patients.",
                  [("Paclitaxel", "DRUG", "paclitaxel"), ("apoptosis", "OUTCOME", "apoptosis")])
    assert facts(find_statements(cued)) == {("paclitaxel", None, "apoptosis", "increases", False)}


@pytest.mark.parametrize("text,hedged", [
    ("These data suggest that Xanib may inhibit growth.", True),
    ("Xanib could reduce growth.", True),
    ("Xanib inhibited growth in all models.", False),
])
def test_hedging(nlp, text, hedged):
    sent = tagged(nlp, text, [("Xanib", "DRUG", "xanib"), ("growth", "OUTCOME", "cell growth")])
    assert {f.agent.name for f in find_statements(sent)} == {"xanib"}
    assert is_hedged(sent) is hedged


def test_relation_does_not_cross_a_clause_break(nlp):
    sent = tagged(nlp, "Imatinib reduced migration while dasatinib blocked SRC in these cells.",
                  [("Imatinib", "DRUG", "imatinib"), ("migration", "OUTCOME", "migration"),
                   ("dasatinib", "DRUG", "dasatinib"), ("SRC", "GENE_OR_PROTEIN", "SRC")])
    assert facts(find_statements(sent)) == {("imatinib", None, "migration", "decreases", False),
                                            ("dasatinib", "SRC", None, None, False)}


def test_comparator_drug_is_not_an_agent(nlp):
    sent = tagged(nlp, "Unlike cisplatin, oxaliplatin induced apoptosis in colon cancer cells.",
                  [("cisplatin", "DRUG", "cisplatin"), ("oxaliplatin", "DRUG", "oxaliplatin"),
                   ("apoptosis", "OUTCOME", "apoptosis")])
    assert facts(find_statements(sent)) == {("oxaliplatin", None, "apoptosis", "increases", False)}


def test_investigation_verb_states_no_finding(nlp):
    sent = tagged(nlp, "The trial assessed the antitumour activity of oral lapatinib in 80 patients.",
                  [("antitumour activity", "OUTCOME", "anti-tumor activity"), ("lapatinib", "DRUG", "lapatinib")])
    assert find_statements(sent) == []
    shown = tagged(nlp, "Oral lapatinib showed antitumour activity in 80 patients.",
                   [("lapatinib", "DRUG", "lapatinib"), ("antitumour activity", "OUTCOME", "anti-tumor activity")])
    assert {f.agent.name for f in find_statements(shown)} == {"lapatinib"}


def test_anaphoric_subject_refers_to_previous_agent(nlp):
    first = tagged(nlp, "Sunitinib was given to 30 patients.", [("Sunitinib", "DRUG", "sunitinib")])
    from pipeline.relations.sentence import agents
    antecedent = agents(first, list(first.ents))[0]
    second = tagged(nlp, "The drug improved progression-free survival.",
                    [("progression-free survival", "OUTCOME", "progression-free survival")])
    assert facts(find_statements(second, antecedent=antecedent)) == {
        ("sunitinib", None, "progression-free survival", "increases", False)}
    assert find_statements(second) == []


def test_outcome_phrase_carries_its_direction(nlp):
    sent = tagged(nlp, "Lenvatinib produced tumor regression in most patients.",
                  [("Lenvatinib", "DRUG", "lenvatinib"), ("tumor regression", "OUTCOME", "tumor growth")])
    assert facts(find_statements(sent)) == {("lenvatinib", None, "tumor growth", "decreases", False)}


def test_constituent_negation_does_not_negate_the_finding(nlp):
    sent = tagged(nlp, "Blocking ERK but not JNK with trametinib reduced invasion of the cells.",
                  [("ERK", "GENE_OR_PROTEIN", "ERK"), ("JNK", "GENE_OR_PROTEIN", "JNK"),
                   ("trametinib", "DRUG", "trametinib"), ("invasion", "OUTCOME", "invasion")])
    assert ("trametinib", None, "invasion", "decreases", False) in {
        (f.agent.name, None, f.outcome, f.effect, f.negated) for f in find_statements(sent)}


def test_table_row_drug_name_cell_is_the_primary(nlp):
    row = tagged(nlp, "2019 | Gefitinib Erlotinib combined with gefitinib increased apoptosis | [12]",
                 [("Gefitinib", "DRUG", "gefitinib"), ("Erlotinib", "DRUG", "erlotinib"),
                  ("gefitinib", "DRUG", "gefitinib"), ("apoptosis", "OUTCOME", "apoptosis")])
    findings = find_statements(row, primary_hint="gefitinib")
    assert [(f.agent.name, f.agent.partners, f.outcome) for f in findings] == [
        ("gefitinib", ("erlotinib",), "apoptosis")]


def test_gene_before_drug_needs_the_drug_marked_as_agent(nlp):
    unmarked = tagged(nlp, "Activation of AKT was frequent, and sorafenib was given to all patients.",
                      [("AKT", "GENE_OR_PROTEIN", "AKT"), ("sorafenib", "DRUG", "sorafenib")])
    assert find_statements(unmarked) == []
    marked = tagged(nlp, "Inhibition of AKT by capivasertib was complete.",
                    [("AKT", "GENE_OR_PROTEIN", "AKT"), ("capivasertib", "DRUG", "capivasertib")])
    assert facts(find_statements(marked)) == {("capivasertib", "AKT", None, None, False)}


def test_numeric_comparison_gives_the_direction(nlp):
    sent = tagged(nlp, "Median progression-free survival was 9.2 months with cabozantinib vs. 4.1 months "
                       "with placebo.",
                  [("progression-free survival", "OUTCOME", "progression-free survival"),
                   ("cabozantinib", "DRUG", "cabozantinib")])
    findings = find_statements(sent)
    assert facts(findings) == {("cabozantinib", None, "progression-free survival", "increases", False)}
    assert findings[0].rule == "outcome-comparison"


def test_a_drug_said_to_act_likewise_shares_the_target_finding(nlp):
    sent = tagged(nlp, "Compound 33RE displayed potent inhibition of ACE in a similar range to parent molecule RXP407.",
                  [("33RE", "DRUG", "33re"), ("ACE", "GENE_OR_PROTEIN", "ACE"), ("RXP407", "DRUG", "rxp407")])
    found = {(f.agent.name, f.target) for f in find_statements(sent)}
    assert found == {("33re", "ACE"), ("rxp407", "ACE")}


def test_a_drug_merely_named_after_a_finding_does_not_share_it(nlp):
    sent = tagged(nlp, "Compound 33RE displayed potent inhibition of ACE; RXP407 was synthesised later.",
                  [("33RE", "DRUG", "33re"), ("ACE", "GENE_OR_PROTEIN", "ACE"), ("RXP407", "DRUG", "rxp407")])
    found = {(f.agent.name, f.target) for f in find_statements(sent)}
    assert found == {("33re", "ACE")}


def test_a_name_right_before_a_drug_class_qualifies_it_and_is_not_an_agent(nlp):
    sent = tagged(nlp, "RXP407 is a phosphinic peptidomimetic ACE inhibitor with N-selectivity.",
                  [("RXP407", "DRUG", "rxp407"), ("peptidomimetic", "DRUG", "peptidomimetics"),
                   ("ACE inhibitor", "DRUG", "angiotensin-converting enzyme inhibitors")])
    names = {a.name for a in agents(sent, [e for e in sent.ents])}
    assert "peptidomimetics" not in names and "rxp407" in names
    # the class is apposed to the named drug, not to its own qualifier: RXP407 inhibits ACE
    assert {(f.agent.name, f.target) for f in find_statements(sent)} == {("rxp407", "ACE")}


def test_a_vague_efficacy_word_is_about_the_outcome_it_names(nlp):
    sent = tagged(nlp, "Bupropion was effective for aiding smoking cessation in adults.",
                  [("Bupropion", "DRUG", "bupropion"), ("effective", "OUTCOME", "anti-tumor activity"),
                   ("smoking cessation", "OUTCOME", "smoking cessation")])
    outcomes = {f.outcome for f in find_statements(sent)}
    assert "smoking cessation" in outcomes and "anti-tumor activity" not in outcomes


def test_a_vague_efficacy_word_without_an_object_stays_vague(nlp):
    sent = tagged(nlp, "Bupropion was effective, and smoking cessation services were expanded.",
                  [("Bupropion", "DRUG", "bupropion"), ("effective", "OUTCOME", "anti-tumor activity"),
                   ("smoking cessation", "OUTCOME", "smoking cessation")])
    assert "anti-tumor activity" in {f.outcome for f in find_statements(sent)}


def test_a_search_string_states_nothing_but_a_sentence_beside_it_does():
    from pipeline.nlp import annotate_text
    from pipeline.relations import extract_triples

    text = ("The search used ‘‘oxaliplatin neuropathy’’ OR ‘‘cisplatin neuropathy’’ OR ‘‘bortezomib "
            "neuropathy’’ OR ‘‘vincristine neuropathy’’.\n\nGefitinib inhibits EGFR in lung cancer cells.")
    drugs = {t.drug for t in extract_triples(annotate_text(text))}
    assert drugs == {"gefitinib"}


def test_a_class_named_by_a_gene_synonym_carries_that_gene_as_target(nlp):
    sent = tagged(nlp, "Letrozole, an aromatase inhibitor, reduced oestrogen levels.",
                  [("Letrozole", "DRUG", "letrozole"), ("aromatase inhibitor", "DRUG", "aromatase inhibitors")])
    assert {(f.agent.name, f.target) for f in find_statements(sent)} == {("letrozole", "CYP19A1")}


def test_pairing_an_agent_with_a_term_defined_by_it_restates_the_definition():
    from pipeline.nlp import annotate_text
    from pipeline.relations import extract_triples

    text = ("Chemotherapy-induced peripheral neuropathy (CIPN) is a side effect caused by chemotherapy. "
            "Many patients develop chronic CIPN after chemotherapy ends. "
            "Duloxetine reduced CIPN pain in a randomised trial.")
    found = {(t.drug, t.evidence[:12]) for t in extract_triples(annotate_text(text))}
    assert ("chemotherapy", "Chemotherapy") in found          # the defining sentence
    assert ("chemotherapy", "Many patient") not in found       # the definition said again
    assert ("duloxetine", "Duloxetine r") in found            # another agent's finding on the term

