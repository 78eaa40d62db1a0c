"""The process that runs offline vLLM for the `vllm` backend (stdlib + vllm only).

It runs under whichever Python has vLLM (often its own virtualenv: the CPU build pins torch
and transformers), as a script, so vLLM's engine processes start under this file's
`if __name__ == "__main__":` guard, as vLLM requires. It does not import tunediff.

Protocol: one JSON object per line. The first line on stdin is the config; the worker
answers {"ready": {...facts}}. Then commands:
  {"cmd": "render", "messages": [...]}    -> {"text": "..."}
  {"cmd": "generate", "requests": [...]}  -> {"results": [...]} per batch, then {"done": n}
Errors are answered as {"error": "..."}. EOF on stdin ends the worker. vLLM's own logs
go to stderr; the protocol uses a private copy of the original stdout.
"""

import json
import os
import sys
from pathlib import Path

# Run as a file, this folder is sys.path[0]; it holds tunediff's vllm.py, which would
# shadow the real vllm package.
HERE = str(Path(__file__).resolve().parent)
sys.path[:] = [p for p in sys.path if p and str(Path(p).resolve()) != HERE]

END_OF_TURN = ("<|im_end|>", "<|eot_id|>", "<end_of_turn>", "<|end|>")


def _open_channel():
    """Keep the real stdout for the protocol; everything else printed goes to stderr."""
    channel = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)
    return channel


class Worker:
    def __init__(self, config):
        from vllm import LLM
        from vllm.lora.request import LoRARequest

        adapters = config.get("adapters") or {}
        kwargs = {"model": config["model"], "dtype": config.get("dtype", "float32"), "seed": 0,
                  "max_model_len": config.get("max_model_len") or 2048}
        if config.get("gpu_memory_utilization"):
            kwargs["gpu_memory_utilization"] = config["gpu_memory_utilization"]
        if adapters:
            kwargs.update(enable_lora=True, max_loras=len(adapters), max_lora_rank=config.get("max_lora_rank", 8))
        self.llm = LLM(**kwargs)
        self.tokenizer = self.llm.get_tokenizer()
        self.loras = {name: LoRARequest(name, i + 1, path) for i, (name, path) in enumerate(adapters.items())}
        vocab = self.tokenizer.get_vocab()
        self.stop_ids = sorted({vocab[t] for t in END_OF_TURN if t in vocab}
                               | ({self.tokenizer.eos_token_id} if self.tokenizer.eos_token_id is not None else set()))

    def facts(self):
        import vllm

        return {"vllm_version": vllm.__version__, "chat_template": getattr(self.tokenizer, "chat_template", None),
                "eos_token_ids": self.stop_ids}

    def render(self, messages):
        return self.tokenizer.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)

    def generate(self, requests, send, batch_size):
        """Each variant's requests in batches of their own (variant isolation), results streamed."""
        from vllm import SamplingParams

        order = []
        for req in requests:
            if req["variant"] not in order:
                order.append(req["variant"])
        done = 0
        for variant in order:
            rows = [r for r in requests if r["variant"] == variant]
            for start in range(0, len(rows), batch_size):
                batch = rows[start:start + batch_size]
                prompts, params = [], []
                for r in batch:
                    # The template holds the special tokens already: no BOS added, as the hf backend does.
                    ids = self.tokenizer(self.render(r["messages"]), add_special_tokens=False)["input_ids"]
                    prompts.append({"prompt_token_ids": ids})
                    s = r["settings"]
                    params.append(SamplingParams(
                        temperature=s["temperature"], top_p=s["top_p"], top_k=s["top_k"] if s["top_k"] > 0 else -1,
                        max_tokens=s["max_new_tokens"], repetition_penalty=s["repetition_penalty"],
                        stop=list(s["stop"]) or None, stop_token_ids=self.stop_ids, seed=r["seed"],
                        skip_special_tokens=True))
                outs = self.llm.generate(prompts, params, lora_request=self.loras.get(variant), use_tqdm=False)
                send({"results": [self._result(r, o) for r, o in zip(batch, outs, strict=True)]})
                done += len(batch)
        send({"done": done})

    def _result(self, req, out):
        comp = out.outputs[0]
        if comp.finish_reason == "length":
            finish = "length"
        else:
            finish = "stop" if isinstance(comp.stop_reason, str) else "eos"
        raw = self.tokenizer.decode(list(comp.token_ids), skip_special_tokens=False)
        return {"key": req["key"], "text": comp.text, "raw_text": raw, "finish_reason": finish,
                "prompt_tokens": len(out.prompt_token_ids or []), "new_tokens": len(comp.token_ids)}


def main():
    channel = _open_channel()

    def send(obj):
        channel.write(json.dumps(obj) + "\n")
        channel.flush()

    config = json.loads(sys.stdin.readline())
    try:
        worker = Worker(config)
    except Exception as exc:  # reported to the parent as one line; it raises a UserError
        send({"error": f"{type(exc).__name__}: {exc}"})
        return
    send({"ready": worker.facts()})
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            if cmd["cmd"] == "render":
                send({"text": worker.render(cmd["messages"])})
            elif cmd["cmd"] == "generate":
                worker.generate(cmd["requests"], send, int(config.get("batch_size") or 64))
        except Exception as exc:
            send({"error": f"{type(exc).__name__}: {exc}"})


if __name__ == "__main__":
    main()
