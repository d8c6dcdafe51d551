"""Poisson distances: the symmetrised Kullback-Leibler divergence between Poisson rates, plain and cross-validated.

For rates ``x`` the symmetric KL divergence of ``Poisson(x_ik)`` and ``Poisson(x_jk)``, summed over channels, is
``d_ij = sum_k (x_ik - x_jk)(log x_ik - log x_jk)``: the bilinear family with ``A = X`` and ``B = log X``.

Zero rates: ``log 0`` makes the divergence infinite, so rates are first pulled toward a prior rate ``lambda`` with
weight ``w``, ``x' = (x + lambda w) / (1 + w)`` (the posterior mean of a rate under a conjugate prior; rsatoolbox's
convention and defaults, lambda = 1, w = 0.1). With ``prior_weight=0`` the formula applies to the raw rates and a
zero rate is an error. Negative rates are always an error.

``poisson_cv`` averages ``(x_i^r - x_j^r)(log x_i^s - log x_j^s)`` over all ordered pairs of distinct runs.
rsatoolbox 0.3.2's ``poisson_cv`` overwrites its per-fold result in the loop and so returns only the last fold.
"""

from __future__ import annotations

import torch

from neuroalign.errors import InvalidOptionError
from neuroalign.rdm.backend import Backend
from neuroalign.rdm.bilinear import BilinearDistance
from neuroalign.rdm.precision import Precision
from neuroalign.rdm.validate import Labels, raise_at


class Poisson(BilinearDistance):
    """Symmetrised KL divergence between Poisson rates, ``sum_k (x_ik - x_jk)(log x_ik - log x_jk)``.

    Parameters
    ----------
    name : str
        Registered name (``"poisson"`` or ``"poisson_cv"``).
    cross_validated : bool
        Take rates and log rates from different runs, averaged over ordered pairs of distinct runs.
    prior_lambda : float
        Prior rate the observed rates are pulled toward (> 0).
    prior_weight : float
        Weight of the prior (>= 0); 0 uses the raw rates and rejects zeros.
    """

    #: ``X_s log(X_r)^T`` is not the transpose of ``X_r log(X_s)^T``: ordered run pairs are all needed.
    transposable = False
    nonnegative_input = True

    def __init__(self, name: str = "poisson", *, cross_validated: bool = False, prior_lambda: float = 1.0,
                 prior_weight: float = 0.1) -> None:
        super().__init__(name, cross_validated=cross_validated)
        self.squared = None  # a divergence between rates: no Euclidean geometry to embed
        if not prior_lambda > 0:
            raise InvalidOptionError(f"prior_lambda must be > 0; got {prior_lambda!r}")
        if not prior_weight >= 0:
            raise InvalidOptionError(f"prior_weight must be >= 0; got {prior_weight!r}")
        self.prior_lambda = float(prior_lambda)
        self.prior_weight = float(prior_weight)

    def rates(self, block: torch.Tensor, backend: Backend) -> torch.Tensor:
        """Observed rates pulled toward the prior: ``(x + lambda w) / (1 + w)``."""
        if self.prior_weight == 0:
            return block
        shifted = torch.add(block, self.prior_lambda * self.prior_weight, out=backend.empty(block.shape))
        return shifted.div_(1 + self.prior_weight)

    def check_values(self, block: torch.Tensor, labels: Labels, offset: int) -> None:
        if bool(block.min() < 0):
            raise_at(block < 0, labels, offset, "negative values",
                     "Poisson distances need rates or counts, which are >= 0.")
        if self.prior_weight == 0 and bool((block == 0).any()):
            raise_at(block == 0, labels, offset, "zero rates (with prior_weight=0 their log is -inf)",
                     "Use prior_weight > 0 (the default 0.1 pulls rates toward prior_lambda).")

    def maps(self, block: torch.Tensor, precision: Precision, span: tuple[int, int], backend: Backend
             ) -> tuple[torch.Tensor, torch.Tensor]:
        rates = self.rates(block, backend)
        return rates, torch.log(rates, out=backend.empty(rates.shape))

    def __repr__(self) -> str:
        return (f"<Poisson {self.name!r}, prior_lambda={self.prior_lambda}, prior_weight={self.prior_weight}, "
                f"cross_validated={self.cross_validated}>")
