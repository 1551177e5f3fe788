"""Trial statistics: number parsing and extraction from sentences and tables."""
