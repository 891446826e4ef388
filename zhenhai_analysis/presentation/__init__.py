"""Presentation: numbers and tables in words, charts, conclusions, downloads and the HTML
templates. Imports the layers above it.
"""
