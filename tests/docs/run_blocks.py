"""Run documentation code blocks one after another in this interpreter, each in a fresh namespace and its own empty
folder, as a user pasting it into a new Python session would; print one JSON line per block.

    python run_blocks.py WORKDIR < blocks.json      (a JSON list of {"id": ..., "code": ...})

One interpreter for all blocks keeps the test fast (torch, MNE and the data are imported once); the test runs it in
a subprocess so that what the blocks register (a comparator, a distance, a metric) never leaks into other tests.
"""

import json
import os
import sys
import time
import traceback
from pathlib import Path


def main() -> None:
    workdir = Path(sys.argv[1])
    for k, block in enumerate(json.load(sys.stdin)):
        folder = workdir / f"block{k}"
        folder.mkdir(parents=True)
        os.chdir(folder)
        started = time.perf_counter()
        try:
            exec(compile(block["code"], block["id"], "exec"), {"__name__": "__docs_block__"})
            error = None
        except BaseException:  # noqa: BLE001 - a failing block is a result to report, whatever it raised
            error = traceback.format_exc()
        finally:
            import matplotlib.pyplot as plt

            plt.close("all")
        print(json.dumps({"id": block["id"], "error": error, "seconds": time.perf_counter() - started}), flush=True)


if __name__ == "__main__":
    main()
