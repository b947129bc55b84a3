"""Benchmarks for the triage service: ``python -m bench.run`` (see run.py)."""
