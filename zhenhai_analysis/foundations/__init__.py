"""Foundations: closed lists (vocab), paths, exceptions, the words of every page (labels),
units and printed numbers (quotes). They import no other layer.
"""
