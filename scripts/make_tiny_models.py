#!/usr/bin/env python
"""Tiny random-weight Hugging Face models, built offline from configs, each with a working tokenizer/processor.

    python scripts/make_tiny_models.py OUTDIR [--only NAME ...] [--hub-cache HUB_DIR [--org ORG]]

Writes one ``save_pretrained`` folder per model under OUTDIR (``OUTDIR/<name>/``). Nothing is downloaded: the
tokenizers' vocabularies are written here (a WordPiece vocab for BERT, byte-level BPE ``vocab.json`` + ``merges.txt``
for GPT-2/BART, CLIP's BPE with ``</w>``, a Unigram ``tokenizer.json`` for SigLIP, a character CTC vocab for
Wav2Vec2) and the image processors / feature extractor come from their constructors.

Deterministic: every model is built under ``torch.manual_seed(SEED)`` and saved as safetensors, so two runs with the
same torch/transformers versions write byte-identical files. ``--hub-cache HUB_DIR`` also puts every folder into a
Hugging Face hub cache (``$HF_HOME/hub``) as ``ORG/<name>`` at ``main``, laid out as the hub client lays it out
(see ``scripts/fake_hub_cache.py``), so that ``hf:ORG/tiny-bert`` resolves offline.

The tests build these models once per session into a temporary folder (``tests/models/conftest.py``); the tutorial
``tutorials/extract_and_score_your_own_model.py`` builds one. Nothing here is ever committed or downloaded.

The models (all float32, each well under 2 MB):

=============  =========================  ========================  ==============================================
name           saved class                family                    preprocessor (Auto class that loads it)
=============  =========================  ========================  ==============================================
tiny-bert      BertForMaskedLM            text encoder              BertTokenizer (AutoTokenizer)
tiny-gpt2      GPT2LMHeadModel            causal decoder            GPT2Tokenizer (AutoTokenizer)
tiny-bart      BartForConditionalGen.     encoder-decoder           BartTokenizer (AutoTokenizer)
tiny-vit       ViTModel                   vision (transformer)      ViTImageProcessor (AutoImageProcessor)
tiny-convnext  ConvNextForImageClass.     conv vision               ConvNextImageProcessor (AutoImageProcessor)
tiny-resnet    ResNetForImageClass.       conv vision               ConvNextImageProcessor (AutoImageProcessor)
tiny-clip      CLIPModel                  image-text dual encoder   CLIPProcessor (AutoProcessor)
tiny-siglip    SiglipModel                image-text dual encoder   SiglipProcessor (AutoProcessor)
tiny-wav2vec2  Wav2Vec2Model              audio                     Wav2Vec2Processor (AutoProcessor) /
                                                                    Wav2Vec2FeatureExtractor (AutoFeatureExtractor)
=============  =========================  ========================  ==============================================

BERT, GPT-2, BART, ConvNeXt and ResNet are saved *with* their heads, as the real hub checkpoints are
(``bert-base-uncased`` is a ``BertForMaskedLM`` checkpoint, ``gpt2`` a ``GPT2LMHeadModel`` one): ``AutoModel`` then
loads the bare backbone from them (dropping the head weights, with a log line listing them), which is exactly what a
neuroalign adapter will do with a real hub id.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

SEED = 0
IMAGE_SIZE = 32  # every vision model takes 32x32 RGB images
SAMPLING_RATE = 16_000

# A tiny shared text block: the vocabularies below cover these words whole, everything else falls back to
# characters (WordPiece ``##x``) or bytes (BPE).
WORDS = ("the", "a", "an", "cat", "dog", "car", "face", "house", "tree", "photo", "of", "is", "on", "in", "and",
         "red", "big", "small", "sat", "ran", "mat", "man", "woman", "bird", "hand")

# Small transformer dimensions shared by all models.
TINY = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=4, intermediate_size=37)


# ------------------------------------------------------------------------------------------------------------------
# Vocabularies (written here, never downloaded)
# ------------------------------------------------------------------------------------------------------------------

def bytes_to_unicode() -> dict[int, str]:
    """GPT-2's reversible byte -> printable-unicode table (the same as openai/gpt-2 ``encoder.py``)."""
    bs = [*range(ord("!"), ord("~") + 1), *range(ord("¡"), ord("¬") + 1), *range(ord("®"), ord("ÿ") + 1)]
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def _left_to_right_merges(symbol_lists):
    """Merges that build each word left to right: ``[a, b, c] -> (a, b), (ab, c)``; duplicates dropped, in order."""
    merges: list[tuple[str, str]] = []
    seen = set()
    for symbols in symbol_lists:
        cur = symbols[0]
        for s in symbols[1:]:
            if (cur, s) not in seen:
                seen.add((cur, s))
                merges.append((cur, s))
            cur = cur + s
    return merges


