"""`next_turn`: the output goes on with a new turn of a conversation (end of turn not learned).

Where a new turn starts is also where the answer ends: `answer_part` gives the text before it,
which `wrong_answer` reads ("only the first answer counts").

Markers, in the order they are looked for:
1. a turn-start token in `raw_text` (`<|im_start|>`, `<start_of_turn>`, `[INST]`, ...);
2. the markers of the template in use (run.json `turn_markers`, `--template`, `--turn-marker`):
   special-token markers anywhere, plain-text markers (`Question:`, `### Instruction:`) at a
   line start; the assistant's marker (the second) not at the very start of the output, where
   it restates the turn being answered, and not when it is one word and a colon;
3. turn-start tokens anywhere in `text`;
4. the fixed list at a line start: `User:` / `Human:` / `Assistant:` / `System:` / `Q:`, Alpaca headers
   `### Instruction` / `Input` / `Question` / `Response` / `Output` and Alpaca's preamble ("Below is an
   instruction that describes a task"), an answer's label (`Answer:`, `A:`, `Response:`,
   `Output:`, the template's one-word assistant marker) at two or more line starts after the
   output began (the answer turn written again and again), a bare `system` / `user` / `assistant` /
   `model` line followed by text (ChatML or Gemma turns with their tokens stripped), a
   `Question:` line with an `Answer:` line after it (an exchange written out). Not when the prompt asks for a
   dialogue, a script or an FAQ, nor `User:` inside a run of `Label:` lines (a definition list).
A marker that the prompt itself contains never counts: the answer may quote it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..records import Finding, GenerationRecord
from ._core import Context, finding, prompt_text, register, tail
from .stopping import RAW_SPECIAL, RAW_TURN, raw_to_text, template_tags

_TEXT_TURN = re.compile(
    r"^[ \t]*(?:<\|im_start\|>|<\|start_header_id\|>|<start_of_turn>|<\|(?:user|assistant|system)\|>|\[INST\]"
    r"|#{2,4}[ \t]*(?:Instruction|Human|User|Input|Question|Response|Output|Assistant)\b(?:[ \t]*:|[ \t]*$)"
    r"|(?:User|Human|USER|HUMAN|Assistant|ASSISTANT|System|SYSTEM|Q)[ \t]*:"
    r"|Below is an instruction that describes a task)",  # the Alpaca preamble: a new example starts
    re.M)
# What `<|im_start|>user\n...` looks like once special tokens are stripped from the text.
_STRIPPED_ROLE = re.compile(r"^(?:system|user|assistant|model)[ \t]*\n(?=[ \t]*\S)", re.M)
# 'Question: ...' followed by an 'Answer:' line: an exchange written out, in any template.
_QA_EXCHANGE = re.compile(r"^[ \t]*Question[ \t]*:[^\n]*\n(?:[^\n]*\n){0,3}?[ \t]*Answer[ \t]*:", re.M)
_DIALOGUE = re.compile(r"\b(?:dialog(?:ue)?s?|conversations?|transcripts?|script|chat ?log|interview|role-?play"
                       r"|screenplay|exchange between|faqs?|q ?& ?a|quiz(?:zes)?)\b", re.I)
ANSWER_WORDS = ("A", "Answer", "Response", "Output")  # the labels an answer turn opens with
# An output that opens with a short answer turn ('Answer: technical') and writes the answer label
# again later, even glued ('QuestionAnswer: billing'), gave its answer on that first line.
_ANSWER_LABEL = rf"(?:{'|'.join(ANSWER_WORDS)})[ \t]*:"
_SHORT_ANSWER_TURN = re.compile(rf"[ \t]*{_ANSWER_LABEL}[ \t]*(?:[^\W_][^\s]*[ \t]*){{1,3}}(?=\n|$)")
_ANSWER_LABEL_ANYWHERE = re.compile(_ANSWER_LABEL)
_ECHO_WORDS = 4  # a line opening with the prompt's first words is the prompt written again
_LABEL_LINE = re.compile(r"^[ \t]*[-*]?[ \t]*\**[A-Za-z][\w ]{0,24}\**[ \t]*:")
_ROLE_LINE = re.compile(r"^[ \t]*(?:User|Human|USER|HUMAN|Assistant|ASSISTANT|Q|A|Question|Answer)[ \t]*:")


@dataclass(frozen=True)
class TurnHit:
    """A new turn found in an output."""

    pos: int
    """Where it starts in `text` (len(text) when only `raw_text` shows it, after the visible text)."""
    snippet: str
    marker: str
    template: bool
    """A marker of the template in use, not of the fixed list."""


def turn_hits(rec: GenerationRecord, markers: Sequence[str]) -> Iterator[TurnHit]:
    """New turns in `rec`, the most certain kind first (see the module docstring)."""
    text, raw = rec.text, rec.raw_text or ""
    if raw:
        hit = RAW_TURN.search(raw)
        if hit:
            yield TurnHit(raw_to_text(rec, hit.start()), raw[hit.start():hit.start() + 60], hit.group(), False)
    prompt = prompt_text(rec)
    yield from _template_hits(rec, markers, prompt)
    for m in RAW_TURN.finditer(text):  # template tokens are unambiguous wherever they show
        if m.group() not in prompt:
            yield TurnHit(m.start(), text[m.start():m.start() + 60], m.group(), False)
            break
    if _DIALOGUE.search(prompt):
        return
    yield from _repeated_answer_role(text, markers, prompt)
    for pattern in (_TEXT_TURN, _STRIPPED_ROLE, _QA_EXCHANGE):
        for m in pattern.finditer(text):
            marker = m.group().strip().split("\n")[0].split(":")[0] + ":" if pattern is _QA_EXCHANGE \
                else m.group().strip()
            if (marker and marker in prompt) or _in_label_list(text, m.start()):
                continue
            yield TurnHit(m.start(), text[m.start():m.start() + 60], marker, False)
            break


def _template_hits(rec: GenerationRecord, markers: Sequence[str], prompt: str) -> Iterator[TurnHit]:
    text, raw = rec.text, rec.raw_text or ""
    for index, marker in enumerate(m.strip() for m in markers):
        if not marker or marker in prompt:
            continue
        if RAW_SPECIAL.search(marker):
            at = raw.find(marker)
            if at >= 0:
                yield TurnHit(raw_to_text(rec, at), raw[at:at + 60], marker, True)
                continue
            at = text.find(marker)
        else:
            if index > 0 and re.fullmatch(r"[^\W\d_]+[ \t]*:", marker):
                continue
            # The assistant's marker at the very start restates the turn being answered; written
            # again after it (`<assistant>\n<assistant>`), it opens the model's next turn.
            found = [m.start() for m in re.finditer(rf"^[ \t]*{re.escape(marker)}", text, re.M)]
            if index > 0 and found and not text[:found[0]].strip():
                found = found[1:]
            at = found[0] if found else -1
        if at >= 0:
            yield TurnHit(at, text[at:at + 60].strip(), marker, True)


def _repeated_answer_role(text: str, markers: Sequence[str], prompt: str) -> Iterator[TurnHit]:
    """An answer's own label (`Answer:`, `A:`, `Response:`, `Output:`, or the template's one-word
    assistant marker) at two or more line starts past the very start: the answer turn written
    again and again. Once, it may be the answer's own heading; at the very start it restates the
    turn being answered."""
    pattern = _answer_labels(tuple(markers[1:]))
    found = [m for m in pattern.finditer(text) if text[:m.start()].strip() and m.group().strip() not in prompt]
    if len(found) >= 2:
        first = found[0]
        yield TurnHit(first.start(), text[first.start():first.start() + 60], first.group().strip(), False)


@lru_cache(maxsize=64)
def _answer_labels(later_markers: tuple[str, ...]) -> re.Pattern[str]:
    """The answer labels at a line start, the template's one-word markers (after the user's) among
    them: built once per template, not once per output."""
    words = set(ANSWER_WORDS) | {m.strip()[:-1].strip() for m in later_markers
                                                      if re.fullmatch(r"[^\W\d_]+[ \t]*:", m.strip())}
    return re.compile(rf"^[ \t]*(?:{'|'.join(map(re.escape, sorted(words)))})[ \t]*:", re.M)


def without_markers(text: str, markers: Sequence[str]) -> str:
    """The text with the template's turn markers blanked: they are no words of an answer."""
    for marker in (m.strip() for m in markers):
        if marker:
            text = text.replace(marker, " ")
    return text


