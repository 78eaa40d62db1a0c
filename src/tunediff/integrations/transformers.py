"""`ReviewCallback`: review outputs at every checkpoint, inside a transformers `Trainer` or TRL `SFTTrainer`.

    from tunediff.integrations.transformers import ReviewCallback
    trainer = SFTTrainer(model=model, args=args, train_dataset=data, peft_config=lora,
                         callbacks=[ReviewCallback("review.yaml", out="runs/train")])
    trainer.train()          # meanwhile: tunediff flags runs/train ; tunediff show runs/train

At the start of training it generates the base outputs once (a PEFT model with its adapter
disabled; a full fine-tune with the weights before the first step), then at each save (or every
N steps) the current model's outputs, into one run directory where each checkpoint is a variant
`step-N` whose run.json entry records the step, epoch, training loss and seconds of generation.
It uses the model the trainer holds (no reload, no second copy of the weights) and leaves
training exactly as it was: see `tunediff.in_memory.generation_mode`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from transformers import TrainerCallback

from ..checkpoints import loss_at, step_name
from ..errors import UserError
from ..in_memory import LiveRun, base_weights, is_peft, log
from ..suite import Suite
from ..variants import BASE, Variant


class ReviewCallback(TrainerCallback):
    """Generate the review set's outputs at each checkpoint into one run directory.

    suite: review set path (or a loaded `Suite`); out: the run directory (rerunning a training
    into the same folder resumes it); every: "save" (each time the trainer saves a checkpoint)
    or N (every N optimizer steps); tokenizer: needed only when the trainer was given none;
    limit: keep the first N prompts; settings: `tunediff run`'s generation settings, e.g.
    max_new_tokens=64. Bad input fails here, before training starts, with a one-line UserError.
    """

    def __init__(self, suite: Suite | str | Path, out: str | Path = "runs/training", *, every: str | int = "save",
                 tokenizer: Any = None, limit: int | None = None, batch_size: int | None = None,
                 flag: bool = True, progress: bool = False, **settings: Any):
        if not (every == "save" or (isinstance(every, int) and not isinstance(every, bool) and every > 0)):
            raise UserError(f"ReviewCallback(every={every!r}): use \"save\" or a whole number of steps > 0")
        self.every = every
        self.tokenizer = tokenizer
        self.live = LiveRun(suite, out, limit=limit, batch_size=batch_size, progress=progress, flag=flag, **settings)
        self.out = self.live.out
        self.seconds: dict[str, float] = {}
        """Seconds of generation per variant in this training run (also in run.json)."""

    # ------------------------------------------------------------------ trainer events

    def on_train_begin(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if not state.is_world_process_zero or not self.live.missing(BASE):
            return
        if state.global_step > 0 and not is_peft(model):
            log(f"{self.out}: training resumed at step {state.global_step} and the run has no base outputs; "
                "a full fine-tune's base weights are gone, so there is no base to compare with")
            return
        with base_weights(model):
            self._generate(model, kwargs, Variant(BASE, "base"), {})

    def on_step_end(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if self.every != "save" and state.global_step % int(self.every) == 0:
            self._checkpoint(state, model, kwargs)

    def on_save(self, args: Any, state: Any, control: Any, model: Any = None, **kwargs: Any) -> None:
        if self.every == "save":
            self._checkpoint(state, model, kwargs)

    def on_train_end(self, args: Any, state: Any, control: Any, **kwargs: Any) -> None:
        if state.is_world_process_zero:
            self.live.finish()

    # ------------------------------------------------------------------ internals

    def _checkpoint(self, state: Any, model: Any, kwargs: dict[str, Any]) -> None:
        if not state.is_world_process_zero:
            return
        step = int(state.global_step)
        facts = {"epoch": None if state.epoch is None else round(float(state.epoch), 4),
                 "train_loss": loss_at(state.log_history, step)}
        self._generate(model, kwargs, Variant(step_name(step), "adapter" if is_peft(model) else "model",
                                              step=step), facts)

    def _generate(self, model: Any, kwargs: dict[str, Any], variant: Variant, facts: dict[str, Any]) -> None:
        tokenizer = self._tokenizer(kwargs)
        seconds = self.live.generate(model, tokenizer, [variant], facts={variant.name: facts})
        self.seconds[variant.name] = seconds
        loss = facts.get("train_loss")
        log(f"{variant.name}: {len(self.live.suite.prompts)} prompts in {seconds:.1f} s"
            + (f" (train loss {loss:.4f})" if loss is not None else "") + f" -> {self.out}")

    def _tokenizer(self, kwargs: dict[str, Any]) -> Any:
        tok = self.tokenizer or kwargs.get("processing_class") or kwargs.get("tokenizer")
        tok = getattr(tok, "tokenizer", tok)  # a processor wraps its tokenizer
        if tok is None or not hasattr(tok, "apply_chat_template"):
            raise UserError("ReviewCallback: the trainer has no tokenizer; pass ReviewCallback(..., tokenizer=tok)")
        return tok
