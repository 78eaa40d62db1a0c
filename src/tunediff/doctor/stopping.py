"""Stopping checks: generation stops at the template's end of turn; the pad = EOS trap."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ._base import CheckedBase, read_json
from ._types import Check, failed, passed, warned

TRAP = ("if the trainer masks pad ids in the labels (DataCollatorForLanguageModeling does), it masks the "
        "end token too and the model never learns to stop")


def stop_tokens(base: CheckedBase) -> dict[int, str]:
    """Ids that end an answer in tunediff run (the tokenizer facts' stop ids), with their tokens."""
    return {i: base.tokenizer.convert_ids_to_tokens(i) for i in base.facts.stop_ids}


def check_eos(base: CheckedBase) -> Check:
    tok, facts = base.tokenizer, base.facts
    ids, source = list(facts.deployment_eos_ids), facts.deployment_eos_source
    shown = ", ".join(f"{tok.convert_ids_to_tokens(i)} ({i})" for i in ids) or "none"
    if not facts.chat_template:
        return warned("stopping.eos", f"generation stops at {shown}; no chat template to compare with",
                      "give the chat template (--template) so the end-of-turn token can be checked")
    eot, eot_id = facts.end_of_turn, facts.end_of_turn_id
    if eot is None or eot_id is None:
        return warned("stopping.eos", f"the chat template closes a turn without a special token; generation "
                      f"stops only at {shown} ({source})",
                      "append the EOS token after every answer in training, or use a template that ends turns "
                      "with a token")
    if eot_id in ids:
        return passed("stopping.eos", f"generation stops at {shown} ({source}), which includes the template's "
                      f"end-of-turn token {eot}")
    return failed("stopping.eos", f"the template ends turns with {eot} ({eot_id}) but generation stops only at "
                  f"{shown} ({source}): a deployment with this config runs on past the answer "
                  "(tunediff run itself also stops at the end-of-turn token)",
                  f"add {eot_id} to eos_token_id in {base.dir.name}/generation_config.json, or stop on '{eot}'")


def _pad_of(directory: Path) -> str | None:
    """The pad token a saved tokenizer declares, read from its JSON files (no tokenizer load)."""
    for name in ("tokenizer_config.json", "special_tokens_map.json"):
        path = directory / name
        if path.is_file():
            value: Any = read_json(path).get("pad_token")
            if isinstance(value, dict):
                value = value.get("content")
            if value:
                return str(value)
    return None


def check_pad(base: CheckedBase, adapters: list[tuple[str, Path]], end_share: float | None) -> Check:
    """pad == EOS is only a problem for training, so the verdict weighs training-side evidence.

    - An adapter folder whose saved tokenizer sets pad to a stop token that the base did not
      use as pad: the trainer ran the classic `tokenizer.pad_token = tokenizer.eos_token`
      line, which goes with masking pad ids -> warn.
    - pad == EOS inherited from the base (SmolLM2's tokenizer has pad = eos = <|im_end|>): with
      --data whose texts end with the end token, the token is in what is trained and the
      trainer must only mask by position -> pass, saying so; with --data lacking it -> warn;
      without --data nothing shows how training went -> warn.
    """
    stops = stop_tokens(base)
    stop_names = set(stops.values())
    base_pad = base.tokenizer.pad_token
    for name, directory in adapters:
        pad = _pad_of(directory)
        if pad is not None and pad in stop_names and pad != base_pad:
            return warned("stopping.pad", f"adapter {name}'s tokenizer sets pad = {pad}, a stop token the base does "
                          f"not pad with: {TRAP}", "set a pad token that is not a stop token, or mask labels by "
                          "position (attention mask / completion-only), then retrain")
    if base_pad is None or base_pad not in stop_names:
        return passed("stopping.pad", f"pad token {base_pad!r} is not a stop token: masking padding in the labels "
                      "keeps the end token")
    if end_share is None:
        return warned("stopping.pad", f"pad = {base_pad}, a stop token: {TRAP}",
                      "pass --data TRAIN.jsonl to check the training texts; mask labels by position, not pad id")
    if end_share >= 0.5:
        return passed("stopping.pad", f"pad = {base_pad} (a stop token), but {end_share:.0%} of the training texts end "
                      "with the end token, so it is trained unless the collator masks by pad id; mask by position")
    return warned("stopping.pad", f"pad = {base_pad}, a stop token, and only {end_share:.0%} of the training texts end "
                  f"with an end token: even where the trainer appends EOS, {TRAP}",
                  "end every example with the end-of-turn token and mask labels by position, not pad id")
