"""Integrations with training libraries; each module imports its library, so import it by name.

- `tunediff.integrations.transformers`: `ReviewCallback` for transformers `Trainer` and TRL `SFTTrainer`.
"""
