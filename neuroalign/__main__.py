"""``python -m neuroalign``: the ``neuroalign`` command (see :mod:`neuroalign.cli.main`)."""

from neuroalign.cli.main import main

raise SystemExit(main())
