"""Publishing: the registry of report notebooks, the atomic render of a report folder, and the
site pages (index, definitions) beside the reports.
"""
