"""Kept for the scripts that still import it (scripts/distill_*.py): the one results writer is `zizi.results.write_results`."""
from zizi.results import write_results  # noqa: F401