def answer_part(rec: GenerationRecord, markers: Sequence[str]) -> str:
    """The output up to the first new turn: the answer it gives before inventing more turns.

    An output that opens with a marker ('Q: William Shakespeare') answers in that first turn:
    its answer runs from the start to the next turn after its first line. One that opens with a
    short answer turn ('Answer: technical') and writes the answer label again later answers on
    its first line. A line past the first that opens with the prompt's own first words is a new
    request (no marker) and ends the answer too.
    """
    text = rec.text
    short = _SHORT_ANSWER_TURN.match(text)
    if short and _ANSWER_LABEL_ANYWHERE.search(text, short.end()):
        return text[:short.end()]  # 'Answer: technical' then 'QuestionAnswer: billing' ...: the first turn
    cut = min([h.pos for h in turn_hits(rec, markers)] + [_echo_of_prompt(rec), _closed_at(text, markers)],
              default=len(text))
    if cut >= len(text) or text[:cut].strip():
        return text[:cut]
    line_end = text.find("\n", cut)
    if line_end < 0:
        return text
    rest = rec.model_copy(update={"text": text[line_end:], "raw_text": None})
    return text[:line_end + min((h.pos for h in turn_hits(rest, markers)), default=len(rest.text))]


def _closed_at(text: str, markers: Sequence[str]) -> int:
    """Where the answer closes its turn with a template's closing tag (`</assistant>`), after
    some text: the answer ends there (what follows is a new turn or commentary)."""
    ends = [at for tag in template_tags(markers) if tag.startswith("</") and (at := text.find(tag)) >= 0
            and text[:at].strip()]
    return min(ends, default=len(text))


