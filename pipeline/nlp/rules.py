"""Compositional rules over lexicon candidates: names that are built from other names.

* ``<gene(s)> inhibitor(s)`` is a drug class ("Hsp90 inhibitor", "MEK/Erk inhibitors");
* ``<compound> <designator>`` is one specific compound ("cucurbitacin B", "icariside II");
* ``<X>-containing/-conjugated/-loaded <drug>`` is a derivative, not the parent drug
  ("phosphorus-containing sirolimus"), and so is a drug under a substituent prefix
  ("1-methyl-DL-tryptophan");
* ``anti-<disease> activity/effect`` is the anti-tumor activity outcome ("anti-OS activity"), and
  so is a graded bare "activity"/"results" ("showed substantial activity", "promising results");
* a research code listed with drugs is a drug ("PP242, QSI-027, ku0063792 and Ku-0068650"), and
  "torin1 and 2" names torin2 too; so do gene series ("mTORC1/2", "MTORC1 and 2"), and a
  slashed series of a known family is the family ("VEGF-R1/2/3" → VEGFR);
* a ligand symbol with "-R" is its receptor when the lexicon knows the joined name ("VEGF-R1",
  "PDGF-R");
* a name a drug class introduces ("an antagonist of CXCR4 named ‘Peptide R’") is a drug, wherever
  the document uses it;
* a name followed by a LaTeX Greek letter ("HIF-1 $\\alpha$", from PDF-to-Markdown converters)
  is the name with the letter ("HIF-1α") when the lexicon knows it;
* a drug name modifying a protein head ("phosphatidylinositol 3-kinase", "estrogen receptor")
  is part of the protein's name, not a drug; an amino acid in a mutation ("arginine instead of
  glycine in codon 388") is a residue, not a drug.

All rules work on token indices and lower-case token texts; they only add candidates (the
longest-match step then prefers them) or drop drug readings.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence

from spacy.tokens import Doc

from pipeline.nlp.lexicon import GREEK
from pipeline.nlp.matching import Candidate

CLASS_HEADS = {"inhibitor": "inhibitor", "inhibitors": "inhibitor", "antagonist": "antagonist",
               "antagonists": "antagonist", "blocker": "blocker", "blockers": "blocker"}
GENE_JOINERS = frozenset({"/", "-"})
BLOCKING_NOUNS = frozenset({"inhibition", "blockade"})
PHARMACOLOGIC = frozenset({"pharmacologic", "pharmacological", "chemical", "small-molecule"})
KINASE_WORDS = frozenset({"kinase", "kinases"})
MUTATION = re.compile(r"^[a-z]\d{1,4}[a-z*]$")  # lower-cased point mutation: "g12c", "v600e"
# Tokens naming one member of a compound series: letters, roman numerals, "Rg3", "A1".
DESIGNATOR = re.compile(r"^(?:[A-Z]|[IVX]{1,4}[A-Z]?|[A-Z][a-z]?\d)$")
# Heads that make a preceding drug-lexicon word part of a protein or process name.
PROTEIN_HEADS = frozenset(
    "receptor receptors kinase kinases synthase synthases transporter transporters channel channels "
    "binding-protein phosphatase phosphatases".split()
)
# Parts of a substituted chemical name before the parent: locants, stereo descriptors, substituents.
LOCANT_OR_STEREO = re.compile(r"^(?:\d+(?:,\d+)*|[DLRSN]|DL)$", re.I)
SUBSTITUENT = re.compile(r"^(?:methyl|ethyl|propyl|butyl|hydroxy|deoxy|amino|chloro|fluoro|bromo|iodo|nitro|"
                         r"acetyl|oxo|dihydro|desmethyl|demethyl|phospho|benzyl|phenyl)$", re.I)
# Inline LaTeX Greek letters as converters write them: "$\alpha$" is tokenized "$", "\alpha$".
LATEX_GREEK = re.compile(rf"^\\({'|'.join(GREEK)})\$$", re.I)
# Research compound codes: letters then at least three digits ("KU-0063794", "OSI-027", "PD98059").
RESEARCH_CODE = re.compile(r"^[A-Za-z]{1,5}-?\d{3,}[A-Za-z]?$")
LIST_SEPARATORS = frozenset({",", "and", "or", ";"})
SERIES_JOINERS = frozenset({"and", "or", "/", ","})  # "torin1 and 2", "mTORC1/2", "VEGF-R1/2/3"
RECEPTOR_SUFFIX = re.compile(r"^r\d?$")  # "-R", "-R1" after a ligand symbol
# Participles that make "<X>-<participle> <drug>" a modified form of the drug.
DERIVATIVE_MARKERS = frozenset("containing conjugated loaded labeled labelled modified coupled".split())
AMINO_ACIDS = frozenset(
    "alanine arginine asparagine aspartate cysteine glutamine glutamate glycine histidine isoleucine leucine "
    "lysine methionine phenylalanine proline serine threonine tryptophan tyrosine valine".split()
)
# IUPAC three-letter amino acid codes as residues are written ("Arg", "Thr", "His388"): in title
# case they name a residue, never the gene whose symbol they spell in capitals (ARG = ABL2).
RESIDUE_CODE = re.compile(r"^(?:Ala|Arg|Asn|Asp|Cys|Gln|Glu|Gly|His|Ile|Leu|Lys|Met|Phe|Pro|Ser|Thr|Trp|Tyr|Val)\d*$")
MUTATION_WORDS = frozenset("codon codons residue residues position substitution substituted instead "
                           "mutation mutations polymorphism variant".split())
RESIDUE_WINDOW = 6  # tokens around an amino acid searched for mutation words
ACTIVITY_HEADS = frozenset("activity activities effect effects efficacy properties property".split())
# Grades that make a bare "activity"/"results" the treatment's efficacy ("showed substantial
# activity", "promising results"); "of" after it names whose activity it is ("potent activity of mTOR").
EFFICACY_GRADES = frozenset("promising encouraging substantial modest potent considerable remarkable "
                            "robust strong good".split())
GRADED_HEADS = frozenset("activity results".split())
# Nouns that introduce the research code right after them as a compound ("the N-selective
# inhibitor RXP407", "parent molecule RXP407", "ligand RXP407"); a cell line is never introduced so.
CODE_INTRODUCERS = frozenset("inhibitor inhibitors antagonist antagonists agonist agonists ligand ligands "
                             "compound compounds molecule molecules analogue analogues analog analogs "
                             "drug drugs prodrug derivative derivatives".split())
CELL_WORDS = frozenset("cell cells line lines xenograft xenografts clone clones strain strains".split())
NAMING_VERBS = frozenset("named called termed designated dubbed".split())
QUOTES = {"‘": "’", "“": "”", '"': '"', "'": "'"}
MAX_NAME_TOKENS = 4
TUMOR_WORDS = frozenset("tumor tumour cancer neoplastic neoplasm".split())
TUMOR_SUFFIXES = ("oma", "omas")  # sarcoma, carcinoma, glioma, melanoma, lymphoma …


def _names_tumor(word: str) -> bool:
    return word in TUMOR_WORDS or (len(word) > 5 and word.endswith(TUMOR_SUFFIXES))


def compose(doc: Doc, candidates: list[Candidate], index: Mapping[str, Sequence] | None = None) -> list[Candidate]:
    """Candidates plus composed names, minus drug readings that are parts of protein names.

    ``index`` maps lower-case lexicon terms to their entries (for names rebuilt from markup)."""
    words = [t.lower_ for t in doc]
    spaced = [bool(t.whitespace_) for t in doc]
    out = [c for c in candidates if not _modifies_protein(c, words) and not _is_residue(c, words)
           and not _is_residue_code(doc, c)]
    index = index or {}
    receptors = receptor_abbreviations(doc, candidates, words, spaced, index)
    members = elided_series_members(doc, candidates + receptors, words, index)
    out += receptors + members
    out += gene_classes(doc, candidates + receptors + members, words)
    out += designated_compounds(doc, candidates, spaced)
    out += derivative_compounds(doc, candidates, words)
    out += substituted_compounds(doc, candidates)
    out += listed_codes(words, candidates + members)
    out += anti_disease_activity(candidates, words, spaced)
    out += graded_efficacy(words)
    out += introduced_names(doc, out)
    out += latex_greek_names(doc, candidates, words, index)
    return out


def _modifies_protein(c: Candidate, words: Sequence[str]) -> bool:
    """A drug word followed by a protein head ("insulin receptor", "phosphatidylinositol 3-kinase")."""
    if c.label != "DRUG" or c.match == "class":
        return False
    nxt = words[c.end:c.end + 3]
    if nxt and nxt[0] in PROTEIN_HEADS:
        return True
    return len(nxt) == 3 and nxt[0].isdigit() and nxt[1] == "-" and nxt[2] in PROTEIN_HEADS


def _is_residue_code(doc: Doc, c: Candidate) -> bool:
    """A title-case three-letter amino acid code ("Arg", "Thr") is a residue, not a gene symbol."""
    return c.label == "GENE_OR_PROTEIN" and c.end - c.start == 1 and bool(RESIDUE_CODE.match(doc[c.start].text))


def _is_residue(c: Candidate, words: Sequence[str]) -> bool:
    """An amino acid named in a mutation context is a residue, not the drug."""
    if c.label != "DRUG" or c.canonical not in AMINO_ACIDS:
        return False
    around = words[max(0, c.start - RESIDUE_WINDOW):c.end + RESIDUE_WINDOW]
    return any(w in MUTATION_WORDS for w in around)


def gene_classes(doc: Doc, candidates: list[Candidate], words: Sequence[str]) -> list[Candidate]:
    """``<gene>[/<gene>…] (kinase) inhibitor(s)`` and ``inhibitor(s) of (the) <gene>…`` → a drug
    class named after the target(s) ("MEK/Erk inhibitors", "antagonist of CXCR4")."""
    # the longest gene ending (starting) at each token: "K-Ras", not its "Ras"
    by_length = sorted((c for c in candidates if c.label == "GENE_OR_PROTEIN"), key=lambda c: c.end - c.start)
    genes = {c.end: c for c in by_length}
    genes_at = {c.start: c for c in by_length}
    out = []
    for index, head in ((i, CLASS_HEADS[w]) for i, w in enumerate(words) if w in CLASS_HEADS):
        chain = _chain_ending(genes, words, index)
        if not chain and index > 0 and words[index - 1] in KINASE_WORDS:  # "mTORC1/2 kinase inhibitor"
            chain = _chain_ending(genes, words, index - 1)
        if not chain:  # "K-Ras(G12C) inhibitor", "KRAS G12C inhibitors": the mutant the drug is for
            chain = _chain_ending(genes, words, _before_mutation(words, index))
        if chain:
            start, end = chain[0].start, index + 1
        else:
            chain = _chain_after_of(genes_at, words, index)
            if not chain:
                continue
            start, end = index, chain[-1].end
        name = "/".join(g.canonical.lower() for g in chain)
        out.append(Candidate(start, end, "DRUG", f"{name} {head}", None, "class", "rule:gene_class"))
    # "pharmacological inhibition of Notch", "pharmacologic and genetic blockade of the receptor":
    # the drugs that inhibit the gene, as an agent
    for index in (i for i, w in enumerate(words) if w in BLOCKING_NOUNS):
        start = next((j for j in (index - 1, index - 3) if j >= 0 and words[j] in PHARMACOLOGIC
                      and (j == index - 1 or words[index - 2] in {"and", "or"})), None)
        chain = _chain_after_of(genes_at, words, index) if start is not None else []
        if chain:
            name = "/".join(g.canonical.lower() for g in chain)
            out.append(Candidate(start, chain[-1].end, "DRUG", f"{name} inhibitor", None, "class",
                                 "rule:gene_class"))
    return out


def _before_mutation(words: Sequence[str], end: int) -> int:
    """Where a gene would end if a mutation ("G12C", "(G12C)") stands right before ``end``."""
    if end >= 3 and words[end - 1] == ")" and MUTATION.match(words[end - 2]) and words[end - 3] == "(":
        return end - 3
    if end >= 1 and MUTATION.match(words[end - 1]):
        return end - 1
    return end


def _chain_ending(genes: dict, words: Sequence[str], end: int) -> list[Candidate]:
    """Genes joined by "/" or "-" that end right before token ``end``."""
    chain: list[Candidate] = []
    cursor = end
    while cursor in genes:
        gene = genes[cursor]
        chain.insert(0, gene)
        if gene.start >= 2 and words[gene.start - 1] in GENE_JOINERS and gene.start - 1 in genes:
            cursor = gene.start - 1
        else:
            break
    return chain


def _chain_after_of(genes_at: dict, words: Sequence[str], head: int) -> list[Candidate]:
    """Genes joined by "/" or "-" after ``<head> of (the)``."""
    cursor = head + 1
    if cursor >= len(words) or words[cursor] != "of":
        return []
    cursor += 1
    if cursor < len(words) and words[cursor] == "the":
        cursor += 1
    chain: list[Candidate] = []
    while cursor in genes_at:
        chain.append(genes_at[cursor])
        cursor = chain[-1].end
        if not (cursor + 1 < len(words) and words[cursor] in GENE_JOINERS and cursor + 1 in genes_at):
            break
        cursor += 1
    return chain


def latex_greek_names(doc: Doc, candidates: list[Candidate], words: Sequence[str],
                      index: Mapping[str, Sequence]) -> list[Candidate]:
    """``HIF-2 $\\alpha$`` → the lexicon entry of "HIF-2α" over the whole written form. The name
    is a candidate ending before the "$" or, failing that, the one token before it."""
    ending = {c.end: c for c in candidates}
    out = []
    for i in (i for i, word in enumerate(words[:-1]) if word == "$" and i > 0):
        letter = LATEX_GREEK.match(words[i + 1])
        if not letter:
            continue
        start = ending[i].start if i in ending else i - 1
        name = doc[start:i].text + GREEK[letter.group(1).lower()]
        entries = index.get(name.lower(), [])
        if entries:
            entry = entries[0]
            out.append(Candidate(start, i + 2, entry.label, entry.canonical, entry.identifier,
                                 "synonym", "rule:latex_greek"))
    return out


def designated_compounds(doc: Doc, candidates: list[Candidate], spaced: Sequence[bool]) -> list[Candidate]:
    """A compound name followed by a series designator is that one compound ("cucurbitacin B")."""
    out = []
    for c in candidates:
        if c.label != "DRUG" or c.match == "class" or c.end >= len(doc) or not spaced[c.end - 1]:
            continue
        nxt = doc[c.end]
        if DESIGNATOR.match(nxt.text) and not (c.end + 1 < len(doc) and doc[c.end + 1].text in {"-", "/"}):
            name = f"{doc[c.start:c.end].text} {nxt.text}".lower()
            out.append(Candidate(c.start, c.end + 1, "DRUG", name, None, "synonym", "rule:designated_compound"))
    return out


def derivative_compounds(doc: Doc, candidates: list[Candidate], words: Sequence[str]) -> list[Candidate]:
    """``<X>-containing <drug>`` (also split over a line break) names a derivative of the drug:
    its own compound, without the parent's identifier."""
    out = []
    for c in candidates:
        if c.label != "DRUG" or c.match == "class" or c.start < 2 or words[c.start - 1] not in DERIVATIVE_MARKERS:
            continue
        cursor = c.start - 2
        while cursor > 0 and not words[cursor].strip():  # "phosphorus-\ncontaining"
            cursor -= 1
        if words[cursor] == "-" and cursor > 0:
            cursor -= 1
            modifier = words[cursor]
        elif words[cursor].endswith("-") and len(words[cursor]) > 1:
            modifier = words[cursor][:-1]
        else:
            continue
        if not modifier.isalnum():
            continue
        name = f"{modifier}-{words[c.start - 1]} {c.canonical}"
        out.append(Candidate(cursor, c.end, "DRUG", name, None, "synonym", "rule:derivative_compound"))
    # "lisinopril-Trp": a drug conjugated to an amino acid residue is its own compound
    for c in candidates:
        if (c.label == "DRUG" and c.match != "class" and c.end + 1 < len(doc) and words[c.end] == "-"
                and RESIDUE_CODE.match(doc[c.end + 1].text)):
            name = f"{c.canonical}-{words[c.end + 1]}"
            out.append(Candidate(c.start, c.end + 2, "DRUG", name, None, "synonym", "rule:derivative_compound"))
    return out


