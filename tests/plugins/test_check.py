"""``plugin check`` on small installed distributions: what passes, and that false claims fail."""

from __future__ import annotations

import pytest

from fake_dists import write_distribution
from neuroalign.plugins import DistributionNotFoundError
from neuroalign.plugins.check import check_distribution

HONEST = '''
"""Metric plugins for the check tests (the measures are built inside the factories)."""


def _make(invariances):
    import torch

    from neuroalign.metrics.base import Metric, MetricInfo

    class FirstCentredCosine(Metric):
        info = MetricInfo(id="probe.cos", kind="similarity", symmetric=True, is_metric=False,
                          invariances=frozenset(invariances))

        def compute(self, x, y):
            a, b = x[:, 0] - x[:, 0].mean(), y[:, 0] - y[:, 0].mean()
            return (a @ b) / torch.sqrt((a @ a) * (b @ b))

    return FirstCentredCosine()


def honest(rest=None):
    """Correlation of the first features: blind to scale and translation only."""
    return _make({"isotropic_scaling", "translation"})


def boastful(rest=None):
    """The same measure, claiming rotation invariance it does not have."""
    return _make({"isotropic_scaling", "translation", "orthogonal"})
'''


def _lines(name):
    return {r.name.split(": ", 1)[1]: r for r in check_distribution(name)}


def test_honest_metric_passes_every_check(site):
    write_distribution(site, "probe-honest", {"neuroalign.metrics": {"probe.cos": "probe_metrics:honest"}},
                       {"probe_metrics.py": HONEST})
    results = _lines("probe-honest")
    assert all(r.passed for r in results.values()), [r.line() for r in results.values() if not r.passed]
    assert "resolving imports no heavy library" in results


def test_false_invariance_claim_fails(site):
    write_distribution(site, "probe-boast", {"neuroalign.metrics": {"probe.cos": "probe_metrics:boastful"}},
                       {"probe_metrics.py": HONEST})
    failed = [r for r in check_distribution("probe-boast") if not r.passed]
    assert len(failed) == 1 and "declared orthogonal but x transformed changes" in failed[0].detail


def test_heavy_import_at_module_level_fails(site):
    module = 'import torch\n\n\ndef load(**options):\n    """Heavy."""\n'
    write_distribution(site, "probe-heavy", {"neuroalign.models": {"probe-heavy": "probe_heavy:load"}},
                       {"probe_heavy.py": module})
    results = _lines("probe-heavy")
    assert not results["resolving imports no heavy library"].passed
    assert "imports torch at module level" in results["resolving imports no heavy library"].detail
    assert not results["load() extracts its layers with the declared shapes"].passed


def test_broken_entry_point_fails_and_skips_the_rest(site):
    write_distribution(site, "probe-broken", {"neuroalign.benchmarks": {"probe.bench": "probe_broken:make"}},
                       {"probe_broken.py": "raise ImportError('needs the lab VPN')\n"})
    results = check_distribution("probe-broken")
    assert [r.passed for r in results] == [False, True]
    assert results[0].detail == "ImportError: needs the lab VPN"


def test_distribution_without_entry_points_fails(site):
    write_distribution(site, "probe-empty", {"console_scripts": {"probe": "probe_empty:main"}})
    result, = check_distribution("probe-empty")
    assert not result.passed and "neuroalign.models" in result.detail


def test_unknown_distribution():
    with pytest.raises(DistributionNotFoundError, match="no installed distribution is named 'nope-not-here'"):
        check_distribution("nope-not-here")


def test_first_party_model_plugin_passes_with_its_real_weights():
    pytest.importorskip("neuroalign_efficientnet")
    results = check_distribution("neuroalign-efficientnet")
    assert all(r.passed for r in results), [r.line() for r in results if not r.passed]
    extraction = results[-1]
    assert "output 1000" in extraction.detail and "_blocks.15 320" in extraction.detail


@pytest.mark.realdata
def test_neuroalign_own_benchmarks_pass_with_the_data_mirror(data_mirror, monkeypatch):
    monkeypatch.setenv("NEUROALIGN_DATA_MIRROR", str(data_mirror))
    monkeypatch.setenv("NEUROALIGN_OFFLINE", "1")
    results = check_distribution("neuroalign")
    if not results[0].name.startswith("benchmark"):
        pytest.skip("neuroalign's installed metadata registers no benchmark yet (reinstall it)")
    assert all(r.passed for r in results), [r.line() for r in results if not r.passed]


REORDERING = '''
"""A model plugin whose adapter returns its rows in reverse order, each labelled with its stimulus id."""

import numpy as np


class Reversed:
    model_id = "probe-reversed"
    modality = "text"
    layers = ("chars",)

    def fingerprint(self):
        return {"probe": 1}

    def extract(self, stimuli, layers, **options):
        from neuroalign.core.activations import Activations

        texts = [stimuli.payload(i, "text") for i in stimuli.stimulus_ids]
        rows = np.array([[len(t), t.count(" "), sum(map(ord, t)) % 97] for t in texts], dtype=np.float32)
        ids = list(stimuli.stimulus_ids)
        return Activations({"chars": rows[::-1]}, ids[::-1], model_id=self.model_id)


def load(**options):
    """The reversing adapter."""
    return Reversed()
'''


def test_a_model_returning_labelled_rows_in_another_order_passes(site):
    # rows are joined by id everywhere in neuroalign; a check that compared positions failed this honest adapter
    write_distribution(site, "probe-reversed", {"neuroalign.models": {"probe-reversed": "probe_reversed:load"}},
                       {"probe_reversed.py": REORDERING})
    results = _lines("probe-reversed")
    extraction = results["load() extracts its layers with the declared shapes"]
    assert extraction.passed, extraction.line()
    assert extraction.detail == "text model; units: chars 3"


def test_a_model_returning_rows_of_other_stimuli_fails(site):
    source = REORDERING.replace("ids[::-1]", "[f'other{k}' for k in range(len(ids))]")
    write_distribution(site, "probe-relabel", {"neuroalign.models": {"probe-reversed": "probe_reversed:load"}},
                       {"probe_reversed.py": source})
    extraction = _lines("probe-relabel")["load() extracts its layers with the declared shapes"]
    assert not extraction.passed and "missing ['generated0'" in extraction.detail and "extra ['other0'" in \
        extraction.detail


def test_a_benchmark_whose_data_is_not_here_is_skipped_not_failed(tmp_path, monkeypatch):
    """kiloword's EEG lives in MNE's data folder: with an empty one, its stimulus check says SKIP, with the reason."""
    monkeypatch.setenv("MNE_DATA", str(tmp_path))
    monkeypatch.setenv("NEUROALIGN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("NEUROALIGN_OFFLINE", "1")
    results = [r for r in check_distribution("neuroalign") if "kiloword" in r.name]
    if not results:
        pytest.skip("neuroalign's installed metadata does not register kiloword's benchmark yet (reinstall it)")
    stimuli = [r for r in results if "has stimuli" in r.name]
    assert stimuli and all(r.skipped and r.passed for r in stimuli)
    assert stimuli[0].line().startswith("SKIP") and "kiloword is not on this machine" in stimuli[0].line()
