"""The package's exports are functions, whatever was imported before."""

import importlib
import pkgutil

import zhenhai_analysis as za


def test_no_module_shadows_an_export():
    modules = {m.name for m in pkgutil.iter_modules(za.__path__)}
    assert modules.isdisjoint(za.__all__)
    for name in modules:
        importlib.import_module(f"zhenhai_analysis.{name}")
    assert callable(za.forecast) and callable(za.gap_analysis) and callable(za.load_indicators)