def byte_level_bpe(specials_first=(), specials_last=("<|endoftext|>",)):
    """A GPT-2 style byte-level BPE: the 256 byte symbols, merges for `` word`` (``Ġword``) and ``word``."""
    b2u = bytes_to_unicode()
    symbols = [b2u[i] for i in range(256)]
    merges = _left_to_right_merges([list("Ġ" + w) for w in WORDS] + [list(w) for w in WORDS])
    vocab_list = list(specials_first) + symbols
    for a, b in merges:
        if a + b not in vocab_list:
            vocab_list.append(a + b)
    vocab_list += list(specials_last)
    return {t: i for i, t in enumerate(vocab_list)}, merges


def clip_bpe():
    """CLIP's BPE: byte symbols and their end-of-word forms (``x</w>``), merges ending in ``</w>``, then
    ``<|startoftext|>`` and ``<|endoftext|>`` as the last two ids (as in openai/clip, where EOT has the highest id)."""
    b2u = bytes_to_unicode()
    symbols = [b2u[i] for i in range(256)]
    vocab_list = symbols + [s + "</w>" for s in symbols]
    words = [list(w[:-1]) + [w[-1] + "</w>"] for w in WORDS if len(w) > 1]
    merges = _left_to_right_merges(words)
    for a, b in merges:
        if a + b not in vocab_list:
            vocab_list.append(a + b)
    vocab_list += ["<|startoftext|>", "<|endoftext|>"]
    return {t: i for i, t in enumerate(vocab_list)}, merges


