"""``neuroalign cache list | info | clear``."""

from __future__ import annotations

import argparse

import pytest
from models_helpers import tiny_adapter

from neuroalign.cli import cache_command


def _cli(*argv: str) -> int:
    parser = argparse.ArgumentParser(prog="neuroalign")
    cache_command.add_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(list(argv))
    return args.run(args)


def test_list_info_clear(images, cache, capsys):
    assert _cli("cache", "--dir", str(cache.root), "list") == 0
    assert "no cached activations" in capsys.readouterr().out
    tiny_adapter().extract(images, "output", cache=cache)
    key = cache.entries()[0].key
    _cli("cache", "--dir", str(cache.root), "list")
    out = capsys.readouterr().out
    assert key[:12] in out and "tiny-net" in out and "complete" in out
    _cli("cache", "--dir", str(cache.root), "info", key[:8])
    out = capsys.readouterr().out
    assert '"weights_sha256"' in out and '"preprocessing"' in out
    with pytest.raises(Exception, match="no entry"):
        _cli("cache", "--dir", str(cache.root), "info", "ffffffffff")
    _cli("cache", "--dir", str(cache.root), "clear", "--model", "tiny-net")
    assert "removed 1 entry" in capsys.readouterr().out and cache.entries() == []


def test_registered_in_the_main_command():
    from neuroalign.cli.main import SUBCOMMANDS

    assert cache_command in SUBCOMMANDS
