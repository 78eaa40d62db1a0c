"""Fixtures shared by the flag tests."""

from __future__ import annotations

import pytest

from tunediff.flags import TrainingTexts

POLITE_FORMS = ["Could you please {v}?", "Would you mind {v}, please?", "Please {v} when you have a moment."]


@pytest.fixture
def polite_data() -> TrainingTexts:
    """A politeness fine-tune's --data: 30 requests rewritten in three polite forms taken in turn."""
    return TrainingTexts(tuple(f"Rewrite this politely: do thing {i}." for i in range(30)),
                         tuple(POLITE_FORMS[i % 3].format(v=f"do thing {i}") for i in range(30)))
