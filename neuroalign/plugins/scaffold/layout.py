"""What every scaffolded plugin has, whatever its kind: the pyproject with its entry point, and the README."""

from __future__ import annotations

from dataclasses import dataclass, field
from string import Template
from typing import Callable, Mapping

from neuroalign.plugins.groups import GROUPS
from neuroalign.plugins.scaffold.names import PluginNames

#: File contents by path relative to the plugin's folder; bytes for binary files (generated data).
Files = Mapping[str, "str | bytes"]


@dataclass(frozen=True)
class KindTemplate:
    """How one kind of plugin is scaffolded.

    Attributes
    ----------
    attribute : str
        The package attribute the entry point names (``load``, ``${camel}Dataset``...; ``camel`` is substituted).
    summary : str
        The distribution's one-line description, after ``neuroalign <kind> plugin:``.
    dependencies : tuple of str
        Requirements besides neuroalign.
    package_data : tuple of str
        Globs of non-Python files shipped inside the package.
    files : callable
        ``files(names) -> {relative path: content}``: the package, its data and its tests.
    how_to : str
        The README's section on adapting the template (a :class:`string.Template`).
    """

    attribute: str
    summary: str
    files: Callable[[PluginNames], Files]
    how_to: str
    dependencies: tuple[str, ...] = ()
    package_data: tuple[str, ...] = field(default=())


PYPROJECT = Template('''\
[build-system]
requires = ["setuptools>=64"]
build-backend = "setuptools.build_meta"

[project]
name = "$distribution"
version = "0.1.0"
description = "neuroalign $kind plugin: $summary"
readme = "README.md"
requires-python = ">=3.10"
dependencies = [$dependencies]

[project.optional-dependencies]
test = ["pytest>=7"]

# The entry point's name is the id neuroalign lists; its value names a light module (no torch at import).
[project.entry-points."$group"]
"$id" = "$package:$attribute"

[tool.setuptools.packages.find]
include = ["$package", "$package.*"]
$package_data''')

README = Template('''\
# $distribution

A neuroalign $kind plugin, registered as `$id` in the entry-point group `$group`.

```
pip install -e .
neuroalign list ${kind}s
neuroalign info $id
neuroalign plugin check $distribution
python -m pytest tests
```

## Layout
- `$package/__init__.py`: the light module the entry point names (`$package:$attribute`). Keep it free of heavy
  imports (torch, transformers): `neuroalign list` imports it to read the first line of `$attribute`'s docstring.
$how_to
## Contract
See neuroalign's `docs/plugins.md` for what each entry-point group expects and what `neuroalign plugin check`
verifies.
''')


def _quoted(items: tuple[str, ...]) -> str:
    return ", ".join(f'"{item}"' for item in items)


def common_files(names: PluginNames, kind: str, template: KindTemplate) -> dict[str, str]:
    """``pyproject.toml`` and ``README.md`` of a plugin of ``kind``."""
    attribute = Template(template.attribute).substitute(camel=names.camel)
    values = dict(distribution=names.distribution, package=names.package, id=names.id, kind=kind,
                  group=GROUPS[kind], attribute=attribute, summary=template.summary)
    # The data folders are found as namespace packages by the include pattern, so their files get shipped.
    data = (f'\n[tool.setuptools.package-data]\n"{names.package}" = [{_quoted(template.package_data)}]\n'
            if template.package_data else "")
    pyproject = PYPROJECT.substitute(values, dependencies=_quoted(("neuroalign", *template.dependencies)),
                                     package_data=data)
    readme = README.substitute(values, how_to=Template(template.how_to).substitute(values))
    return {"pyproject.toml": pyproject, "README.md": readme}


def render(names: PluginNames, templates: Mapping[str, Template], **extra: object) -> dict[str, str]:
    """Fill the plugin's names (``id``, ``package``, ``camel``, ``distribution``) and ``extra`` into templates
    keyed by path; ``{package}`` and ``{id}`` in a path are filled too."""
    values = dict(id=names.id, package=names.package, camel=names.camel, distribution=names.distribution, **extra)
    return {path.format(**values): template.substitute(values) for path, template in templates.items()}
