"""Template checks: the base has a chat template; an adapter's own tokenizer agrees with it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._base import TOKENIZER_FILES, BaseModel, load_tokenizer
from ._types import Check, failed, passed, warned

MARKER = "XYZZY-tunediff-answer"


def special_token_strings(tok: Any) -> list[str]:
    """Special and added-special tokens, longest first (so `<|im_end|>` wins over `<|im`)."""
    names = set(tok.all_special_tokens)
    for added in getattr(tok, "added_tokens_decoder", {}).values():
        if getattr(added, "special", False):
            names.add(str(added))
    return sorted((n for n in names if n), key=len, reverse=True)


def end_of_turn_token(tok: Any) -> str | None:
    """The special token that closes the assistant's turn in the chat template.

    Renders a user turn and an assistant turn with a marker answer and takes the first
    special token after the marker (`<|im_end|>` for ChatML, `<|eot_id|>` for Llama 3,
    `</s>` for Mistral). None when there is no template or it closes turns with plain text.
    """
    if not tok.chat_template:
        return None
    chats = ([{"role": "user", "content": "Hi"}, {"role": "assistant", "content": MARKER}],
             [{"role": "user", "content": MARKER}])
    for chat in chats:
        try:
            rendered = tok.apply_chat_template(chat, tokenize=False)
        except Exception:  # templates may raise on role orders they do not support
            continue
        if MARKER not in rendered:
            continue
        after = rendered[rendered.rfind(MARKER) + len(MARKER):]
        found = [(after.find(t), t) for t in special_token_strings(tok) if t in after]
        if found:
            return min(found, key=lambda pair: (pair[0], -len(pair[1])))[1]
        return None
    return None


def check_base_template(base: BaseModel) -> Check:
    if base.template_file is not None:
        return passed("template.base", f"chat template from --template {base.template_file}")
    if base.tokenizer.chat_template:
        eot = end_of_turn_token(base.tokenizer)
        closes = f"; turns end with {eot}" if eot else ""
        return passed("template.base", f"{base.dir.name}: the tokenizer has a chat template{closes}")
    return failed("template.base", f"{base.dir}: the tokenizer has no chat template, so prompts cannot be "
                  "rendered the way a chat fine-tune was trained",
                  "pass --template FILE.jinja with the template used in training")


def has_tokenizer_files(directory: Path) -> bool:
    return any((directory / name).is_file() for name in (*TOKENIZER_FILES, "chat_template.jinja"))


def check_adapter_tokenizer(base: BaseModel, name: str, directory: Path) -> Check:
    """An adapter saved with its own tokenizer was trained with it: it must match the base's."""
    cid = f"template.adapter:{name}"
    if not has_tokenizer_files(directory):
        return passed(cid, "no tokenizer files in the adapter folder: the base tokenizer applies")
    if any((directory / n).is_file() for n in TOKENIZER_FILES):
        theirs = load_tokenizer(directory)
        template = theirs.chat_template
    else:
        theirs = None
        template = (directory / "chat_template.jinja").read_text(encoding="utf-8")
    problems, minor = _differences(base.tokenizer, theirs, template)
    if problems:
        return failed(cid, "the adapter's tokenizer differs from the base's: " + "; ".join(problems + minor),
                      "run with the tokenizer used in training (copy it into the base folder, or "
                      "--template the adapter's chat_template.jinja) and resize embeddings if tokens were added")
    if minor:
        return warned(cid, "the adapter's tokenizer differs from the base's: " + "; ".join(minor),
                      "harmless at inference; see stopping.pad about what it means for training")
    return passed(cid, "the adapter's tokenizer matches the base's (template, special tokens, vocabulary)")


def _differences(ours: Any, theirs: Any | None, template: str | None) -> tuple[list[str], list[str]]:
    problems: list[str] = []
    minor: list[str] = []
    if (template or "").strip() != (ours.chat_template or "").strip():
        problems.append("chat template differs" if template else "the adapter's tokenizer has no chat template")
    if theirs is None:
        return problems, minor
    for role in ("bos_token", "eos_token", "unk_token", "pad_token"):
        a, b = getattr(ours, role, None), getattr(theirs, role, None)
        if a != b:
            (minor if role == "pad_token" else problems).append(f"{role} {b!r} vs base {a!r}")
    if len(theirs) != len(ours):
        problems.append(f"vocabulary size {len(theirs)} vs base {len(ours)}")
    added = sorted(set(theirs.get_added_vocab()) - set(ours.get_added_vocab()))
    if added:
        shown = ", ".join(added[:5]) + (f" (+{len(added) - 5} more)" if len(added) > 5 else "")
        problems.append(f"added tokens not in the base: {shown}")
    return problems, minor
