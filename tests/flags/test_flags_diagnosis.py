"""Settings or weights: a flag at only one temperature vs a flag at all of them."""

from __future__ import annotations

from rich.console import Console

from tunediff.flags import flag_records
from tunediff.flags.diagnosis import settings_vs_weights
from tunediff.records import GenerationRecord
from tunediff.views.summary import render_summary_data, summary_table

SETTINGS = ["temperature=0.1", "temperature=1.5"]


def sweep_records() -> list[GenerationRecord]:
    """tuned never stops at any temperature (weights); it loops only at temperature 1.5 (settings)."""
    out = []
    for setting in SETTINGS:
        for i in range(6):
            out.append(GenerationRecord(id=f"p{i}", variant="base", setting=setting, category="standard",
                                        text=f"Order {i} goes to city number {i}.", finish_reason="eos"))
            text = (f"Order {i} goes to city {i}. " + "and then again " * 12 if setting == SETTINGS[1]
                    else f"Order {i} goes to city {i}, and more text follows here without an end")
            out.append(GenerationRecord(id=f"p{i}", variant="tuned", setting=setting, category="standard",
                                        text=text, finish_reason="length"))
    return out


def test_flag_at_every_setting_points_at_weights_and_at_one_setting_at_settings() -> None:
    records = sweep_records()
    findings = flag_records(records)
    verdicts = {(d.flag, d.variant): d for d in settings_vs_weights(records, findings)}
    assert verdicts[("no_stop", "tuned")].verdict == "weights"
    assert verdicts[("no_stop", "tuned")].rates == {SETTINGS[0]: (6, 6), SETTINGS[1]: (6, 6)}
    loop = verdicts[("repetition", "tuned")]
    assert loop.verdict == "settings" and loop.rates[SETTINGS[0]] == (0, 6) and loop.rates[SETTINGS[1]] == (6, 6)
    assert "only at temperature=1.5" in loop.message
    assert not any(v == "base" for _, v in verdicts)


def test_mostly_at_one_setting_is_mixed() -> None:
    records = sweep_records()
    findings = [f for f in flag_records(records)
                if f.flag == "no_stop" and not (f.setting == SETTINGS[0] and f.id != "p0")]
    (d,) = settings_vs_weights(records, findings)
    assert d.verdict == "mixed" and "mostly at temperature=1.5" in d.message


def test_no_diagnosis_without_a_sweep() -> None:
    records = [r for r in sweep_records() if r.setting == SETTINGS[0]]
    assert settings_vs_weights(records, flag_records(records)) == []


def test_summary_table_counts_outputs_not_findings_and_shows_the_diagnosis() -> None:
    records = sweep_records()
    findings = flag_records(records)
    findings += [f.model_copy(update={"message": "dup"}) for f in findings if f.flag == "no_stop"]  # 2 per output
    data = summary_table(records, findings, ["base", "tuned"])
    row = next(r for r in data["rows"] if r["category"] == "all" and r["variant"] == "tuned")
    assert row["outputs"] == 12 and row["counts"]["no_stop"] == 12 and row["rates"]["repetition"] == 0.5
    assert {d["verdict"] for d in data["diagnosis"]} == {"weights", "settings"}
    console = Console(record=True, width=140)
    render_summary_data(data, console)
    text = console.export_text()
    assert "Settings or weights?" in text and "the settings" in text and "the weights" in text
