"""A plugin that fails to import is listed as broken while the rest keep working; an id two distributions
register is a conflict; lookups say what went wrong."""

from __future__ import annotations

import pytest

from fake_dists import write_distribution
from neuroalign.plugins import (BrokenPluginError, PluginConflictError, PluginContractError, get_plugin,
                                list_plugins, load_benchmark, load_model)

RAISES = 'raise RuntimeError("the GPU driver is missing")\n'
LIGHT_MODEL = '''
"""A light model plugin module."""


def load(**options):
    """Tiny test model: never actually loaded."""
    raise AssertionError("listing must not call load()")
'''


def test_broken_plugin_is_listed_with_its_error_and_the_rest_still_work(site):
    write_distribution(site, "broken-plugin", {"neuroalign.models": {"broken-net": "broken_net_mod:load"}},
                       {"broken_net_mod.py": RAISES})
    write_distribution(site, "fine-plugin", {"neuroalign.models": {"fine-net": "fine_net_mod:load"}},
                       {"fine_net_mod.py": LIGHT_MODEL})
    records = {r.id: r for r in list_plugins("models")}
    broken = records["broken-net"]
    assert broken.broken and broken.error == "RuntimeError: the GPU driver is missing"
    assert broken.status.startswith("broken: RuntimeError") and broken.distribution == "broken-plugin"
    fine = records["fine-net"]
    assert fine.status == "ok" and fine.description == "Tiny test model: never actually loaded."
    assert records["efficientnet-lite0"].status == "ok"
    with pytest.raises(BrokenPluginError, match="broken-plugin 0.1 .* RuntimeError: the GPU driver is missing"):
        load_model("broken-net")


def test_missing_attribute_is_broken_too(site):
    write_distribution(site, "typo-plugin", {"neuroalign.models": {"typo-net": "typo_mod:laod"}},
                       {"typo_mod.py": LIGHT_MODEL})
    record = get_plugin("model", "typo-net")
    assert record.broken and record.error.startswith("AttributeError")


def test_duplicate_id_across_distributions_is_a_conflict(site):
    for dist in ("first-dist", "second-dist"):
        module = dist.replace("-", "_")
        write_distribution(site, dist, {"neuroalign.models": {"same-net": f"{module}:load"}},
                           {f"{module}.py": LIGHT_MODEL})
    clashing = [r for r in list_plugins("models") if r.id == "same-net"]
    assert len(clashing) == 2
    assert all(set(r.conflict) == {"first-dist", "second-dist"} for r in clashing)
    with pytest.raises(PluginConflictError, match="first-dist, second-dist|second-dist, first-dist"):
        load_model("same-net")


def test_a_plugin_cannot_take_a_builtin_id(site):
    write_distribution(site, "shadow-dist", {"neuroalign.metrics": {"cka.linear": "shadow_mod:factory"}},
                       {"shadow_mod.py": 'def factory(rest):\n    """Shadow."""\n'})
    records = [r for r in list_plugins("metrics") if r.id == "cka.linear"]
    assert {r.distribution for r in records} == {"neuroalign", "shadow-dist"}
    assert all(r.conflict for r in records)


def test_objects_that_break_the_contract_are_refused(site):
    write_distribution(site, "odd-dist", {"neuroalign.models": {"not-callable": "odd_mod:VALUE",
                                                                "wrong-return": "odd_mod:load"},
                                          "neuroalign.benchmarks": {"not-a-bench": "odd_mod:load"}},
                       {"odd_mod.py": 'VALUE = 3\n\ndef load(**options):\n    """Returns a string."""\n'
                                      '    return "model"\n'})
    with pytest.raises(PluginContractError, match="resolves to a int"):
        load_model("not-callable")
    with pytest.raises(PluginContractError, match="returned a str, not a model adapter"):
        load_model("wrong-return")
    with pytest.raises(PluginContractError, match="not a neuroalign.benchmarks.Benchmark"):
        load_benchmark("not-a-bench")
