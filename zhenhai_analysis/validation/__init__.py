"""Validation: the data files read into checked tables (schemas, rules across files, sources,
load, panels). Imports foundations only.
"""
