"""The `hf` backend (transformers + peft on this machine), one module per part:

- `engine`: `HFBackend` -- loads the base, tokenizer and adapters, groups requests, reports results;
- `scheduler`: which rows decode together on the KV slots, joins, swaps, and the decode loop;
- `kv_slots`: `SlotCache`, the KV cache of fixed slots allocated once;
- `sampling`: seeded per-row sampling, repetition penalty, stop strings, finish reasons;
- `threads`: how many torch threads to use;
- `libc_arena`: the glibc calls memory use relies on (no torch: the CLI calls it first);
- `embedded`: the embedded default model (SmolLM2-135M), converted once to a cached copy.

Nothing is imported here, so `embedded` and `libc_arena` stay importable without torch.
"""
