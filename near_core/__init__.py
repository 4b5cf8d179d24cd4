"""near_core: the NeaR pipeline library (no Prefect imports; usable from a notebook)."""

__version__ = "0.1.0"
