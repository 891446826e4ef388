"""python -m zhenhai_analysis.pipeline: see cli.py."""

from .cli import command_line

if __name__ == "__main__":
    command_line()
