"""
Do a vision model, two language models and human IT converge on the same representation?
========================================================================================

The 92 object images of Kriegeskorte et al. (2008) come with one plain caption each (shipped with neuroalign), so a
vision model can see the images while language models read the captions of the same stimuli. Human IT enters as a
fourth "model": its RDM (4 subjects x 2 sessions, averaged) is used directly by RSA and, through its exact
classical-MDS embedding, by CKA. Every model has a random-initialised twin (same architecture, untrained weights)
as a control: alignment that the twin reaches too is not learned.

For every pair of sources and every measure, neuroalign chooses the best layer pair on half of the stimuli and
scores it on the other half (no selection inflation), tests it against a permutation null (stimulus labels of one
side shuffled), and gives a bootstrap interval over the held-out stimuli.

Run from the repository root:
    NEUROALIGN_DATA_MIRROR=../shared/data .venv/bin/python tutorials/cross_modal_alignment.py
"""

import os
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from neuroalign.alignment import ModelSource, align, brain_source, random_twin, spread_layers  # noqa: E402
from neuroalign.datasets import kriegeskorte92  # noqa: E402
from neuroalign.plugins import load_model  # noqa: E402
from neuroalign.report.plots import (plot_layer_matrix, plot_metric_agreement, plot_score_matrix,  # noqa: E402
                                     save_figure)
from neuroalign.store import ResultsStore  # noqa: E402

start = time.perf_counter()
METRICS = ["cka.linear", "cka.debiased", "knn.mutual.10", "rsa.correlation.spearman"]

# 1. The paired stimuli: each of the 92 stimuli has an "image" and a "text" payload.
stimuli = kriegeskorte92.stimulus_set(captions=True)
print(stimuli)
print("img26:", stimuli.payload("img26", "text"))

# 2. The models, five layers each (spread from input to output), and their random twins. SmolLM2 reads whole
#    captions, so its hidden states are averaged over tokens, as MiniLM's are; its next-token logits (49152
#    vocabulary entries) are left out. Activations stay in memory (cache=None); use the default cache to rerun fast.
models = {"efficientnet-lite0": {}, "all-minilm-l6-v2": {}, "smollm2-135m": {"pooling": "token_mean"}}
sources, twins_of = [], {}
for plugin_id, options in models.items():
    trained = load_model(plugin_id)
    layers = spread_layers([layer for layer in trained.main_layers if layer != "logits"], 5)
    twin = random_twin(trained, seed=0)
    sources += [ModelSource(model, layers, cache=None, progress=False, batch_size=32, **options)
                for model in (trained, twin)]
    twins_of[trained.model_id] = twin.model_id
brain = brain_source("kriegeskorte2008.human_it")
sources.append(brain)

# 3. The study: 7 sources, 21 pairs, 4 measures; layer pairs chosen on 46 stimuli and scored on the other 46.
with tempfile.TemporaryDirectory() as folder:
    store = ResultsStore(Path(folder) / "results.sqlite")
    study = align(sources, stimuli, METRICS, n_permutations=200, n_bootstrap=200, seed=0, store=store)
    stored = store.results(kind="alignment")
    assert len(stored) == len(study.pairs)
    store.close()

    # 4. Plots: the model x model matrix per measure, a layer x layer heatmap, and how the measures agree.
    for metric in METRICS:
        figure = plot_score_matrix(study.matrix(metric), label=metric, title=f"held-out {metric}")
        figure.axes[0].set_xlabel("source")
        figure.axes[0].set_ylabel("source")
        save_figure(figure, Path(folder) / f"matrix_{metric}.png")
    save_figure(plot_layer_matrix(study.layer_matrix("efficientnet-lite0", brain.name, "cka.linear"),
                                  committed=study.pair("efficientnet-lite0", brain.name, "cka.linear")),
                Path(folder) / "layers.png")
    save_figure(plot_metric_agreement(study.by_metric()), Path(folder) / "agreement.png")
print(f"negative share of the human IT embedding's spectrum: {brain.negative_share['hIT']:.4f}")

# 5. The committed pairs: held-out score, chance level (null mean), p-value and 95% interval.
frame = study.to_frame()
print(f"\n{len(study.selection)} selection / {len(study.held_out)} held-out stimuli, 200 permutations, "
      "200 bootstrap resamples")
for metric in METRICS:
    print(f"\n{metric}")
    for row in frame[frame.metric == metric].itertuples():
        print(f"  {row.source_a:>34} ~ {row.source_b:<34} {row.value:6.3f}  null {row.null_mean:6.3f}  "
              f"p {row.p_value:.3f}  [{row.ci_low:6.3f}, {row.ci_high:6.3f}]  ({row.layer_a} | {row.layer_b})")

print("\nAgreement between measures (Spearman rank correlation across the 21 pairs):")
print(study.metric_agreement().round(2).to_string())


# 6. What it says, in words, computed from the numbers: does each trained model align more than its random twin,
#    beyond the null? "Beyond the null" means p < 0.05; "more than its twin" compares the null-calibrated scores and
#    asks that the trained model's interval lie above the twin's score.
MORE = "aligns beyond the null and more than its random twin"


def verdict(trained: str, twin: str, other: str, metric: str) -> str:
    mine, control = study.pair(trained, other, metric), study.pair(twin, other, metric)
    significant = mine.p_value < 0.05
    better = mine.calibrated > control.calibrated and mine.interval[0] > control.value
    if significant and better:
        return MORE
    if significant:
        return "aligns beyond the null, but not clearly more than its random twin"
    return "does not align beyond the null"


print("\nFindings (trained model vs its random twin, p < 0.05 against the permutation null):")
names = list(twins_of)
summary = {}
for trained, twin in twins_of.items():
    others = [n for n in names if n != trained] + [brain.name]
    verdicts = [verdict(trained, twin, other, metric) for other in others for metric in METRICS]
    for (other, metric), said in zip([(o, m) for o in others for m in METRICS], verdicts):
        print(f"  {trained} ~ {other}, {metric}: {said}")
    summary[trained] = sum(v == MORE for v in verdicts), len(verdicts)
print("\nIn short:")
for trained, (wins, total) in summary.items():
    print(f"  {trained} aligns beyond the null and more than its random twin in {wins} of {total} comparisons "
          f"(with the other models and human IT, under {len(METRICS)} measures)")
print(f"\nruntime {time.perf_counter() - start:.0f} s")
print("done")
