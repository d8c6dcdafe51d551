"""Performance cases: one module each, see ``perf/run.py`` for the contract."""
