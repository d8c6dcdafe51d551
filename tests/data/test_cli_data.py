"""``neuroalign data list | info | fetch | validate | schema``."""

from __future__ import annotations

import json

from neuroalign.cli.main import main


def test_list_info_validate_schema(capsys, data_mirror):
    assert main(["data", "list", "--mirror", str(data_mirror)]) == 0
    out = capsys.readouterr().out
    assert "kriegeskorte2008_92images" in out and "ssvep_eeg_64ch" in out and "on this machine" in out and "hashes: 4/4 published (sha256 4)" in out
    assert main(["data", "list", "--adapters"]) == 0
    assert "fmri_volume_labels" in capsys.readouterr().out
    assert main(["data", "info", "haxby2001_subj1_slice"]) == 0
    out = capsys.readouterr().out
    assert "CC BY-SA 3.0" in out and "cbbd4d07803caaa9f77381af24e790cf77058664a128bd514a4c1668eefb92d7" in out
    assert "@article{haxby2001distributed" in out and "missing" in out
    assert main(["data", "validate"]) == 0
    assert "0 problem(s)" in capsys.readouterr().out
    assert main(["data", "schema"]) == 0
    assert json.loads(capsys.readouterr().out)["title"] == "neuroalign dataset manifest"


def test_fetch(capsys, data_mirror, tmp_path):
    assert main(["data", "fetch", "ssvep_eeg_64ch", "--mirror", str(data_mirror)]) == 0
    assert str(data_mirror / "ssvep_eeg_64ch" / "example-epo.fif") in capsys.readouterr().out
    assert main(["data", "fetch", "ssvep_eeg_64ch", "--offline", "--mirror", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "example-epo.fif" in err and "offline mode" in err and str(tmp_path / "ssvep_eeg_64ch") in err
    assert main(["data", "info", "kriegeskorte2009"]) == 2
    assert "Did you mean 'kriegeskorte2008_92images'" in capsys.readouterr().err
