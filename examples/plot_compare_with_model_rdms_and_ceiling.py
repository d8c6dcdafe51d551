"""
Compare brain RDMs with model RDMs, with a noise ceiling
========================================================

The classic RSA question: which model RDM explains a region's RDMs best, and how good could any model be? The
data are the human IT RDMs of Kriegeskorte et al. (2008) (4 subjects, 2 sessions each, 92 images) and the 8 model
RDMs shipped with them. :func:`~neuroalign.compare.compare` scores every model against every subject in one call;
:func:`~neuroalign.stats.rdm_noise_ceiling` gives the range a true model would reach;
:func:`~neuroalign.stats.bootstrap_rdm_comparison` the uncertainty over stimuli.
"""

# %%
# One RDM per subject (the mean of its two sessions), and the model RDMs.
import matplotlib.pyplot as plt
import numpy as np

from neuroalign.compare import compare
from neuroalign.datasets import kriegeskorte92
from neuroalign.stats import bootstrap_rdm_comparison, rdm_noise_ceiling

subjects = kriegeskorte92.human_it_rdms().mean_by("subject")
models = kriegeskorte92.model_rdms()
names = list(models.descriptors["model"])
print(subjects)
print(models)

# %%
# Spearman's rho-a, like Kendall's tau-a, does not reward the many tied dissimilarities of categorical models (it
# ranks with untied-rank norms), and its leave-one-subject-out upper ceiling is a true bound (tau-a's is not: see
# the comparators page). The ceiling uses the same comparator. Scores are (model, subject); the model's score is
# the mean over subjects.
scores = compare(models, subjects, comparator="rho_a")
ceiling = rdm_noise_ceiling(subjects, "rho_a")
print(f"noise ceiling: lower {ceiling.lower:.3f}, upper {ceiling.upper:.3f}")
for name, row in sorted(zip(names, scores), key=lambda item: -item[1].mean()):
    print(f"{name:>22}: {row.mean():.3f} (subjects {np.round(row, 3)})")

# %%
# A stimulus bootstrap (the 92 images resampled; a stimulus drawn twice never pairs with its own copy) gives each
# model's 95% interval.
boot = bootstrap_rdm_comparison(models, subjects, "rho_a", n_bootstrap=200, seed=0)
low, high = np.percentile(boot.samples, [2.5, 97.5], axis=0)
order = np.argsort(-scores.mean(axis=1))
fig, ax = plt.subplots(figsize=(7, 3.8), layout="constrained")
ax.axhspan(ceiling.lower, ceiling.upper, color="0.85", label="noise ceiling")
means = scores.mean(axis=1)
ax.bar(range(len(names)), means[order], color="tab:blue")
ax.errorbar(range(len(names)), means[order], yerr=[means[order] - low[order], high[order] - means[order]],
            fmt="none", color="black", capsize=3)
ax.set_xticks(range(len(names)), [names[k] for k in order], rotation=30, ha="right")
ax.set(ylabel="Spearman's rho-a with human IT", title="Model RDMs vs human IT (4 subjects)")
ax.legend(loc="upper right")
plt.show()
