"""The report's jinja2 environment: templates shipped in the package, autoescaping on, undefined names an error.

Every value a template prints goes through jinja2's HTML escaping (``autoescape=True``), so a model id ``<b>``
reads literally; the only markup that reaches the page unescaped is the templates' own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from neuroalign.report.html.markup import compact_json, interval, number

if TYPE_CHECKING:
    import jinja2


@lru_cache(maxsize=1)
def environment() -> "jinja2.Environment":
    """The environment (built once): templates from ``neuroalign/report/html/templates``."""
    import jinja2  # only the report needs it

    env = jinja2.Environment(loader=jinja2.PackageLoader("neuroalign.report.html", "templates"), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(num=number, interval=interval, json=compact_json)
    return env


def render(template: str, **context: Any) -> str:
    """Render one template of the report with ``context``."""
    return environment().get_template(template).render(**context)
