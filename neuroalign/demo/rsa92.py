"""RSA on the real 92-image human IT data: subject agreement, noise ceiling, and the shipped model RDMs."""

from __future__ import annotations

import os
from dataclasses import dataclass

import numpy as np
import pandas as pd

from neuroalign.compare import DEFAULT_COMPARATOR, compare
from neuroalign.core.rdms import RDMs
from neuroalign.datasets import kriegeskorte92
from neuroalign.stats.ceiling import NoiseCeiling, rdm_noise_ceiling
from neuroalign.utils.docs import fill_doc
from neuroalign.utils.renamed import renamed_attribute, renamed_keywords


@dataclass(frozen=True)
class Rsa92Result:
    """Tables produced by :func:`run_rsa92`."""

    session_reliability: pd.DataFrame
    subject_agreement: pd.DataFrame
    ceiling: NoiseCeiling
    models: pd.DataFrame
    comparator: str

    method = renamed_attribute("method", "comparator")


def subject_rdms(sessions: RDMs) -> RDMs:
    """Average each subject's sessions into one RDM per subject (descriptor ``subject``)."""
    return sessions.mean_by("subject")


@fill_doc
@renamed_keywords(method="comparator")
def run_rsa92(mirror: str | os.PathLike[str] | None = None, comparator: str = DEFAULT_COMPARATOR) -> Rsa92Result:
    """Compare human IT RDMs across sessions and subjects, and with the model RDMs shipped with the data.

    Parameters
    ----------
    %(mirror)s
    %(comparator)s
        Spearman by default; Kendall's tau-a, the choice for the categorical model RDMs (many ties), is reported alongside.
    """
    sessions = kriegeskorte92.human_it_rdms(mirror)
    models = kriegeskorte92.model_rdms(mirror)
    subjects = subject_rdms(sessions)
    names = list(subjects.descriptors["subject"])

    reliability = pd.DataFrame({
        "subject": names,
        comparator: [compare(sessions.select(subject=s, session=1), sessions.select(subject=s, session=2),
                         comparator)[0, 0] for s in names],
    })
    agreement = pd.DataFrame(compare(subjects, subjects, comparator), index=names, columns=names)

    ceiling = rdm_noise_ceiling(subjects, comparator)
    per_subject = compare(models, subjects, comparator)
    tau = compare(models, subjects, "kendall_tau_a").mean(axis=1)
    n = subjects.n_rdms
    table = pd.DataFrame({
        "model": list(models.descriptors["model"]),
        comparator: per_subject.mean(axis=1),
        "sem": per_subject.std(axis=1, ddof=1) / np.sqrt(n),
        "tau_a": tau,
        "of_lower_ceiling": per_subject.mean(axis=1) / ceiling.lower,
    }).sort_values(comparator, ascending=False, ignore_index=True)
    return Rsa92Result(reliability, agreement, ceiling, table, comparator)


def format_rsa92(result: Rsa92Result) -> str:
    """Render :func:`run_rsa92`'s tables as plain text."""
    fmt = {"float_format": lambda x: f"{x:.3f}"}
    off_diagonal = result.subject_agreement.to_numpy()[~np.eye(len(result.subject_agreement), dtype=bool)]
    lines = [
        "RSA on the 92-image human IT data (Kriegeskorte et al. 2008)",
        f"comparator: {result.comparator}; 4 subjects x 2 sessions; dissimilarity 1 - Pearson r",
        "",
        "Session 1 vs session 2, per subject:",
        result.session_reliability.to_string(index=False, **fmt),
        "",
        "Subject x subject agreement (sessions averaged):",
        result.subject_agreement.to_string(**fmt),
        f"mean between-subject agreement: {off_diagonal.mean():.3f}",
        "",
        f"Noise ceiling (leave one subject out): lower {result.ceiling.lower:.3f}, upper {result.ceiling.upper:.3f}",
        "",
        f"Model RDMs vs human IT ({result.comparator} mean over subjects, SEM, Kendall tau-a, fraction of lower "
        "ceiling):",
        result.models.to_string(index=False, **fmt),
    ]
    return "\n".join(lines)
