"""jiceng (基层): an offline-first ledger for trade-union cadres stationed at enterprises."""

__version__ = "0.1.0"
