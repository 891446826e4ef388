"""pyproject.toml (bounds), requirements.lock (exact versions) and environment.yml (conda) agree."""

import re
import tomllib

import yaml
from packaging.specifiers import SpecifierSet

from .conftest import PROJECT


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _split(spec: str) -> tuple[str, str]:
    name, bound = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec.strip()).groups()
    return _name(name), bound.replace(" ", "")


def _pyproject() -> dict[str, str]:
    project = tomllib.loads((PROJECT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    deps = dict(_split(s) for s in project["dependencies"] + project["optional-dependencies"]["test"])
    return deps | {"python": project["requires-python"]}


def _lock() -> dict[str, set[str]]:
    """Package -> its pinned versions (more than one only where markers split them)."""
    pins: dict[str, set[str]] = {}
    for line in (PROJECT / "requirements.lock").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            name, version = re.match(r"^([A-Za-z0-9_.\-]+)==([^\s;]+)\s*(;.*)?$", line).group(1, 2)
            pins.setdefault(_name(name), set()).add(version)
    return pins


def _environment_yml() -> dict[str, str]:
    env = yaml.safe_load((PROJECT / "environment.yml").read_text(encoding="utf-8"))
    deps = dict(_split(s) for s in env["dependencies"] if isinstance(s, str) and s != "pip")
    pip_section = next(d["pip"] for d in env["dependencies"] if isinstance(d, dict))
    assert pip_section[-1] == "-e ."
    deps.update(_split(s) for s in pip_section[:-1])  # packages conda-forge does not have
    return deps


def test_lock_pins_every_dependency_within_its_bound():
    lock = _lock()
    for name, bound in _pyproject().items():
        if name == "python":
            continue
        assert len(lock.get(name, ())) == 1, f"{name}: {lock.get(name)} in requirements.lock; run make lock"
        version = next(iter(lock[name]))
        assert version in SpecifierSet(bound), f"{name}=={version} in requirements.lock is outside {bound}"


def test_environment_yml_pins_the_lock():
    lock, declared = _lock(), _pyproject()
    expected = {name: f"=={next(iter(lock.get(name, {'?'})))}" for name in declared} | {"python": declared["python"]}
    env = _environment_yml()
    wrong = {name: (env.get(name), expected.get(name))
             for name in env.keys() | expected.keys() if env.get(name) != expected.get(name)}
    assert not wrong, f"environment.yml differs (environment.yml, expected): {wrong}"
