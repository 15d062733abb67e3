"""Scale benchmark: a seeded synthetic log generator, a DuckDB SQL reference, and the runner.

``make bench`` runs it; it is not part of ``make test``. See the README's "Scale" section.
"""
