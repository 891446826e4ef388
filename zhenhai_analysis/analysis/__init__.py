"""Analysis: verdicts, gaps to target, derived levels, the trend model and the briefing model.
Imports foundations and validation.
"""
