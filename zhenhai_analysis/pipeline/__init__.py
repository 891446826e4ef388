"""The briefing pipeline: parameters, pages to run, what is current, papermill and HTML, the
index. `python -m zhenhai_analysis.pipeline` runs it (cli.py).
"""
