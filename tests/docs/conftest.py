"""Fixtures shared by the documentation tests."""

import pytest


@pytest.fixture(scope="session")
def docs_activation_cache(tmp_path_factory):
    """One activation cache for the code blocks and the gallery: a pretrained model sees the 92 images once.

    Sharing it is safe: entries are content-hashed (model weights, stimuli, layers, pooling) and written atomically.
    """
    return tmp_path_factory.mktemp("docs_activations")
