"""Precision, recall and F1 from counts; undefined ratios are None, never a made-up 0 or 1."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, other: Counts) -> None:
        self.tp, self.fp, self.fn = self.tp + other.tp, self.fp + other.fp, self.fn + other.fn

    def as_dict(self) -> dict:
        """Counts with precision, recall and F1 (micro: computed from the summed counts)."""
        def ratio(num: int, den: int) -> float | None:
            return round(num / den, 6) if den else None

        return {"tp": self.tp, "fp": self.fp, "fn": self.fn,
                "precision": ratio(self.tp, self.tp + self.fp),
                "recall": ratio(self.tp, self.tp + self.fn),
                "f1": ratio(2 * self.tp, 2 * self.tp + self.fp + self.fn)}


@dataclass
class Tally:
    """Agreement counts of one field over matched pairs."""

    correct: int = 0
    total: int = 0

    def as_dict(self) -> dict:
        return {"correct": self.correct, "total": self.total,
                "accuracy": round(self.correct / self.total, 6) if self.total else None}
