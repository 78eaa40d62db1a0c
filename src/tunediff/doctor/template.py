"""Template checks: the base has a chat template that starts prompts the way the model expects;
an adapter's own tokenizer agrees with it. The facts come from `tunediff.tokenizer_facts`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..tokenizer_facts import TOKENIZER_FILES, adapter_template
from ._base import CheckedBase
from ._types import Check, failed, passed, warned


def check_base_template(base: CheckedBase) -> Check:
    if base.template_file is not None:
        return passed("template.base", f"chat template from --template {base.template_file}")
    if base.facts.chat_template:
        eot = base.facts.end_of_turn
        closes = f"; turns end with {eot}" if eot else ""
        return passed("template.base", f"{base.dir.name}: the tokenizer has a chat template{closes}")
    return failed("template.base", f"{base.dir}: the tokenizer has no chat template, so prompts cannot be "
                  "rendered the way a chat fine-tune was trained",
                  "pass --template FILE.jinja with the template used in training")


def check_bos(base: CheckedBase) -> Check:
    """Prompts start with BOS when the model expects it, and only once.

    The model expects BOS when its tokenizer adds it to encoded text (training that encodes
    text normally put it there) or a model file says so. tunediff run sends the rendered
    template as it is, so a template without `{{ bos_token }}` sends prompts without it.
    """
    facts = base.facts
    bos = facts.bos_token
    if facts.chat_template is None:
        return passed("template.bos", "no chat template to render (see template.base)")
    if facts.bos_id is None or not bos:
        return passed("template.bos", "the tokenizer has no BOS token: nothing to start prompts with")
    start = facts.render([{"role": "user", "content": "Hi"}])[:40]
    if facts.expects_bos and not facts.prompts_start_with_bos:
        return failed("template.bos", f"prompts rendered with {facts.template_source} start {start!r}, without {bos}, "
                      f"but the model expects {bos} first ({facts.bos_evidence}): without it base and fine-tune "
                      "both babble", "start the template with `{{ bos_token }}`")
    if facts.prompts_start_with_bos and facts.encoding_adds_bos:
        return warned("template.bos", f"prompts start with {bos} from the template and the tokenizer adds a second "
                      f"when encoding normally ({start!r}): tunediff run encodes without special tokens and sends "
                      "one, but a trainer or server that encodes the rendered text normally sends two",
                      "encode rendered prompts with add_special_tokens=False (in training too), or drop "
                      "`{{ bos_token }}` from the template where the encoder adds it")
    if facts.prompts_start_with_bos:
        return passed("template.bos", f"prompts start with {bos} once ({start!r})")
    return passed("template.bos", f"prompts start without {bos} ({start!r}); the tokenizer does not add it and no "
                  "model file asks for it")


def has_tokenizer_files(directory: Path) -> bool:
    return any((directory / name).is_file() for name in (*TOKENIZER_FILES, "chat_template.jinja"))


def check_adapter_tokenizer(base: CheckedBase, name: str, directory: Path) -> Check:
    """An adapter saved with its own tokenizer was trained with it: it must match the base's."""
    cid = f"template.adapter:{name}"
    if not has_tokenizer_files(directory):
        return passed(cid, "no tokenizer files in the adapter folder: the base tokenizer applies")
    theirs, template = adapter_template(directory)
    problems, minor = _differences(base, theirs, template)
    if problems:
        return failed(cid, "the adapter's tokenizer differs from the base's: " + "; ".join(problems + minor),
                      "run with the tokenizer used in training (copy it into the base folder, or "
                      "--template the adapter's chat_template.jinja) and resize embeddings if tokens were added")
    if minor:
        return warned(cid, "the adapter's tokenizer differs from the base's: " + "; ".join(minor),
                      "harmless at inference; see stopping.pad about what it means for training")
    return passed(cid, "the adapter's tokenizer matches the base's (template, special tokens, vocabulary)")


def _differences(base: CheckedBase, theirs: Any | None, template: str | None) -> tuple[list[str], list[str]]:
    ours = base.tokenizer
    problems: list[str] = []
    minor: list[str] = []
    if (template or "").strip() != (base.facts.chat_template or "").strip():
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