def wordpiece_vocab():
    chars = "abcdefghijklmnopqrstuvwxyz0123456789"
    punct = ".,!?'\"-:;()"
    return (["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + list(chars) + list(punct)
            + ["##" + c for c in chars] + [w for w in WORDS if len(w) > 1])


def write_bpe_files(folder: Path, vocab: dict[str, int], merges) -> None:
    """The classic slow-tokenizer files next to ``tokenizer.json`` (real hub repos ship both)."""
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False))
    (folder / "merges.txt").write_text("#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges))


# ------------------------------------------------------------------------------------------------------------------
# Models
# ------------------------------------------------------------------------------------------------------------------

def _save(model, folder: Path, *preprocessors) -> None:
    model.save_pretrained(folder)  # safetensors by default
    for p in preprocessors:
        p.save_pretrained(folder)


def make_bert(folder: Path) -> None:
    import torch
    from transformers import BertConfig, BertForMaskedLM, BertTokenizer

    vocab = wordpiece_vocab()
    tok = BertTokenizer(vocab={t: i for i, t in enumerate(vocab)}, do_lower_case=True, model_max_length=64)
    config = BertConfig(vocab_size=len(vocab), max_position_embeddings=64, type_vocab_size=2, pad_token_id=0,
                        **TINY)
    torch.manual_seed(SEED)
    model = BertForMaskedLM(config).eval()
    _save(model, folder, tok)
    (folder / "vocab.txt").write_text("".join(t + "\n" for t in vocab))


def make_gpt2(folder: Path) -> None:
    import torch
    from transformers import GPT2Config, GPT2LMHeadModel, GPT2Tokenizer

    vocab, merges = byte_level_bpe()
    eos = vocab["<|endoftext|>"]
    # GPT-2 has no pad token: like the real one we save none; adapters must set pad_token = eos_token.
    tok = GPT2Tokenizer(vocab=vocab, merges=merges, model_max_length=64)
    config = GPT2Config(vocab_size=len(vocab), n_positions=64, n_embd=32, n_layer=2, n_head=4, n_inner=37,
                        bos_token_id=eos, eos_token_id=eos)
    torch.manual_seed(SEED)
    model = GPT2LMHeadModel(config).eval()
    _save(model, folder, tok)
    write_bpe_files(folder, vocab, merges)


def make_bart(folder: Path) -> None:
    import torch
    from transformers import BartConfig, BartForConditionalGeneration, BartTokenizer

    vocab, merges = byte_level_bpe(specials_first=("<s>", "<pad>", "</s>", "<unk>"), specials_last=("<mask>",))
    tok = BartTokenizer(vocab=vocab, merges=merges, model_max_length=64)
    config = BartConfig(vocab_size=len(vocab), d_model=32, encoder_layers=2, decoder_layers=2,
                        encoder_attention_heads=4, decoder_attention_heads=4, encoder_ffn_dim=37, decoder_ffn_dim=37,
                        max_position_embeddings=64, bos_token_id=0, pad_token_id=1, eos_token_id=2,
                        decoder_start_token_id=2, forced_eos_token_id=2)
    torch.manual_seed(SEED)
    model = BartForConditionalGeneration(config).eval()
    _save(model, folder, tok)
    write_bpe_files(folder, vocab, merges)


def _pil_image_processor(name: str):
    """``<name>ImageProcessorPil`` when torchvision is missing (it is here), else the default (torchvision) one.
    Either way ``image_processor_type`` is saved as ``<name>ImageProcessor``, so the folder is portable."""
    import transformers

    try:
        import torchvision  # noqa: F401
        return getattr(transformers, f"{name}ImageProcessor")
    except ImportError:
        return getattr(transformers, f"{name}ImageProcessorPil")


def make_vit(folder: Path) -> None:
    import torch
    from transformers import ViTConfig, ViTModel

    proc = _pil_image_processor("ViT")(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    config = ViTConfig(image_size=IMAGE_SIZE, patch_size=8, **TINY)
    torch.manual_seed(SEED)
    model = ViTModel(config).eval()  # with pooler, like google/vit-base-patch16-224-in21k
    _save(model, folder, proc)


def _convnext_processor():
    # As microsoft/resnet-50 and facebook/convnext-tiny-224: resize the short side to size/crop_pct, centre crop.
    return _pil_image_processor("ConvNext")(size={"shortest_edge": IMAGE_SIZE}, crop_pct=0.875)


def make_convnext(folder: Path) -> None:
    import torch
    from transformers import ConvNextConfig, ConvNextForImageClassification

    config = ConvNextConfig(num_channels=3, patch_size=4, num_stages=4, hidden_sizes=[8, 16, 24, 32],
                            depths=[1, 1, 2, 1], image_size=IMAGE_SIZE, num_labels=10)
    torch.manual_seed(SEED)
    model = ConvNextForImageClassification(config).eval()
    _save(model, folder, _convnext_processor())


def make_resnet(folder: Path) -> None:
    import torch
    from transformers import ResNetConfig, ResNetForImageClassification

    config = ResNetConfig(num_channels=3, embedding_size=8, hidden_sizes=[8, 16, 24, 32], depths=[1, 1, 1, 1],
                          layer_type="basic", num_labels=10)
    torch.manual_seed(SEED)
    model = ResNetForImageClassification(config).eval()
    _save(model, folder, _convnext_processor())


def make_clip(folder: Path) -> None:
    import torch
    from transformers import CLIPConfig, CLIPModel, CLIPProcessor, CLIPTokenizer

    vocab, merges = clip_bpe()
    tok = CLIPTokenizer(vocab=vocab, merges=merges, model_max_length=32)
    image_proc = _pil_image_processor("CLIP")(size={"shortest_edge": IMAGE_SIZE},
                                               crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    processor = CLIPProcessor(image_processor=image_proc, tokenizer=tok)
    bos, eos = vocab["<|startoftext|>"], vocab["<|endoftext|>"]
    config = CLIPConfig(
        # eos_token_id != 2 makes CLIPTextTransformer pool at the first EOS token (with the legacy value 2 it
        # pools at argmax(input_ids), which is EOS only because EOS has the highest id -- true here as well).
        text_config=dict(vocab_size=len(vocab), max_position_embeddings=32, bos_token_id=bos, eos_token_id=eos,
                         pad_token_id=eos, **TINY),
        vision_config=dict(image_size=IMAGE_SIZE, patch_size=8, **TINY),
        projection_dim=16,
    )
    torch.manual_seed(SEED)
    model = CLIPModel(config).eval()
    _save(model, folder, processor)
    write_bpe_files(folder, vocab, merges)


def siglip_tokenizer():
    """A Unigram tokenizer shaped like SigLIP's SentencePiece one (lowercase, ``▁`` word boundaries, ``</s>``
    appended, ``</s>`` also the pad token), as a ``tokenizer.json`` with ``tokenizer_class: TokenizersBackend``:
    the real ``SiglipTokenizer`` needs the ``sentencepiece`` package, which this environment lacks."""
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors
    from transformers import TokenizersBackend

    pieces = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    pieces += [("▁" + w, -2.0) for w in WORDS] + [("▁", -3.0)]
    pieces += [(c, -5.0) for c in "abcdefghijklmnopqrstuvwxyz0123456789.,!?'"]
    backend = Tokenizer(models.Unigram(pieces, unk_id=2, byte_fallback=False))
    backend.normalizer = normalizers.Sequence([normalizers.Lowercase(), normalizers.Strip()])
    backend.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    backend.post_processor = processors.TemplateProcessing(single="$A </s>", pair="$A </s> $B </s>",
                                                           special_tokens=[("</s>", 1)])
    backend.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    return TokenizersBackend(tokenizer_object=backend, eos_token="</s>", pad_token="</s>", unk_token="<unk>",
                             model_max_length=16), len(pieces)


def make_siglip(folder: Path) -> None:
    import torch
    from transformers import SiglipConfig, SiglipModel, SiglipProcessor

    tok, vocab_size = siglip_tokenizer()
    image_proc = _pil_image_processor("Siglip")(size={"height": IMAGE_SIZE, "width": IMAGE_SIZE})
    processor = SiglipProcessor(image_processor=image_proc, tokenizer=tok)
    config = SiglipConfig(
        text_config=dict(vocab_size=vocab_size, max_position_embeddings=16, pad_token_id=1, eos_token_id=1,
                         projection_size=32, **TINY),
        vision_config=dict(image_size=IMAGE_SIZE, patch_size=8, **TINY),
    )
    torch.manual_seed(SEED)
    model = SiglipModel(config).eval()
    _save(model, folder, processor)


def make_wav2vec2(folder: Path) -> None:
    import torch
    from transformers import (Wav2Vec2Config, Wav2Vec2CTCTokenizer, Wav2Vec2FeatureExtractor, Wav2Vec2Model,
                              Wav2Vec2Processor)

    folder.mkdir(parents=True, exist_ok=True)
    chars = ["<pad>", "<s>", "</s>", "<unk>", "|"] + list("ABCDEFGHIJKLMNOPQRSTUVWXYZ'")
    vocab_file = folder / "vocab.json"
    vocab_file.write_text(json.dumps({c: i for i, c in enumerate(chars)}))
    tok = Wav2Vec2CTCTokenizer(str(vocab_file))
    # As facebook/wav2vec2-base: group-norm feature encoder, no attention mask (pad with zeros instead).
    fe = Wav2Vec2FeatureExtractor(feature_size=1, sampling_rate=SAMPLING_RATE, padding_value=0.0, do_normalize=True,
                                  return_attention_mask=False)
    processor = Wav2Vec2Processor(feature_extractor=fe, tokenizer=tok)
    # The real conv feature encoder (7 layers, strides 5,2,2,2,2,2,2 = 320 samples = one frame per 20 ms at 16 kHz,
    # receptive field 400 samples) with 8 channels instead of 512.
    config = Wav2Vec2Config(vocab_size=len(chars), conv_dim=(8,) * 7, conv_stride=(5, 2, 2, 2, 2, 2, 2),
                            conv_kernel=(10, 3, 3, 3, 3, 2, 2), feat_extract_norm="group",
                            num_conv_pos_embeddings=16, num_conv_pos_embedding_groups=4, **TINY)
    torch.manual_seed(SEED)
    model = Wav2Vec2Model(config).eval()
    _save(model, folder, processor)


MAKERS = {
    "tiny-bert": make_bert,
    "tiny-gpt2": make_gpt2,
    "tiny-bart": make_bart,
    "tiny-vit": make_vit,
    "tiny-convnext": make_convnext,
    "tiny-resnet": make_resnet,
    "tiny-clip": make_clip,
    "tiny-siglip": make_siglip,
    "tiny-wav2vec2": make_wav2vec2,
}


def make_all(outdir: str | os.PathLike[str], only=None, quiet: bool = False) -> dict[str, Path]:
    """Build every model (or those named in ``only``) under ``outdir``; returns ``{name: folder}``."""
    import transformers

    transformers.utils.logging.set_verbosity_error()
    transformers.utils.logging.disable_progress_bar()
    out = Path(outdir)
    out.mkdir(parents=True, exist_ok=True)
    folders = {}
    for name, make in MAKERS.items():
        if only and name not in only:
            continue
        t0 = time.perf_counter()
        folder = out / name
        make(folder)
        folders[name] = folder
        if not quiet:
            size = sum(f.stat().st_size for f in folder.iterdir())
            print(f"{name:15s} {size / 1e6:6.3f} MB  {time.perf_counter() - t0:5.2f} s", file=sys.stderr)
    return folders


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir")
    ap.add_argument("--only", nargs="*", choices=sorted(MAKERS), help="build only these")
    ap.add_argument("--hub-cache", metavar="HUB_DIR", help="also add every model to this Hugging Face hub cache")
    ap.add_argument("--org", default="tiny-org", help="the organisation of the hub ids (default tiny-org)")
    args = ap.parse_args(argv)
    t0 = time.perf_counter()
    folders = make_all(args.outdir, args.only)
    print(f"built {len(folders)} models in {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    if args.hub_cache:
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from fake_hub_cache import add_to_hub_cache

        for name, folder in folders.items():
            print(f"hf:{args.org}/{name}", add_to_hub_cache(folder, f"{args.org}/{name}", args.hub_cache))
    return 0


if __name__ == "__main__":
    sys.exit(main())