def substituted_compounds(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """A drug name under a hyphenated substituent prefix ("1-methyl-DL-tryptophan") is its own
    compound: the prefix must name at least one substituent, not only locants."""
    out = []
    for c in candidates:
        if c.label != "DRUG" or c.match == "class":
            continue
        start, substituted = c.start, False
        while (start >= 2 and doc[start - 1].text == "-" and not doc[start - 1].whitespace_
               and not doc[start - 2].whitespace_):
            part = doc[start - 2].text
            if SUBSTITUENT.match(part):
                substituted = True
            elif not LOCANT_OR_STEREO.match(part):
                break
            start -= 2
        if substituted:
            name = doc[start:c.end].text.lower()
            out.append(Candidate(start, c.end, "DRUG", name, None, "synonym", "rule:substituted_compound"))
    return out


def listed_codes(words: Sequence[str], candidates: list[Candidate]) -> list[Candidate]:
    """Research codes in a list whose neighbours (through separators) are drugs or such codes."""
    drug_starts = {c.start for c in candidates if c.label == "DRUG"}
    drug_ends = {c.end for c in candidates if c.label == "DRUG"}
    taken = {i for c in candidates for i in range(c.start, c.end)}
    codes = [i for i, word in enumerate(words) if i not in taken and RESEARCH_CODE.match(word)]
    listed: set[int] = set()
    changed = True
    while changed:  # a code next to a listed code is listed too ("QSI-027, ku0063792 and …")
        changed = False
        for i in codes:
            if i not in listed and _listed_next_to(words, i, drug_starts, drug_ends, listed):
                listed.add(i)
                changed = True
    return [Candidate(i, i + 1, "DRUG", words[i], None, "pattern", "rule:listed_code") for i in sorted(listed)]


def _listed_next_to(words: Sequence[str], i: int, drug_starts: set[int], drug_ends: set[int],
                    listed: set[int]) -> bool:
    left = i - 1
    while left >= 0 and words[left] in LIST_SEPARATORS:
        left -= 1
    right = i + 1
    while right < len(words) and words[right] in LIST_SEPARATORS:
        right += 1
    left_joined = left < i - 1 and (left + 1 in drug_ends or left in listed)
    right_joined = right > i + 1 and (right in drug_starts or right in listed)
    return left_joined or right_joined


def elided_series_members(doc: Doc, candidates: list[Candidate], words: Sequence[str],
                          index: Mapping[str, Sequence]) -> list[Candidate]:
    """"torin1 and 2", "mTORC1/2": a bare number coordinated right after a name ending in a
    digit is the series member with that number. A gene member must be in the lexicon; a drug
    member not in it keeps its written name. A gene series written with slashes whose stem the
    lexicon knows is that family, like the lexicon's own "ERK1/2" ("VEGF-R1/2/3" → VEGFR)."""
    spans = [(c.start, c.end) for c in candidates]
    out = []
    for c in candidates:
        if c.label not in {"DRUG", "GENE_OR_PROTEIN"} or c.match == "class":
            continue
        name = "".join(t.text for t in doc[c.start:c.end])
        series = _series_numbers(doc, words, c.end)
        # a lexicon name that includes the series ("ERK1/2") is one entity already
        if not name[-1:].isdigit() or not series or any(
                start <= c.start and end >= series[0] + 1 for start, end in spans):
            continue
        family = _lexicon_entry(index, re.sub(r"\d+$", "", name), c.label)
        if c.label == "GENE_OR_PROTEIN" and family is not None and words[c.end] == "/":
            slashed = [i for i in series if words[i - 1] == "/"]
            out.append(Candidate(c.start, slashed[-1] + 1, family.label, family.canonical, family.identifier,
                                 "synonym", "rule:gene_series_family"))
            continue
        for i in series:
            member = re.sub(r"\d+$", doc[i].text, name)
            entry = _lexicon_entry(index, member, c.label)
            if entry is not None:
                out.append(Candidate(i, i + 1, entry.label, entry.canonical, entry.identifier,
                                     "synonym", "rule:elided_series_member"))
            elif c.label == "DRUG":
                out.append(Candidate(i, i + 1, "DRUG", member.lower(), None, "pattern", "rule:elided_series_member"))
            else:
                break
    return out


def _series_numbers(doc: Doc, words: Sequence[str], cursor: int) -> list[int]:
    """Token indices of the bare numbers continuing a series at ``cursor`` ("/2/3", "and 2")."""
    numbers = []
    while (cursor + 1 < len(doc) and words[cursor] in SERIES_JOINERS and doc[cursor + 1].text.isdigit()
           and len(doc[cursor + 1].text) <= 2):
        numbers.append(cursor + 1)
        cursor += 2
    return numbers


def _lexicon_entry(index: Mapping[str, Sequence], name: str, label: str):
    """The lexicon's entry of ``name`` (with or without its hyphens) under ``label``."""
    for key in (name.lower(), name.lower().replace("-", "")):
        for entry in index.get(key, []):
            if entry.label == label:
                return entry
    return None


def receptor_abbreviations(doc: Doc, candidates: list[Candidate], words: Sequence[str],
                           spaced: Sequence[bool], index: Mapping[str, Sequence]) -> list[Candidate]:
    """``VEGF-R1``, ``PDGF-R``: a gene symbol written with "-R" names the receptor the lexicon
    lists as the joined name ("VEGFR1", "PDGFR"); without such an entry nothing is added."""
    out = []
    for c in candidates:
        if c.label != "GENE_OR_PROTEIN" or c.end + 1 >= len(doc) or spaced[c.end - 1] or spaced[c.end]:
            continue
        if words[c.end] == "-" and RECEPTOR_SUFFIX.match(words[c.end + 1]):
            entry = _lexicon_entry(index, doc[c.start:c.end].text + doc[c.end + 1].text, "GENE_OR_PROTEIN")
            if entry is not None:
                out.append(Candidate(c.start, c.end + 2, entry.label, entry.canonical, entry.identifier,
                                     "synonym", "rule:receptor_abbreviation"))
    return out


def anti_disease_activity(candidates: list[Candidate], words: Sequence[str], spaced: Sequence[bool]) -> list[Candidate]:
    """``anti-<disease> activity/effect`` ("anti-OS activity", "anti-cancer effects") → anti-tumor activity."""
    diseases = {(c.start, c.end) for c in candidates if c.label == "DISEASE"}
    out = []
    for i, word in enumerate(words[:-3]):
        if word != "anti" or words[i + 1] != "-" or spaced[i] or spaced[i + 1]:
            continue
        for end in range(i + 3, min(i + 6, len(words))):
            if words[end] in ACTIVITY_HEADS and ((i + 2, end) in diseases or (end == i + 3 and _names_tumor(words[i + 2]))):
                out.append(Candidate(i, end + 1, "OUTCOME", "anti-tumor activity", None, "synonym",
                                     "rule:anti_disease_activity"))
                break
    return out


def graded_efficacy(words: Sequence[str]) -> list[Candidate]:
    """``<grade> activity/results`` ("substantial activity", "encouraging results") → anti-tumor
    activity, unless "of" says whose activity it is ("strong activity of Akt")."""
    out = []
    for i, word in enumerate(words[:-1]):
        if word in EFFICACY_GRADES and words[i + 1] in GRADED_HEADS and (i + 2 >= len(words) or words[i + 2] != "of"):
            out.append(Candidate(i, i + 2, "OUTCOME", "anti-tumor activity", None, "synonym", "rule:graded_efficacy"))
    return out


def introduced_names(doc: Doc, candidates: list[Candidate]) -> list[Candidate]:
    """``<drug class> named/called ‘X’`` or ``<drug class> <research code>`` introduces X as a
    drug; every use of X in the document is then that drug. A named name is quoted (up to four
    tokens) or one token."""
    taken = {i for c in candidates for i in range(c.start, c.end)}
    names: set[tuple[str, ...]] = set()
    for c in candidates:
        if c.label != "DRUG" or c.match != "class" or c.end + 1 >= len(doc) or doc[c.end].lower_ not in NAMING_VERBS:
            continue
        start = c.end + 1
        closing = QUOTES.get(doc[start].text)
        if closing:
            end = next((i for i in range(start + 1, min(start + 2 + MAX_NAME_TOKENS, len(doc)))
                        if doc[i].text == closing), None)
            if end is not None and end > start + 1:
                names.add(tuple(t.text for t in doc[start + 1:end]))
        elif start not in taken and not doc[start].is_alpha and any(ch.isalnum() for ch in doc[start].text):
            names.add((doc[start].text,))
    # "the K-Ras(G12C) inhibitor ARS1620": a research code right after a class names one of it
    for c in candidates:
        if (c.label == "DRUG" and c.match == "class" and c.end < len(doc) and c.end not in taken
                and RESEARCH_CODE.match(doc[c.end].text)):
            names.add((doc[c.end].text,))
    # "the inhibitor RXP407", "parent molecule RXP407": an introducing noun before a research code
    for i in range(len(doc) - 1):
        code = doc[i + 1]
        if (doc[i].lower_ in CODE_INTRODUCERS and i + 1 not in taken and RESEARCH_CODE.match(code.text)
                and any(ch.isupper() for ch in code.text)
                and (i + 2 >= len(doc) or doc[i + 2].lower_ not in CELL_WORDS)):
            names.add((code.text,))
    # a code the shape patterns found in one place ("compound 33RE") is that drug everywhere
    for c in candidates:
        if c.label == "DRUG" and c.rule == "pattern:drug" and any(ch.isdigit() for ch in doc[c.start:c.end].text):
            names.add(tuple(t.text for t in doc[c.start:c.end]))
    texts = [t.text for t in doc] if names else []
    return [Candidate(i, i + len(name), "DRUG", " ".join(name).lower(), None, "pattern", "rule:introduced_name")
            for name in names for i in range(len(texts) - len(name) + 1)
            if tuple(texts[i:i + len(name)]) == name and not taken.intersection(range(i, i + len(name)))]


# A protein is the document's focal protein when it has at least this many mentions and at least
# this many times the mentions of the next gene.
FOCAL_MIN_MENTIONS = 5
FOCAL_MARGIN = 2.0


def focal_protein(candidates: list[Candidate]) -> Candidate | None:
    """The gene or protein a document is about: its most mentioned one, when it dominates."""
    genes = [c for c in candidates if c.label == "GENE_OR_PROTEIN"]
    counts = Counter(c.canonical for c in genes)
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < FOCAL_MIN_MENTIONS:
        return None
    if len(ranked) == 2 and ranked[0][1] < FOCAL_MARGIN * ranked[1][1]:
        return None
    return next(c for c in genes if c.canonical == ranked[0][0])


def protein_parts(doc: Doc, chosen: list[Candidate], focal: Candidate | None) -> list[Candidate]:
    """``PROTEIN_PART`` mentions ("the N-domain", "the active site") become the document's focal
    protein (``focal_protein``, or the body's for a caption); one right before a protein name
    ("N-domain ACE"), or in a document without a focal protein, is dropped (the name, if any, is
    the mention)."""
    starts = {c.start for c in chosen if c.label == "GENE_OR_PROTEIN"}
    out = []
    for c in chosen:
        if c.label != "PROTEIN_PART":
            out.append(c)
        elif focal is not None and c.end not in starts:
            out.append(Candidate(c.start, c.end, focal.label, focal.canonical, focal.identifier,
                                 "pattern", "rule:protein_part"))
    return out