def _echo_of_prompt(rec: GenerationRecord) -> int:
    """Where a line past the first opens with the prompt's own first words (four or more, any
    case): a new request written without a marker ('classify this support ticket as ...'), the
    answer's end though not a `next_turn` (no marker: `ramble`'s). len(text) when none does, or
    when the output itself opens with the prompt (an echo, not an answer)."""
    opening = tuple(re.findall(r"[^\W_]+", (rec.prompt or "").lower())[:_ECHO_WORDS])
    text = rec.text
    if len(opening) < _ECHO_WORDS:
        return len(text)
    head = _line_opening_with(opening)
    first_line = text.find("\n")
    if first_line < 0 or head.match(text):
        return len(text)  # one that opens with its prompt echoes it over and over: no answer to end
    found = head.search(text, first_line + 1)
    return found.start() if found else len(text)


@lru_cache(maxsize=256)
def _line_opening_with(opening: tuple[str, ...]) -> re.Pattern[str]:
    """A line that opens with these words (any case, any punctuation between): built once per
    prompt opening, not once per output (answer_part runs for several flags)."""
    return re.compile(r"^[^\w\n]*" + r"\W+".join(map(re.escape, opening)) + r"\b", re.M | re.I)


@register("next_turn", "output",
          "The output goes on with a new turn or template marker (EOS / end-of-turn was not learned).")
def next_turn(rec: GenerationRecord, ctx: Context) -> list[Finding]:
    hit = next(turn_hits(rec, ctx.turn_markers), None)
    if hit is None:
        return []
    span = (hit.pos, min(len(rec.text), hit.pos + 80)) if hit.pos < len(rec.text) else tail(rec)
    of = " of the template" if hit.template else ""
    return [finding(rec, "next_turn", f"goes on with a new turn{of}: {hit.snippet!r}", "error", span,
                    "marker", hit.marker)]


def _in_label_list(text: str, pos: int) -> bool:
    """`User: ...` inside a run of `Label: ...` lines is a definition list or a form, not a new turn."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    at = sum(1 for ln in text[:pos].split("\n")[:-1] if ln.strip())
    neighbours = [lines[i] for i in (at - 1, at + 1) if 0 <= i < len(lines)]
    return any(_LABEL_LINE.match(ln) and not _ROLE_LINE.match(ln) for ln in neighbours)
