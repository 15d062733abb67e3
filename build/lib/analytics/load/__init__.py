"""Loading: sources (files, adapters, mappings) into one validated message log.

``schema`` holds the log's columns and its validation, ``files`` the file readers, ``log`` the
one way in (:func:`analytics.load.log.open_log`, and :func:`open_for_period` for a report),
``sources`` the adapters of public exports and the no-code mapping.
"""
