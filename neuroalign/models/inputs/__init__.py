"""Reading stimulus payloads (images, texts, sounds) into model inputs, with errors that name the stimulus."""

from neuroalign.models.inputs.image import ImageTransform, load_image
from neuroalign.models.inputs.payloads import PAYLOAD_READERS, PayloadReader, payload_values

__all__ = ["PAYLOAD_READERS", "ImageTransform", "PayloadReader", "load_image", "payload_values"]
