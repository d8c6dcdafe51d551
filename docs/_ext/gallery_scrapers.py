"""An image scraper for sphinx-gallery that shows the figures a tutorial saves to files.

The tutorials draw with neuroalign's plotting functions, which return figures outside pyplot, and save them with
``save_figure`` into ``$NEUROALIGN_TUTORIAL_OUTPUT`` (they also run as plain scripts, where nothing is shown).
After each code block, the PNG files that appeared or changed in that folder are copied into the gallery's image
folder and shown under the block, as pyplot figures are.
"""

from __future__ import annotations

import shutil
from pathlib import Path


class TutorialFigures:
    """Scrape the PNG files written into :attr:`folder` since the previous block."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._seen: dict[Path, float] = {}

    def __repr__(self) -> str:  # sphinx-gallery hashes the configuration by its repr
        return "TutorialFigures()"

    def __call__(self, block, block_vars, gallery_conf) -> str:
        from sphinx_gallery.scrapers import figure_rst

        new = []
        for png in sorted(self.folder.glob("*.png")):
            stamp = png.stat().st_mtime_ns
            if self._seen.get(png) != stamp:
                self._seen[png] = stamp
                new.append(png)
        targets = []
        for png, target in zip(new, block_vars["image_path_iterator"]):
            shutil.copyfile(png, target)
            targets.append(target)
        return figure_rst(targets, gallery_conf["src_dir"])
