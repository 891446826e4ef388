"""environment.yml (conda users) and pyproject.toml (pip) list the same dependencies."""

import re
import tomllib

import yaml

from .conftest import PROJECT


def _split(spec: str) -> tuple[str, str]:
    name, bound = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec.strip()).groups()
    return name.lower().replace("_", "-"), bound.replace(" ", "")


def test_environment_yml_agrees_with_pyproject():
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pip_deps = dict(_split(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    pip_deps["python"] = project["requires-python"]
    env = yaml.safe_load((PROJECT / "environment.yml").read_text(encoding="utf-8"))
    conda_deps = dict(_split(s) for s in env["dependencies"] if isinstance(s, str) and s != "pip")
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section[-1] == "-e ."
    conda_deps.update(_split(s) for s in pip_section[:-1])  # packages conda-forge does not have
    assert conda_deps == pip_deps
