"""Context rule for gene symbols that are also words or common abbreviations (MET, SET, HR…)."""

from __future__ import annotations

from collections.abc import Sequence

# Words that, right after a symbol, say it names a gene or protein.
GENE_CUES = frozenset(
    "gene genes protein proteins kinase kinases expression expressed overexpression phosphorylation "
    "phosphorylated mutation mutations mutant mutated signaling signalling pathway pathways receptor "
    "receptors mrna activity activation amplification knockdown silencing deletion promoter "
    "transcription inhibitor inhibitors inhibition level levels isoform isoforms complex family "
    "ligand ligands locus allele alleles".split()
)
# Tokens that join two gene names in a list or pathway ("ATM/ATR", "SET and MTOR").
JOINERS = frozenset({"/", ",", "and", "or", "-", "–", "("})
PREFIXES = frozenset({"anti", "phospho", "p"})


def has_gene_context(words: Sequence[str], start: int, end: int, gene_tokens: set[int]) -> bool:
    """True when the symbol at ``words[start:end]`` reads as a gene in its context.

    ``words`` are lower-case token texts; ``gene_tokens`` are token indices covered by
    unambiguous gene mentions.
    """
    after = [w for w in words[end:end + 2] if w not in {"-"}]
    if after and after[0] in GENE_CUES:
        return True
    if start >= 2 and words[start - 1] == "-" and words[start - 2] in PREFIXES:
        return True
    # Adjacent to another gene, possibly across one joiner: "ATM/ATR", "SET, MTOR".
    for neighbour, joiner in ((start - 1, start - 1), (start - 2, start - 1), (end, end), (end + 1, end)):
        if neighbour in gene_tokens and (neighbour == joiner or words[joiner] in JOINERS):
            return True
    return False
