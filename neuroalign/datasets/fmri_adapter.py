"""Adapter for fMRI series with per-volume labels (block designs such as Haxby et al. 2001)."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from neuroalign.core.recording import Recording
from neuroalign.core.stimuli import StimulusSet
from neuroalign.data.settings import MirrorSpec, PathLike
from neuroalign.datasets.adapter import ManifestAdapter
from neuroalign.datasets.conditions import check_conditions
from neuroalign.datasets.loaders.fmri_design import events_from_volume_labels, read_volume_labels
from neuroalign.datasets.loaders.fmri_masking import roi_masks
from neuroalign.datasets.loaders.fmri_patterns import condition_patterns
from neuroalign.datasets.selection import select_items


class FmriVolumeLabelsAdapter(ManifestAdapter):
    """A 4-D NIfTI series, a mask (and optionally an atlas), and a text file with ``label run`` per volume.

    Recordings are condition patterns per run (``run x stimulus x voxel``), one per ROI, estimated by averaging
    labelled volumes with a haemodynamic lag or by a first-level GLM.

    Parameters
    ----------
    manifest : Manifest
        The dataset's manifest.
    bold, mask, labels : str
        Manifest file names of the series, the brain mask and the volume labels.
    tr : float
        Repetition time in seconds.
    conditions : sequence of str
        The conditions (stimulus ids), in order; must match the labels file (besides ``exclude``).
    exclude : sequence of str
        Labels that are not conditions (baseline).
    subject : str
        The ``subject`` descriptor.
    roi : str
        Name of the ROI the mask defines.
    atlas : str, optional
        Manifest file name of a label atlas; with ``atlas_rois`` (name -> label value) adds one ROI each.
    atlas_rois : mapping, optional
        ROI name -> atlas label.
    method : str
        ``"average"`` or ``"glm"`` (see :data:`~neuroalign.datasets.loaders.fmri_patterns.PATTERN_ESTIMATORS`).
    method_options : mapping, optional
        Keyword arguments of the estimator; per method (``{average = {lag = 2.5}, glm = {hrf_model = "spm"}}``).
    label_column, run_column : int
        Columns of the labels file.
    mirror, cache, offline
        Where files are looked for.
    """

    def __init__(self, manifest, *, bold: str, mask: str, labels: str, tr: float, conditions: Sequence[str],
                 exclude: Sequence[str] = ("rest",), subject: str = "", roi: str = "mask", atlas: str | None = None,
                 atlas_rois: Mapping[str, int] | None = None, method: str = "average",
                 method_options: Mapping[str, Mapping[str, Any]] | None = None, label_column: int = 0,
                 run_column: int = 1, mirror: MirrorSpec = None, cache: PathLike | None = None,
                 offline: bool | None = None) -> None:
        super().__init__(manifest, mirror=mirror, cache=cache, offline=offline)
        self.files = {"bold": bold, "mask": mask, "labels": labels, "atlas": atlas}
        self.tr, self.conditions, self.exclude = float(tr), tuple(conditions), tuple(exclude)
        self.subject, self.roi, self.atlas_rois = subject, roi, dict(atlas_rois or {})
        self.method, self.method_options = method, {k: dict(v) for k, v in (method_options or {}).items()}
        self.columns = {"label_column": label_column, "run_column": run_column}
        self._cache: dict[tuple[str, str], Recording] = {}

    def stimulus_set(self) -> StimulusSet:
        """The conditions as stimuli (no payloads: the images of the original study are not distributed)."""
        return StimulusSet(self.conditions, name=self.id)

    def _descriptor_rows(self) -> list[dict[str, Any]]:
        return [{"subject": self.subject, "roi": roi} for roi in (self.roi, *self.atlas_rois)]

    def design(self):
        """The block design as an events table (``onset``, ``duration``, ``trial_type``, ``run``) and the run of
        every volume."""
        path = self.path(self.files["labels"])
        labels, runs = read_volume_labels(path, **self.columns)
        check_conditions(set(labels) - set(self.exclude), self.conditions, path=path, field="label")
        return events_from_volume_labels(labels, runs, self.tr, exclude=self.exclude), runs

    def _roi_masks(self) -> dict[str, Any]:
        masks: dict[str, Any] = {self.roi: self.path(self.files["mask"])}
        if self.atlas_rois:
            masks.update(roi_masks(self.path(self.files["atlas"]), self.atlas_rois, mask=masks[self.roi]))
        return masks

    def masker(self, roi: str | None = None) -> Any:
        """The fitted nilearn ``NiftiMasker`` of ``roi`` (the mask's by default), whose voxel order is the
        recordings' channel order: ``masker.inverse_transform(values)`` puts per-voxel results back on the grid."""
        from nilearn.maskers import NiftiMasker

        masks = self._roi_masks()
        return NiftiMasker(mask_img=masks[roi or self.roi], standardize=None).fit()

    def recordings(self, *, method: str | None = None, **selection: Any) -> list[Recording]:
        """Condition patterns per run, one recording per selected ROI (selectors ``subject``, ``roi``).

        Parameters
        ----------
        method : str, optional
            Overrides the adapter's estimator for this call (``"average"`` or ``"glm"``).
        **selection
            ``subject=``, ``roi=`` (a value or a list).
        """
        method = method or self.method
        rois = [row["roi"] for row in select_items(self._descriptor_rows(), dict, selection, what=f"dataset "
                                                                                                   f"{self.id!r}")]
        missing = [roi for roi in rois if (roi, method) not in self._cache]
        if missing:
            events, runs = self.design()
            masks, bold = self._roi_masks(), self.path(self.files["bold"])
            for roi in missing:
                self._cache[(roi, method)] = condition_patterns(
                    bold, masks[roi], events, runs, self.tr, conditions=self.conditions, method=method,
                    options=self.method_options.get(method), descriptors={"subject": self.subject, "roi": roi})
        return [self._cache[(roi, method)] for roi in rois]
