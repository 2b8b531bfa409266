"""Fuzz targets (issue 10, "keep it that way"): Hypothesis-driven inputs against the trace reader, the model's API,
the ECMAScript conversions (against Node), OpaqueString (against precis-i18n), the JS runner's decoding (against
the model's) and every CLI subcommand. tests/test_fuzz.py runs each with a small budget; the long mode is
`python -m tests.fuzz --inputs 1000000` (see tests/fuzz/__main__.py)."""
