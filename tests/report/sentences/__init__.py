"""Tests of analytics.report.sentences, one module per sentence module (a package, so that
test_channels.py here and tests/metrics/test_channels.py can both exist)."""
