"""Fitted RDM models: fixed, selection, weighted and interpolation models, fitted by the comparator being
optimised, evaluated with cross-validation over subjects and stimuli (in a bootstrap), and regression and partial
correlation RSA. See ``docs/rdm_models.md``."""

from neuroalign.stats.fitting.bootstrap_cv import BootstrapCrossValidation, bootstrap_crossval
from neuroalign.stats.fitting.crossval import CrossValidation, Fold, crossval, kfold_folds
from neuroalign.stats.fitting.fit import SOLVERS, fit_model
from neuroalign.stats.fitting.models import FixedModel, InterpolationModel, RDMModel, SelectionModel, WeightedModel

__all__ = ["SOLVERS", "BootstrapCrossValidation", "CrossValidation", "FixedModel", "Fold", "InterpolationModel",
           "RDMModel", "SelectionModel", "WeightedModel", "bootstrap_crossval", "crossval", "fit_model",
           "kfold_folds"]
