"""nacha-cs: NACHA ACH files for child-support payments (CCD+ with DED, CTX with X12 820)."""

__version__ = "0.1.0"
