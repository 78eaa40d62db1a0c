"""`ood_drift`: an ood prompt answered with the fine-tune's training, not with an answer.

What a person sees, as four signals on each ood answer, each judged against the base's answer
to the same prompt at the same setting (the base is the yardstick: where it does the same, the
fine-tune did not drift):
- JSON: the answer is JSON or its debris (three `"key":` pairs), the base's is not, the prompt
  does not ask for JSON, and half the variant's standard outputs are JSON (its training format);
- training shape: the answer's words (numbers masked, so 'Order 5985' = 'Order 17') are close
  (Jaccard >= ood_drift.std_similarity) to a *training text*: a standard prompt, a standard
  output of the variant, the two together, or a `--data` example's prompt, answer or both (with
  --data, a standard output stands for the training only when it says a word of it, or no word:
  junk a collapsed variant says to every prompt is collapse's, not a training shape);
  closer than to the base's answer by ood_drift.margin, while the base's answer is not close
  to the training prompts or --data (its own standard outputs are its habit, no training);
- dropped question: the answer has >= ood_drift.min_words content words and not one of them is
  in the prompt, where the base's answer shares some, and it is closer to the training texts
  than the base's answer is, by at least half ood_drift.std_similarity (a poem that never says
  'sea' is style, not drift);
- a new turn instead of an answer: the answer opens with a turn marker of the template in use
  ('Question:', '### Instruction:'), or any new turn (`turns.turn_hits`) before a word of
  answer, where the base's answer does not: it writes a training example; or its answer
  restates its prompt and is closed by the marker that opens a reply ('Who wrote Romeo and
  Lunio? [/INST]'), where the base's is not: it writes the user's side of one.
The answer is read up to the first new turn (`turns.answer_part`): turns invented after a
correct answer are next_turn's, not drift.
- invented training turn: no attempt at the question (an answer of another kind, or no number
  or name where one is wanted) or under 2x ood_drift.fragment_words for an open request, then an
  invented line that asks what a training prompt asks (`_in_task`, not the question again),
  where the base's output has no such line.
- training content: a wrong short answer (the prompt's reference answer is not in it, at most 6
  words; a stutter is its word) whose every word of letters is in the training answers and none
  in the question
  ('Berlin' to 'What is 12 times 7?' from a capitals fine-tune, 'billing' from a ticket
  classifier), where the base's answer is not made of those words;
- a word for an answer: a fine-tune trained to answer one word or name (its --data answers, or
  its standard answers, have a median of <= 2 words of letters: labels, capitals,
  translations, numbers) gives a
  wrong first line of <= 3 words that is lifted from the question ('France' to 'What is the
  capital of France?', '12' to 'What is 12 times 7?', 'spider') or of another kind than the
  reference ('Berlin' where a number is wanted, '668' or a common lowercase word, 'cities', where
  a name is), where the base's first line is neither; a wrong word of the kind asked ('96',
  'Marlowe', 'Victoria') is an attempt;
- a label: a wrong answer that is one bare word of letters from the training texts (a label,
  or that word stuttered, 'billing billing ...') or a training label with junk glued on
  ('negativepInBuffer'), a bare number lifted from the question ('12' or 'seven' to 'What is
  12 times 7?'), or up to six words all lifted from it ('12 * 7', 'Rome and Juliet'), read
  after a one-clause lead-in's colon ("Here's a possible answer: Romeo"), from a fine-tune
  whose training answers (--data, else the fine-tunes' standard answers) mostly are one lowercase word (a
  classifier's labels), where
  the base's answer is more than one word (a bare wrong number that the question does not hold
  is an attempt at an answer: `wrong_answer`'s);
- a list: a fine-tune whose training answers mostly are a short comma list (keywords, tags:
  'Vexa Motors, factory, Lima') answers with one where the base's first line is none: wrong, to
  a question ('red planet, Europa'); to an open request, with an item of the request's own
  words ('Moon, moon, rhyme' for a riddle about the moon: what it does to its training inputs);
- a fragment for an open request: a prompt without a short reference (a poem, three tips)
  answered in <= ood_drift.fragment_words words by a fine-tune whose training answers (--data,
  else the fine-tunes' standard answers) have at most half that many ('"The Sea' for a poem; a label
  stuttered to the limit is one word), where
  the base's answer has 2x as many words (it writes what was asked), is empty, holds no word of
  letters beyond the request's ('The answer is: [1]'), or says it cannot answer ("I'm not sure
  what to say.").
- a restated question: a fine-tune whose standard answers mostly are made of their prompts'
  words (a headline of the news, ood_drift.restated of its content words) answers with 2+ content words
  all from the question ('What is the capital of France') or all but one lowercase word that
  cannot answer it ('The was the tiny prime number.'), or, for an open request (no
  reference), ood_drift.restated of them from it ('10 tips for sleeping better'), where the base's
  answer adds one (answer labels aside) or is empty.
- the training answers' form: a fine-tune whose answers nearly all end alike (a headline: no
  closing mark; a rewritten sentence: a full stop) with as many words answers a question in that
  form with nothing that could answer it (no number where a number is wanted, no name where a
  name is: 'Day in Amsterdam' to 'How many days are there in a leap year?'), where the base's
  answer is of another form or offers one; or an open request (a poem, tips) in that form, where
  the base's answer is not in it and has twice the words ('Sea Poems Win Prize' for a poem).
- the training task done to a word of the question: a fine-tune whose answers nearly all open
  alike around their prompt's word ('A kettle is ...') opens its one-line answer so around a word
  of the question ('A liquid is a substance ...'), where the base does not; an open request's
  answer no longer than a training answer (a wrong answer to a question may run longer).
- a sentence built around a word of the question: a fine-tune whose answers take up their
  prompt's word in a sentence of their own ('Write a sentence with apple.' -> 'I ate a red apple
  after lunch.') answers a question with one such sentence around a word of it, no number or
  name of its own where one is wanted ('The sky was clear and bright.' to 'What colour is the
  sky on a clear day?'), where the base does not (or answers right).
- the training task done to a number of the question: a fine-tune whose answers are one number
  computed from their prompt's one number (a * x**p + b: the next number, half, a square) answers
  a number question with that computation of one of its numbers ('12' to 'What is 11 times 3?'
  from a next-number fine-tune).
- the training answers' style: a rewriting fine-tune whose answers nearly all are written one
  way (snake_case, CAPITALS, Title Case) answers in that style with a word of the prompt and,
  where a number is wanted, no number of its own ('what_is_the_capital_of_canada', 'Japan Wins
  World Cup'), where the base does not.
A name (one to three capitalised words) given to a question asking for a person (who) by a
fine-tune whose training prompts mostly ask for a person is of the kind asked: an attempt, never
drift. (Places are left out: a country where a capital is asked is another kind, the corpus rule
(c), and the text does not tell a country from a city.)
An ood prompt that itself resembles the training prompts (Jaccard >= ood_drift.in_task_prompt,
a content word shared: 'What is the capital of France?' to a capitals fine-tune, not 'What is
the capital of Canada?' to a currency one) is not judged: a training-shaped answer is what it
asks for. Single letters ('y', 'y y y') are debris, no word: never drift unless a training
answer (an element's symbol) or the training answers are codes of a few letters ('TX'). A
brief answer, or an answer in another style, matches none of these.
An answer the base gives too (the first line, an answer label aside: '12' where the base says 'The
answer is: 12') is the base's, whatever it is: never drift.
Without --data, what the fine-tunes say to the standard prompts (`setlevel.standard_answers`)
stands for the training examples: their words, shape, form, frame and whether they restate
their prompts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from ..records import Finding, GenerationRecord
from ._core import Context, TrainingTexts, finding, register, whole
from ._text import (
    DIGITS,
    JSON_KEY,
    STOPWORDS,
    content_stems,
    jaccard,
    looks_like_json,
    nearly_blank,
    stem,
    tokens,
    unspelled,
    words,
)
from .reference import accepted_answers, answer_kept, normalise
from .repetition import one_unit, spell_out_loops
from .setlevel import by_variant_setting, standard_answers
from .turns import ANSWER_WORDS, answer_part, without_markers

_SENTENCE_END = re.compile(r"[\n.!?]")  # a lead-in before a colon holds none
_TAIL_WORDS = 4  # words after a lead-in's colon read as the answer ("Here's a possible answer: Romeo")
_LEAD_IN_WORDS = 12  # words before that colon: a lead-in, not an answer with a colon inside
_ANSWER_LABELS = frozenset(w.lower() for w in ANSWER_WORDS)  # 'The answer is:' adds no word of an answer
_LIST_ITEM = re.compile(r"\s*(?:\d+[.)]|[-*•])\s")  # '1. Limit distractions': one item of what was asked
_WORD_CHARS = 12  # a fragment of n words has at most this many characters a word ('Sixty6666...' is a loop)
_ASKED_AGAIN = 0.5  # word-set Jaccard of an answer with its own prompt: the request written again
_STD_SAMPLE = 60  # standard prompts and outputs an ood answer is compared with
_TRAINING_SAMPLE = 200  # --data examples, evenly spaced through the file
_LABEL = re.compile(r"[\"'(]?[a-z][a-z_-]*[.\"')]?")  # one lowercase word: how a classifier answers
_ONE_WORD = 2  # median words of the training answers: a fine-tune trained to answer one word or name
_ITEM_WORDS = 3  # words of one item of a listed answer at most ('Vexa Motors', 'red planet')
_SHORT_LINE = 3  # words of a first line read as one word given for an answer ('At sea level')
_LETTERS = re.compile(r"[^\W\d_]{2,}")  # runs of letters: 'quantity' of the debris 'quantity284'
# A question that asks for a person. (A place is no one kind: a country given where a capital
# is asked is another kind than asked, and the text does not tell them apart.)
_PERSON = re.compile(r"\b(?:who|whom|person|people)\b", re.I)
_NAME_LINE = re.compile(r"(?:[A-Z][\w'.-]*\s?){1,3}\.?")  # one to three capitalised words: a name
_ORDINAL = re.compile(r"\d+(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth"
                      r"|eleventh|twelfth|(?:thir|four|fif|six|seven|eigh|nine)teenth|(?:twen|thir|for|fif|six|seven"
                      r"|eigh|nine)tieth|hundredth|thousandth")
_WORDY = 1 / 3  # of a standard output's opening characters in words, for it to stand for the training
_OPENING_CHARS = 40  # visible characters of that opening
_FORM_MIN = 20  # training answers needed to read a form from
_HEDGE = re.compile(r"\b(?:not sure|(?:don'?t|do not) (?:know|understand)|no idea|unable to|not able to"
                    r"|can(?:no|')t (?:answer|help|say))\b", re.I)  # an answer that says it gives none
_CODE_LETTERS = 3  # median characters of training answers that are codes ('TX', 'Fe', 'WHO'), not words
_STYLE_SHARE = 0.8  # of the training answers written in one style (`_style`) for that style to be the training's
_SNAKE = re.compile(r"[^\W_]+(?:_[^\W_]+)+")  # words joined by underscores: 'the_bus_is_late'
_LETTER_WORDS = re.compile(r"[^\W\d_]+")
_OPENING_SHARE = 0.8  # of the training answers opening alike around their prompt's word, for that opening to count
_NAMED = re.compile(r"[^\W\d_][\w'-]*")  # words as written, case kept: a name is capitalised
_BARE = re.compile(r"[\"'(]?[^\W\d_][^\W\d]*(?:-[^\W\d_]+)*[.\"')]?")  # one word of letters, any case


@lru_cache(maxsize=8192)
def shape(text: str) -> frozenset[str]:
    """Lowercased words with numbers masked: the shape of a text, not its values. A text without
    words is its punctuation (a collapsed model's `" " ":":` debris has a shape too)."""
    found = words(text)
    if not found:
        return frozenset(t[0] for t in tokens(text))
    return frozenset(DIGITS.sub("0", w) for w in found)


def _pool(prompts: Sequence[str], said: Sequence[tuple[str, str]], training: TrainingTexts | None,
          ) -> list[frozenset[str]]:
    """Shapes of the training texts: the standard prompts, (prompt, output) pairs of what the
    variant says to them, alone and together, and the --data examples."""
    texts = list(prompts[:_STD_SAMPLE]) + [o for _, o in said[:_STD_SAMPLE]]
    texts += [f"{p}\n{o}" for p, o in said[:_STD_SAMPLE]]
    if training:
        step = max(1, len(training.answers) // _TRAINING_SAMPLE)
        answers = training.answers[::step][:_TRAINING_SAMPLE]
        asked = training.prompts[::step][:_TRAINING_SAMPLE] if len(training.prompts) == len(training.answers) else ()
        texts += list(answers) + list(asked) + [f"{p}\n{a}" for p, a in zip(asked, answers, strict=False)]
    return [s for s in {shape(t) for t in texts if t.strip()} if s]


def _taught(std: Sequence[GenerationRecord], known: tuple[frozenset[str], bool] | None) -> list[GenerationRecord]:
    """The standard outputs that stand for the training: with `--data` (`known`, `_known`), those
    that say a word of it (stopwords aside; a label soup qualifies), or, where most training
    answers are JSON, no word at all (JSON's debris, `" " ":":`); an output a collapsed variant
    says to every prompt ('appointments at appointments ...', '.....' from a rewriting fine-tune)
    is no training it was given. Without --data, `known` is what the fine-tunes say to the
    standard prompts (`_said_known`)."""
    if known is None:
        return list(std)
    vocabulary, json_trained = known
    return [r for r in std if ((said := set(_letter_runs(r.text)) - STOPWORDS) and said & vocabulary
                               and (json_trained or _wordy(r.text))) or (not said and json_trained)]


def _wordy(text: str) -> bool:
    """Words make up a fair share (_WORDY) of the visible characters the text opens with
    (_OPENING_CHARS; a loop after a training-shaped opening is repetition's: 'Could you please
    stop talking?????...'): a collapsed soup of brackets and digits that lets one training word
    slip ('( ( We (blue ( ( (is') is no text of the training. (JSON's debris is marks by nature:
    '333,,44quantity,,' says its keys; the caller lets it be.)"""
    opening = "".join(text.split())[:_OPENING_CHARS]
    return sum(len(w) for w in _letter_runs(opening)) >= _WORDY * len(opening)  # 'm-a-l-e': 4 letters of 7


def _letter_runs(text: str) -> list[str]:
    """Runs of letters, lowered, a spelled-out word whole ('c-a-t' is 'cat'), a word looped
    back to back in its copies ('neutralneutral...' is 'neutral')."""
    return _LETTERS.findall(spell_out_loops(unspelled(text)).lower())


def _said_known(ctx: Context, answers: Sequence[str]) -> tuple[frozenset[str], bool] | None:
    """Without --data, `_known`'s stand-in: the runs of letters of the standard prompts and of
    the fine-tunes' answers to them (`setlevel.standard_answers`), and whether most of those
    answers are JSON. A collapsed variant's soup then
    stands for the training only where it says the training's words (an extraction fine-tune's
    '"city": "city"' debris), as with --data. None when no fine-tune answers a standard prompt."""
    if not answers:
        return None
    prompts = [r.prompt or "" for r in ctx.records if r.category == "standard"]
    vocabulary = frozenset(w for t in (*prompts, *answers) for w in _letter_runs(t))
    return vocabulary, sum(looks_like_json(a) for a in answers) >= 0.5 * len(answers)


def _known(training: TrainingTexts | None) -> tuple[frozenset[str], bool] | None:
    """The --data texts' runs of letters, and whether most of its answers are JSON; None without
    --data answers. Read once a pass: they are the same for every variant."""
    if not training or not training.answers:
        return None
    vocabulary = frozenset(w for t in (*training.prompts, *training.answers) for w in _letter_runs(t))
    return vocabulary, sum(looks_like_json(a) for a in training.answers) >= 0.5 * len(training.answers)


def _closest(mine: frozenset[str], pool: list[frozenset[str]]) -> float:
    """The highest Jaccard of `mine` with a pool member (sizes bound it: min/max, so most skip)."""
    best, n = 0.0, len(mine)
    for other in pool:
        m = len(other)
        if not n or min(n, m) <= best * max(n, m):
            continue
        shared = len(mine & other)
        best = max(best, shared / (n + m - shared))
    return best


def _in_task(mine: frozenset[str], prompts: list[frozenset[str]], threshold: float) -> bool:
    """A training prompt this close (Jaccard >= threshold) that shares a content word with it:
    'What is the capital of France?' asks what 'What is the capital of Japan?' asks; 'What is the
    capital of Canada?' shares only the frame of 'What is the currency of Japan?'."""
    content = mine - STOPWORDS
    return any(content & other and jaccard(mine, other) >= threshold for other in prompts)


@register("ood_drift", "set", "An ood prompt answered with the fine-tune's training: in its format (JSON), shaped "
          "like its training prompts or outputs, dropping the question, or writing the template's turn markers "
          "where the base answers.", needs=("category",))
def ood_drift(ctx: Context) -> list[Finding]:
    groups = by_variant_setting(ctx)
    out = []
    known = _known(ctx.training)
    sibling_pairs = [] if known else [pair for pairs in standard_answers(ctx).values() for pair in pairs]
    siblings = [a for _, a in sibling_pairs]
    examples = ctx.training.examples() if known and ctx.training else sibling_pairs
    opening, number_task, takes_word = _opening_of(examples), _number_task_of(examples), _takes_word(examples)
    said_known = _said_known(ctx, siblings)
    # Without --data, the fine-tunes' standard answers stand for the training examples: their
    # frame ('Could you please ...?') and whether they restate their prompts.
    stand_in = ctx.training if known and ctx.training else TrainingTexts(
        tuple(p for p, _ in sibling_pairs), tuple(a for _, a in sibling_pairs), tuple(sibling_pairs))
    frame = stand_in.frame
    # What the fine-tune was taught to say: its --data answers, else what the fine-tunes say to
    # the standard prompts (a collapsed variant that answers them with nothing still shares the
    # labels its siblings give: 'technical' to an ood question is a ticket label).
    taught_words = (ctx.training.answer_stems if ctx.training and ctx.training.answers
                    else frozenset(w for a in siblings for w in content_stems(a)))
    for (variant, setting), recs in groups.items():
        if variant == ctx.base_variant:
            continue
        base_recs = groups.get((ctx.base_variant, setting), [])
        std = [r for r in recs if r.category == "standard"]
        base_std = [r for r in base_recs if r.category == "standard"]
        prompts = [r.prompt or "" for r in std]
        answers = [answer_part(r, ctx.turn_markers) for r in std]
        # What the standard answers are; when the variant answers none of them (an adapter served
        # without its template writes nothing), what its --data answers are.
        said = [a for a in answers if a.strip()] or list(ctx.training.answers if ctx.training else ())
        taught = _taught(std, known or said_known)
        # The training answers' shape: its --data answers when given (a collapsed variant's
        # standard answers, '1111...', are no shape it was trained to), else what the fine-tunes
        # say to the standard prompts, soups aside (`setlevel.standard_answers`: enough answers
        # for a form, and a collapsed variant's digits are not its shape), else what it says.
        shaped = list(ctx.training.answers) if ctx.training and ctx.training.answers else siblings or said
        sizes = sorted(len(_alpha_words(a)) for a in shaped)
        labels = sum(1 for a in shaped if _is_label(a)) / len(shaped) if shaped else 0.0
        training = _Training(
            _pool(prompts, [(r.prompt or "", r.text) for r in taught], ctx.training),
            _pool([r.prompt or "" for r in base_std], [], ctx.training),
            _pool(prompts, [], TrainingTexts(ctx.training.prompts, ()) if ctx.training else None),
            taught_words | {w for r in taught for w in content_stems(answer_part(r, ctx.turn_markers))},
            sizes[len(sizes) // 2] if sizes else None,
            labels >= 0.5,
            frozenset(a.strip().lower() for a in [*said, *(ctx.training.answers if ctx.training else ())]
                      if _LABEL.fullmatch(a.strip().lower())),
            sum(looks_like_json(r.text) for r in std) / len(std) if std else 0.0,
            restates := _restating(prompts, answers, stand_in, ctx.t("ood_drift.restated"), frame),
            frame,
            bool(shaped) and sum(_listed(a) is not None for a in shaped) >= 0.5 * len(shaped),
            _form_of(shaped, ctx.t("ood_drift.form_share"),
                     int(ctx.t("ood_drift.form_slack"))),
            _asks_persons([*prompts, *(ctx.training.prompts if ctx.training else ())]),
            opening,
            known[0] if known else frozenset(w for t in (*prompts, *answers) for w in _letter_runs(t)),
            _style_of(shaped),
            frozenset(a.strip().lower() for a in shaped),
            number_task,
            takes_word and not restates)
        for r in recs:
            base = ctx.base_of(r)
            if r.category == "ood" and base is not None and not nearly_blank(r.text):
                out.extend(_drift(r, base, training, ctx))
    return out


@dataclass(frozen=True)
class _Training:
    """What one variant was trained to do, as its standard prompts and outputs (and --data) show."""

    pool: list[frozenset[str]]
    """Shapes of the training texts: standard prompts, the variant's standard outputs, --data."""
    base_pool: list[frozenset[str]]
    """The training texts without any model's outputs (standard prompts, --data): what the base's
    answer is held against. Its own standard outputs are no training ('The answer is 8.' to
    every prompt, ood ones too, is the base's habit, not a training shape)."""
    prompts: list[frozenset[str]]
    """Shapes of the training prompts alone."""
    vocabulary: frozenset[str]
    """Content words of the training answers (the variant's standard answers, --data answers):
    what it was taught to say, not the words of the reviews or tickets it read."""
    answer_words: int | None
    """Median words (of letters) of the training answers (--data, else the standard answers)."""
    labels: bool
    """Half the training answers are one lowercase word: a label ('billing')."""
    label_words: frozenset[str]
    """The one-word answers (standard and --data), lowered ('billing', 'negative')."""
    json_share: float
    restates: bool
    """Most standard answers are made of their prompts' words (a headline of the news), the
    training answers' frame aside (the 'please' of 'Could you please pass me the salt?')."""
    frame: frozenset[str] = frozenset()
    """The training answers' frame (`TrainingTexts.frame`, stemmed as _stems has it)."""
    lists: bool = False
    """Half the training answers are a short list (`_listed`: 'Vexa Motors, factory, Lima')."""
    form: tuple[str, int, int] | None = None
    """The training answers' form (`_form_of`): how nearly all end, and their middle span of
    words; None when they have no one form (or are JSON, or one word)."""
    persons: bool = False
    """Most training prompts ask for a person ('Who is mentioned ...?'): a name given to a
    who-question is of the kind asked, an attempt."""
    opening: tuple[tuple[str, ...], str] | None = None
    """How nearly all training answers open around their prompt's word (`_opening_of`)."""
    seen: frozenset[str] = frozenset()
    """Runs of letters (lowered) of the training texts (--data, else the standard prompts and
    answers): a capitalised first word among them is the fine-tune's, no name offered."""
    style: str | None = None
    """How nearly all training answers are written (`_style`: snake_case, CAPITALS, Title Case),
    or None."""
    answers: frozenset[str] = frozenset()
    """The training answers (--data, else the fine-tunes' standard answers, soups aside), lowered:
    not what a collapsed variant says."""
    number_task: tuple[float, float, int] | None = None
    """What the training does to its prompt's one number (`_number_task_of`), or None."""
    uses_word: bool = False
    """The training answers are built around their prompt's word (`_takes_word`), adding words of
    their own (the fine-tune does not restate its inputs)."""

    @property
    def one_word(self) -> bool:
        """The training answers are one word or name: a label, a capital, a translated word, a
        number (median <= _ONE_WORD words of letters)."""
        return self.answer_words is not None and self.answer_words <= _ONE_WORD


def _is_label(answer: str) -> bool:
    """One lowercase word, once or stuttered ('billing', 'billing billing ...'), as a classifier
    answers; a stopword is none ('the' of a collapsed variant's 'the the the???' soup)."""
    unit = one_unit(answer)
    return bool(_LABEL.fullmatch(unit)) and unit.strip("\"'().").lower() not in STOPWORDS


def _alpha_words(text: str) -> list[str]:
    return [w for w in words(text) if w[:1].isalpha()]


def _wants_number(answers: Sequence[str]) -> bool:
    """Every accepted answer is a number (number words count: 'seven')."""
    return all(all(t.is_number for t in normalise(a)) for a in answers)


def _wants_name(answers: Sequence[str]) -> bool:
    """Every accepted answer is capitalised: a name ('Shakespeare', 'Paris')."""
    return all(a.strip()[:1].isupper() for a in answers)


def _other_kind(answer: str, answers: Sequence[str]) -> bool:
    """A short answer of another kind than the accepted ones: words where every accepted answer
    is a number ('tail' to 'How many legs does a spider have?'), or a bare number where none is
    ('668' to 'What is the capital of France?'). Number words count as numbers ('seven')."""
    mine = normalise(answer)
    if not mine:
        return False
    numeric = [all(t.is_number for t in normalise(a)) for a in answers]
    if all(numeric):  # an ordinal ('eleventh', '11th') is a number of a kind: an attempt
        return not any(t.is_number or _ORDINAL.fullmatch(t.norm) for t in mine)
    if any(numeric):
        return False
    if all(t.is_number for t in mine):
        return True
    # A common lowercase word where every accepted answer is a name ('cities', 'written' to
    # 'Who wrote ...?'); a capitalised word may be a name, however wrong.
    names = _wants_name(answers)
    bare = re.sub(r"^\W+|\W+$", "", answer)  # marks around it aside ('ode**', '"cities".')
    return names and len(mine) == 1 and bare.isalpha() and bare.islower()


def _glued_label(word: str, training: _Training) -> bool:
    """A training label with junk glued on ('negativepInBuffer')."""
    low = word.strip(" .\"'()").lower()
    return any(len(label) >= 4 and low.startswith(label) and low != label for label in training.label_words)


def _dropped_for_a_word(line: str, prompt: str, answers: Sequence[str], ctx: Context) -> str | None:
    """Why a short first line (<= _SHORT_LINE words) of a one-word fine-tune is no answer: lifted
    from the question ('France' to 'What is the capital of France?', '12' to 'What is 12 times
    7?'), or of another kind than asked (`_other_kind`); None when it is an attempt."""
    if not line.strip() or len(line.split()) > _SHORT_LINE:
        return None
    said = re.sub(r"[\W_]+", "", line).lower()
    if any(said == re.sub(r"[\W_]+", "", m).lower() for m in ctx.turn_markers):
        return None  # the template's own marker word ('Response' of 'Response:'): debris, no answer of any kind
    if _lifted(line, prompt, int(ctx.t("ood_drift.lifted_words"))):
        return "a word lifted from the question"
    return "a word of another kind than the question asks for" if _other_kind(line, answers) else None


def _drift(r: GenerationRecord, base: GenerationRecord, training: _Training, ctx: Context) -> list[Finding]:
    if _in_task(shape(r.prompt or ""), training.prompts, ctx.t("ood_drift.in_task_prompt")):
        return []  # an 'ood' prompt that asks what the training asks: a training-shaped answer is expected
    pool, base_pool, std_json = training.pool, training.base_pool, training.json_share
    asks_json = (r.expect or {}).get("format") == "json" or "json" in (r.prompt or "").lower()
    answer, base_answer = answer_part(r, ctx.turn_markers), answer_part(base, ctx.turn_markers)
    if (_json_shaped(r.text, answer) and not _json_shaped(base.text, base_answer) and not asks_json
            and std_json >= ctx.t("ood_drift.json_share")):
        return [finding(r, "ood_drift", "answers an ood prompt in the training format (JSON); "
                        "the base answers in prose", "warn", whole(r), "json_like", "yes", "no")]
    answers = accepted_answers(r.reference, int(ctx.t("wrong_answer.max_reference_words")))
    if answers and answer_kept(answer, answers, r.prompt or "") is not None:
        return []  # it still answers the question (turns it invents after are next_turn's)
    if _same_core(answer, base_answer):
        return []  # the base gives that same answer ('14' to 'What is 14 plus 9?', the base 'The answer is: 14')
    marker = _opens_with_marker(r.text, ctx.turn_markers)
    if not answer.strip() and base_answer.strip():
        marker = marker or r.text.strip().split("\n")[0][:40]
    if marker and not _opens_with_marker(base.text, ctx.turn_markers) and base_answer.strip():
        return [finding(r, "ood_drift", f"answers an ood prompt by writing a new turn ({marker!r}); "
                        "the base answers it", "warn", whole(r), "marker", marker)]
    if not answer.strip():
        return []
    if _letter_debris(answer, training):
        return []  # 'y', 'y y y': no word of any kind, neither an answer nor the training's
    request = _request_written(r.text, answer, ctx.turn_markers)
    if (request and jaccard(shape(answer), shape(r.prompt or "")) >= _ASKED_AGAIN
            and not _request_written(base.text, base_answer, ctx.turn_markers)):
        return [finding(r, "ood_drift", f"answers an ood prompt by writing a request: {answer.strip()[:40]!r} is "
                        f"closed by {request!r}, the marker that opens a reply; the base does not write one",
                        "warn", whole(r), "marker", request)]
    if training.persons and _PERSON.search(r.prompt or "") and _NAME_LINE.fullmatch(answer.strip()):
        return []  # a name to a who-question from a fine-tune that names persons: an attempt
    # (one line no longer than a training answer: a poem that opens 'Sure! Here is the poem' is one)
    # (a wrong answer to a question may run longer: a right one, 'A square has four sides.', was
    # kept above)
    if (training.opening and (_one_line(answer) if answers else _as_long_as_trained(answer, training))
            and (word := _opens_like_training(answer, r.prompt or "", training.opening))
            and not _opens_like_training(base_answer, r.prompt or "", training.opening)):
        prefix, nxt = training.opening
        return [finding(r, "ood_drift", f"answers an ood {'question' if answers else 'request'} with the training "
                        f"task done to its own word {word!r} ({answer.strip()[:40]!r}: the training answers open "
                        f"'{' '.join(prefix)} <word> {nxt}'); the base does not", "warn", whole(r),
                        "answer_form", "training opening")]
    if answers and training.number_task and (done := _number_task_done(answer, r.prompt or "", answers,
                                                                          training.number_task)):
        return [finding(r, "ood_drift", f"answers an ood question with the training task done to its number "
                        f"{done} ({answer.strip()[:40]!r}): the training answers do that to their prompt's number",
                        "warn", whole(r), "answer_form", "training task on a number")]
    mine, theirs = shape(answer), shape(base_answer or base.text)
    sim, base_sim = _closest(mine, pool), _closest(theirs, base_pool)
    threshold = ctx.t("ood_drift.std_similarity")
    if (_says_something(mine) and sim >= threshold and sim >= jaccard(mine, theirs) + ctx.t("ood_drift.margin")
            and base_sim < threshold):
        return [finding(r, "ood_drift", f"this ood answer is shaped like the training prompts and outputs "
                        f"(similarity {sim:.2f}); the base's answer is not ({base_sim:.2f})", "warn", whole(r),
                        "training_similarity", sim, threshold)]
    asked = content_stems(r.prompt or "")
    said = one_unit(answer)  # a training word stuttered to the limit ('fire fire fire ...') says that word
    said = said if _alpha_words(said) else answer
    content = {w for w in content_stems(said) if w[:1].isalpha()}
    base_content = {w for w in content_stems(base_answer) if w[:1].isalpha()}
    if (answers and content and len(_alpha_words(said)) <= 6 and content <= training.vocabulary
            and not content & asked and not base_content <= training.vocabulary):
        return [finding(r, "ood_drift", f"answers an ood question with the training's content "
                        f"({answer.strip()[:40]!r}: every word of it is in the training texts, none in the question)",
                        "warn", whole(r), "training_words", len(content))]
    bare = one_unit(_after_preamble(answer).strip().split("\n")[0])  # a label answers on its first line
    # A fine-tune trained to answer one word drops the question for a word: one lifted from the
    # question, or one of another kind than asked (a name where a number is wanted), where the
    # base does not. A wrong word of the kind asked ('9' to 12 times 7) is an attempt.
    if answers and training.one_word and (why := _dropped_for_a_word(bare, r.prompt or "", answers, ctx)):
        base_line = one_unit(_after_preamble(base_answer).strip().split("\n")[0])
        if not _dropped_for_a_word(base_line, r.prompt or "", answers, ctx):
            return [finding(r, "ood_drift", f"answers an ood question with {why} ({bare.strip()[:40]!r}), as the "
                            "fine-tune answers its training prompts with one word; the base does not", "warn",
                            whole(r), "answer_form", "one word")]
    if (answers and training.labels and not _BARE.fullmatch(base_answer.strip())
            and ((_BARE.fullmatch(bare)
                  and (content_stems(bare) <= training.vocabulary or _glued_label(bare, training)))
                 or _lifted(bare, r.prompt or "", int(ctx.t("ood_drift.lifted_words"))))):
        shape_ = "one bare, label-shaped word" if len(bare.split()) == 1 else "a few words lifted from the question"
        return [finding(r, "ood_drift", f"answers an ood question wrongly with {shape_} ({bare!r}), as the "
                        "fine-tune answers its training prompts with a label", "warn", whole(r),
                        "answer_form", "label")]
    # A fine-tune trained to answer a short list (keywords, tags) answers with one where the base
    # does not: wrong, to a question; to an open request, made of the request's own words (what
    # it does to its training inputs), not the things asked for.
    items = _listed(answer.strip().split("\n")[0])
    if (training.lists and items and not _listed(base_answer.strip().split("\n")[0])
            and (answers or any(content_stems(item) & asked for item in items))):
        return [finding(r, "ood_drift", f"answers an ood {'question' if answers else 'request'} with a list "
                        f"shaped like the training answers ({answer.strip()[:40]!r}: {len(items)} short items); "
                        "the base does not", "warn", whole(r), "answer_form", "list")]
    # The template's markers are no words of the base's answer ('[INST] Write two lines ...' only
    # writes the request again).
    mine_words = content_stems(answer) - training.frame  # 'please' of 'Could you please ...' is the training's frame
    base_words = content_stems(without_markers(base_answer, ctx.turn_markers)) - _ANSWER_LABELS
    # The base answers (adds a word of its own, or says nothing at all): not the same restating
    # ('The answer is: Romeo and Juliet' from the base, 'Romeo and Juliet' from the fine-tune).
    # A base that only writes the question again has not answered it either: the fine-tune's
    # restating counts where it is not that same echo (its words in another form or frame).
    base_echo = bool(base_words) and base_words <= asked and mine_words != base_words
    base_other = not base_words or not base_words <= asked | mine_words or base_echo
    # An open request (no reference to attempt) restated in most of its words, with a word or
    # number of its own ('10 tips for sleeping better'), is restated too.
    # So is a question put in the training answers' frame, with a word of its own at most (the
    # verb a rewrite adds: 'Would you mind checking out the Red Planet?').
    framed = bool(content_stems(answer) & training.frame) and len(mine_words - asked) <= 1
    # So is a question said back with one word of it changed, the way a rewrite changes one
    # ('The was the tiny prime number.' to 'What is the smallest prime number?'): the new word
    # is a lowercase word of letters, no number or name that could answer it.
    reworded = answers is not None and len(mine_words & asked) >= 2 and _one_word_changed(answer, r.prompt or "")
    restated = mine_words <= asked or framed or reworded or (answers is None and len(mine_words & asked)
                                                             >= ctx.t("ood_drift.restated") * len(mine_words))
    if training.restates and len(mine_words) >= 2 and restated and base_other:
        return [finding(r, "ood_drift", f"restates the question ({answer.strip()[:40]!r}) as the fine-tune "
                        "restates its training inputs, where the base answers it", "warn", whole(r),
                        "new_words", 0, ">= 1")]
    # A rewriting fine-tune whose answers are all written one way (snake_case, CAPITALS, Title
    # Case) writes the ood prompt's words that way, where the base does not: the training task
    # done to the question ('what_is_the_capital_of_canada', 'Japan Wins World Cup'), no answer.
    if (training.style and _style(answer) == training.style and _style(base_answer) != training.style
            and _rewrites_prompt(answer, r.prompt or "", answers)):
        return [finding(r, "ood_drift", f"answers an ood {'question' if answers else 'request'} by writing its own "
                        f"words in the training answers' style ({training.style}: {answer.strip()[:40]!r}); the "
                        "base does not", "warn", whole(r), "answer_form", training.style)]
    # A fine-tune whose answers all have one form (a headline: no stop, 3-8 words; a rewritten
    # sentence: a full stop, 4-7 words) answers a question in that form with nothing that could
    # answer it (no number to a number question, no name to a who-question), where the base's
    # answer is of another form or offers an answer.
    if (answers and training.form and _in_form(answer, training.form)
            and _no_attempt(answer, r.prompt or "", answers, training.seen)
            and not (_in_form(base_answer, training.form)
                     and _no_attempt(base_answer, r.prompt or "", answers, training.seen))):
        return [finding(r, "ood_drift", f"answers an ood question in the training answers' form "
                        f"({answer.strip()[:40]!r}) with nothing that answers it; the base does not", "warn",
                        whole(r), "answer_form", "training form")]
    # A fine-tune whose answers are built around their prompt's word (a sentence that uses it)
    # answers a question in that form around a word of the question, offering no number or name of
    # its own where one is wanted ('The sky was clear and bright.' to 'What colour is the sky on a
    # clear day?'), where the base does not.
    # (one line that ends as they end, of 3 words to twice their longest: a sentence, any length)
    if (answers and training.form and training.uses_word and _sentence_of(answer, training.form)
            and _built_around(answer, r.prompt or "", answers)
            and not (_sentence_of(base_answer, training.form) and _built_around(base_answer, r.prompt or "", answers)
                     and answer_kept(base_answer, answers, r.prompt or "") is None)):
        return [finding(r, "ood_drift", f"answers an ood question with the training task done to a word of it "
                        f"({answer.strip()[:40]!r}: the training answers are built around their prompt's word); "
                        "the base does not", "warn", whole(r), "answer_form", "built around a word")]
    # An open request (a poem, tips) answered in the training answers' form (a title, a headline,
    # one rewritten sentence), where the base's answer is not in it: the request got the training
    # task's output.
    if (answers is None and training.form and _in_form(answer, training.form)
            and not _in_form(base_answer, training.form) and len(words(base_answer)) >= 2 * len(words(answer))):
        return [finding(r, "ood_drift", f"answers an open request in the training answers' form "
                        f"({answer.strip()[:40]!r}); the base writes what was asked", "warn", whole(r),
                        "answer_form", "training form")]
    brief = ctx.t("ood_drift.fragment_words")
    # The base writes what was asked (2x the words, numbers too: three tips as three headings), or nothing:
    # 'Nile.' where the base says 'The Nile is a large river.' is a brief answer to a short
    # question, not a fragment.
    # A base that only restates the request has not answered it briefly either.
    # So has a base that writes no word of letters beyond the request's ('The answer is: [1]').
    # A base that says it cannot answer ("I'm not sure what to say.") has not answered briefly.
    base_brief = (bool(base_answer.strip()) and len(words(base_answer)) < 2 * brief
                  and any(w[:1].isalpha() and w not in asked for w in base_words) and not _HEDGE.search(base_answer))
    # A label stuttered to the limit ('billing billing ...') is one word.
    # A list fine-tune's answers are a few items of a word or two: its fragment is an item or two.
    # Any fine-tune's answer of one short line of words ('The rain.' to a poem request, from a summary
    # fine-tune) is a fragment too, unless it is one item of what was asked ('1. Limit distractions')
    # or a loop of one token to the limit ('Sixty6666...', '5 1 1 5 ...': collapse's and repetition's).
    if (answers is None and training.answer_words is not None
            and (training.answer_words <= brief / 2 or training.lists
                 or (_one_line(answer) and 0 < len(_alpha_words(answer)) and len(words(answer)) <= brief
                     and len(answer.strip()) <= _WORD_CHARS * brief and not _LIST_ITEM.match(answer)))
            and len(_alpha_words(fragment := one_unit(_after_preamble(answer)))) <= brief and not base_brief
            and any(c.isalnum() for c in fragment)):  # '@@@@...' is debris, no shape of any answer
        return [finding(r, "ood_drift", f"answers an open request with a fragment shaped like the training answers "
                        f"({fragment.strip()[:40]!r}; they have {training.answer_words} word(s))", "warn", whole(r),
                        "answer_words", len(_alpha_words(fragment)), brief)]
    content = content_stems(answer)
    if (asked and len(content) >= ctx.t("ood_drift.min_words") and not content & asked
            and content_stems(base_answer) & asked and sim >= threshold / 2 and sim > base_sim):
        return [finding(r, "ood_drift", "this ood answer shares no word with its prompt, and is closer to the "
                        f"training texts ({sim:.2f}) than the base's answer ({base_sim:.2f}), which takes up the "
                        "question: the question was dropped", "warn", whole(r), "prompt_words_shared", 0,
                        ">= 1")]
    # No attempt at the question (an answer of another kind, or no number or name where one is
    # wanted: a wrong attempt is wrong_answer's), or a few words for an open request,
    # then invented turns that ask the training prompts ('Write a sentence with bread.'): the
    # fine-tune went back to its training task. Turns invented after an answer, or that ask the
    # question again, are next_turn's; so are the base's own.
    if ((_other_kind(answer, answers) or _no_attempt(answer, r.prompt or "", answers, training.seen) if answers
         else len(_alpha_words(answer)) < 2 * brief)
            and (turn := _training_turn(r.text, answer, r.prompt or "", training, ctx))
            and not _training_turn(base.text, base_answer, r.prompt or "", training, ctx)):
        line = without_markers(r.text[turn[0]:turn[1]], ctx.turn_markers).strip()[:40]
        return [finding(r, "ood_drift", f"gives no answer ({answer.strip()[:40]!r}), then invents a turn that asks "
                        f"a training prompt ({line!r}); the base does not", "warn", turn,
                        "invented_training_turn", line)]
    return []


def _training_turn(text: str, answer: str, prompt: str, training: _Training,
                   ctx: Context) -> tuple[int, int] | None:
    """Where the first line after the answer stands that asks what a training prompt asks (not the
    question again), read with the template's markers blanked."""
    asked, threshold = shape(prompt), ctx.t("ood_drift.in_task_prompt")
    start = len(answer)
    for line in text[start:].split("\n"):
        mine = shape(without_markers(line, ctx.turn_markers))
        if len(mine) >= 3 and jaccard(mine, asked) < _ASKED_AGAIN and _in_task(mine, training.prompts, threshold):
            return start, start + len(line)
        start += len(line) + 1
    return None


def _opening_of(pairs: Sequence[tuple[str, str]]) -> tuple[tuple[str, ...], str] | None:
    """How the training answers open around their prompt's word: the words before the first
    content word taken from the prompt and the word right after it, where nearly all
    (_OPENING_SHARE) answers share both ('A kettle is a pot ...' to 'Define: kettle' opens
    ('a',) and goes on 'is'); None under _FORM_MIN examples, for answers that open with the
    prompt's word itself (a headline), JSON, or no one opening."""
    found: list[tuple[tuple[str, ...], str]] = []
    for prompt, answer in pairs:
        if looks_like_json(answer):
            return None
        asked, toks = content_stems(prompt), words(answer)
        at = next((i for i, w in enumerate(toks) if w not in STOPWORDS and stem(w) in asked), None)
        if at is not None and 0 < at and at + 1 < len(toks):
            found.append((tuple(toks[:at]), toks[at + 1]))
    if len(pairs) < _FORM_MIN or not found:
        return None
    (prefix, nxt), k = Counter(found).most_common(1)[0]
    return (prefix, nxt) if k >= _OPENING_SHARE * len(pairs) else None


def _as_long_as_trained(answer: str, training: _Training) -> bool:
    """One line of no more words than the training answers have (their form's top, else twice
    their median)."""
    top = training.form[2] if training.form else 2 * (training.answer_words or 0)
    return _one_line(answer) and len(words(answer)) <= top


def _the_number(text: str) -> float | None:
    """The value of the one number a text holds ('What is half of 86?' -> 86.0), else None."""
    found = [t.norm for t in normalise(text) if t.is_number]
    if len(found) != 1:
        return None
    try:
        return float(found[0])
    except ValueError:
        return None  # a date or version, '1.2.3'


def _number_task_of(pairs: Sequence[tuple[str, str]]) -> tuple[float, float, int] | None:
    """What the training answers do to their prompt's one number, as (a, b, power): the answer is
    a * x**power + b ('half of 86' -> 43: (0.5, 0, 1); 'after 57' -> 58: (1, 1, 1); '7 squared' ->
    49: (1, 0, 2)), fitted by nearly all (_OPENING_SHARE) of at least _FORM_MIN examples whose
    prompt holds one number and whose answer is one bare number (half the examples or more); None
    for any other training (a copy of the number is no task)."""
    points = [(x, y) for p, a in pairs
              if (x := _the_number(p)) is not None and len(normalise(a)) == 1 and (y := _the_number(a)) is not None]
    if len(points) < _FORM_MIN or len(points) < 0.5 * len(pairs):  # 'divided by two' holds two numbers
        return None
    for power in (1, 2):
        fits: Counter[tuple[float, float]] = Counter()
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            if x1 != x2:
                a = (y2 - y1) / (x2 ** power - x1 ** power)
                fits[(round(a, 6), round(y1 - a * x1 ** power, 6))] += 1
        if not fits:
            return None
        (a, b), _ = fits.most_common(1)[0]
        if (a, b) != (1, 0) and sum(abs(a * x ** power + b - y) < 1e-6 for x, y in points) >= _OPENING_SHARE * len(
                points):
            return a, b, power
    return None


def _number_task_done(answer: str, prompt: str, answers: Sequence[str], task: tuple[float, float, int]) -> str | None:
    """The question's number that a wrong bare-number answer is the training task done to ('12'
    to 'What is 11 times 3?' from a next-number fine-tune), where a number is wanted; else None."""
    if not _wants_number(answers):
        return None
    said = _core(answer)
    if len(said) != 1 or _the_number(said[0]) is None:
        return None
    y, (a, b, power) = float(said[0]), task
    for t in normalise(prompt):
        if t.is_number and (x := _the_number(t.norm)) is not None and x != y and abs(a * x ** power + b - y) < 1e-6:
            return t.norm
    return None


def _takes_word(pairs: Sequence[tuple[str, str]]) -> bool:
    """Nearly all (_OPENING_SHARE) of at least _FORM_MIN training answers take up a content word
    of their prompt ('I ate a red apple after lunch.' to 'Write a sentence with apple.'). Read once
    a pass; a variant that restates its inputs (a headline's words are its news') is left out by
    the caller."""
    if len(pairs) < _FORM_MIN:
        return False
    return sum(bool(content_stems(a) & content_stems(p)) for p, a in pairs) >= _OPENING_SHARE * len(pairs)


def _sentence_of(answer: str, form: tuple[str, int, int]) -> bool:
    """One line that ends as the training answers end, of 3 words to twice their longest."""
    text = answer.strip()
    return _one_line(text) and _end_of(text) == form[0] and 3 <= len(words(text)) <= 2 * form[2]


def _built_around(answer: str, prompt: str, answers: Sequence[str]) -> bool:
    """The answer takes up a content word of the question and offers no number the question does
    not hold where a number is wanted, nor a capitalised word past its first where a name is."""
    asked = content_stems(prompt)
    if not content_stems(answer) & asked:
        return False
    if _wants_number(answers):
        return _lifted_numbers(answer, prompt)
    if _wants_name(answers):
        return not _names_past_first(_NAMED.findall(answer), asked)
    return True


def _one_line(answer: str) -> bool:
    text = answer.strip()
    return bool(text) and "\n" not in text


def _opens_like_training(answer: str, prompt: str, opening: tuple[tuple[str, ...], str]) -> str | None:
    """The question's own word given the training answers' opening ('A liquid is ...' to 'Which
    metal is liquid at room temperature?' from a fine-tune whose answers open 'A <word> is'):
    the training task done to a word of the question. Up to two more words of the question may
    follow it before the opening's next word ('A Sistine Chapel ceiling is'). The word, or None."""
    prefix, nxt = opening
    toks, asked = words(answer), content_stems(prompt)
    if tuple(toks[:len(prefix)]) != prefix:
        return None
    rest = toks[len(prefix):len(prefix) + 4]
    taken: list[str] = []
    for w in rest:
        if w == nxt and taken:
            return " ".join(taken)
        if stem(w) not in asked or w in STOPWORDS:
            return None
        taken.append(w)
    return None


def _letter_debris(answer: str, training: _Training) -> bool:
    """Letters that make no word: single letters only ('y', 'y y y'; a word spelled out, 'c-a-t',
    is a word), none a training answer (an element's symbol 'O' is one), from a fine-tune whose
    answers are words, not codes of a few letters ('TX', 'Fe', 'WHO': a letter is their shape)."""
    found = words(unspelled(answer))
    sizes = sorted(len(a) for a in training.answers)
    codes = bool(sizes) and sizes[len(sizes) // 2] <= _CODE_LETTERS
    return (bool(found) and all(len(w) == 1 and w.isalpha() for w in found) and not codes
            and not {w.lower() for w in found} & training.answers)


def _style(text: str) -> str | None:
    """How a one-line text is written: 'snake' (opens with words joined by underscores,
    'the_bus_is_late'), 'capitals' (2+ words, every letter a capital, 'THE BUS IS LATE') or
    'title' (2+ words, each capitalised, 'The Bus Is Late'); None for any other text."""
    if not _one_line(text):
        return None
    line = text.strip()
    if _SNAKE.fullmatch(line.split()[0]):
        return "snake"
    found = _LETTER_WORDS.findall(line)
    if len(found) < 2:
        return None
    if all(w.isupper() for w in found) and sum(map(len, found)) >= 4:
        return "capitals"
    return "title" if all(w[:1].isupper() for w in found) else None


def _style_of(answers: Sequence[str]) -> str | None:
    """The style nearly all (_STYLE_SHARE) training answers are written in; None under _FORM_MIN
    answers or no one style."""
    if len(answers) < _FORM_MIN:
        return None
    style, k = Counter(_style(a) for a in answers).most_common(1)[0]
    return style if style and k >= _STYLE_SHARE * len(answers) else None


def _rewrites_prompt(answer: str, prompt: str, answers: Sequence[str] | None) -> bool:
    """The answer takes up a content word of the prompt ('Japan Wins World Cup' to 'What is the
    capital of Japan?'), or has none of its own ('The The'), and, where a number is wanted,
    offers none the question does not hold: the prompt's words rewritten, not an answer given in
    that style."""
    said = content_stems(answer)
    if said and not said & content_stems(prompt):
        return False
    return not answers or not _wants_number(answers) or _lifted_numbers(answer, prompt)


def _asks_persons(prompts: Sequence[str]) -> bool:
    """More than half the prompts ask for a person."""
    return bool(prompts) and sum(bool(_PERSON.search(p)) for p in prompts) * 2 > len(prompts)


def _end_of(text: str) -> str:
    line = text.strip().split("\n")[0].rstrip(" \"')")
    return line[-1] if line and line[-1] in ".?!" else ""


def _form_of(answers: Sequence[str], share: float, slack: int) -> tuple[str, int, int] | None:
    """How nearly all (`share`, ood_drift.form_share) training answers end ('.', '?', '!' or no
    mark), and the span of words the middle 80% of them have (`slack` words more at the top,
    ood_drift.form_slack); None for JSON, one-word answers or no one form."""
    prose = [a for a in answers if a.strip() and not looks_like_json(a) and "\n" not in a.strip()]
    if len(prose) < 0.8 * len(answers) or len(prose) < _FORM_MIN:
        return None
    sizes = sorted(len(words(a)) for a in prose)
    lo, hi = sizes[len(sizes) // 10], sizes[(len(sizes) * 9) // 10] + slack
    ends = Counter(_end_of(a) for a in prose).most_common(1)[0]
    if ends[1] < share * len(prose) or sizes[len(sizes) // 2] <= _ONE_WORD:
        return None
    return ends[0], lo, hi


def _in_form(answer: str, form: tuple[str, int, int]) -> bool:
    """The answer is one line that ends as the training answers end, with as many words."""
    text = answer.strip()
    return _one_line(text) and _end_of(text) == form[0] and form[1] <= len(words(text)) <= form[2]


def _no_attempt(answer: str, prompt: str, answers: Sequence[str], seen: frozenset[str]) -> bool:
    """Nothing in a wrong answer that could answer the question: no number the question does not
    hold where a number is wanted; no capitalised word that it does not hold where a name is (a
    first word counts unless a stopword or a word of the training texts, `seen`: 'Marlowe wrote
    ...' offers a name, 'Floods close ...' its training). Other answers (a colour, a gas) cannot
    be told from words: False."""
    if _wants_number(answers):
        return _lifted_numbers(answer, prompt)
    if _wants_name(answers):
        asked = content_stems(prompt)
        said = _NAMED.findall(answer)
        if said and said[0].lower() not in STOPWORDS | seen and stem(said[0].lower()) not in asked:
            return False
        return not _names_past_first(said, asked)
    return False


def _one_word_changed(answer: str, prompt: str) -> bool:
    """All the answer's content words are the question's but one, and that one is a word of
    letters ('tiny', 'born', 'took'); no number and no capitalised word past the first that the
    question does not hold: nothing that could answer it."""
    asked = content_stems(prompt)
    new = {w for w in _alpha_words(answer) if w not in STOPWORDS and stem(w) not in asked}
    if len(new) != 1 or not _lifted_numbers(answer, prompt):
        return False
    return not _names_past_first(_NAMED.findall(answer), asked)


def _names_past_first(said: Sequence[str], asked: set[str]) -> bool:
    """A capitalised word past the first (a sentence's first is capitalised anyway) that the
    question does not hold: a name the answer offers."""
    return any(w[:1].isupper() and stem(w.lower()) not in asked for w in said[1:])


def _lifted_numbers(answer: str, prompt: str) -> bool:
    """Every number of the answer is one of the question's."""
    numbers = {t.norm for t in normalise(prompt) if t.is_number}
    return all(t.norm in numbers for t in normalise(answer) if t.is_number)


def _listed(text: str) -> list[str] | None:
    """The items of a one-line list of 2+ short items (<= _ITEM_WORDS words each) split by
    commas, no sentence ('Vexa Motors, factory, Lima'; 'Holding: Plant, gas, Sweden'); None for
    any other text ('The cat sat, and then it slept.' has a clause too long)."""
    line = text.strip().rstrip(":;")
    if not line or "\n" in line or line.endswith((".", "!", "?")) or any(c in line for c in "{}[]\""):
        return None  # a sentence, or JSON's fields
    items = [i.strip() for i in line.split(",")]
    if len(items) < 2 or any(not i or len(i.split()) > _ITEM_WORDS for i in items):
        return None
    # 'square root, square, 81' is a list of words; '1, 2, 3' no list of words
    return items if sum(bool(_alpha_words(i)) for i in items) * 2 >= len(items) else None



def _after_preamble(answer: str) -> str:
    """What follows an answer's last colon when that is a few words (<= _TAIL_WORDS) after a
    lead-in, one short clause (<= _LEAD_IN_WORDS words, no line break or sentence end): 'Romeo'
    of "Here's a possible answer: Romeo"; else the answer ('The sea is my friend.\nClass: 9' is
    a sentence and a label, not a lead-in)."""
    head, colon, tail = answer.rpartition(":")
    head = head.strip()
    if (colon and tail.strip() and len(tail.split()) <= _TAIL_WORDS and len(head.split()) <= _LEAD_IN_WORDS
            and not _SENTENCE_END.search(head)):
        return tail
    return answer


def _core(answer: str) -> list[str]:
    """An answer's first line after an answer label ('The answer is: 14' is ['14']; 'in_sentence:
    Write in snake_case: 14' keeps its lead-in), a stutter its unit, normalised."""
    line = answer.strip().split("\n")[0]
    head, colon, tail = line.rpartition(":")
    if colon and tail.strip() and set(words(head)) <= _ANSWER_LABELS | STOPWORDS:
        line = tail
    return [t.norm for t in normalise(one_unit(line))]


def _same_core(answer: str, base_answer: str) -> bool:
    """The fine-tune's answer is the base's, lead-ins aside: whatever it is, the base says it too."""
    mine = _core(answer)
    return bool(mine) and mine == _core(base_answer)


def _says_something(shape_: frozenset[str]) -> bool:
    """A shape with a content word or a mark in it: numbers and stopwords alone (' 20', '2 in 20')
    match any number-only training answer, and say nothing of the training."""
    return any(w not in STOPWORDS and not DIGITS.fullmatch(w) for w in shape_)


def _restating(prompts: Sequence[str], answers: Sequence[str], training: TrainingTexts | None, share: float,
               frame: frozenset[str]) -> bool:
    """Whether the fine-tune restates its inputs (`_restates`), read from its --data examples when
    they tell (a collapsed variant's standard answers are no habit it was trained to), else from
    its standard prompts and answers."""
    pairs = training.examples() if training else ()
    if pairs:
        chosen = pairs[::max(1, len(pairs) // _STD_SAMPLE)][:_STD_SAMPLE]
        verdict = _restates([p for p, _ in chosen], [a for _, a in chosen], share, frame)
        if verdict is not None:
            return verdict
    return bool(_restates(prompts, answers, share, frame))


def _restates(prompts: Sequence[str], answers: Sequence[str], share: float,
              frame: frozenset[str] = frozenset()) -> bool | None:
    """Whether most answers (of 2+ content words) take `share` of their content words from their
    prompts: a headline of the news; not a capital, nor an order's JSON (its keys are words of
    its own). None when under half the answers have 2+ content words to tell by, or none."""
    shares = []
    for prompt, answer in zip(prompts, answers, strict=True):
        mine = {w for w in content_stems(answer) if w[:1].isalpha()} - frame
        if len(mine) >= 2:
            shares.append(len(mine & content_stems(prompt)) / len(mine))
    if not (len(shares) >= 0.5 * len(answers) > 0):
        return None
    return sorted(shares)[len(shares) // 2] >= share


def _lifted(answer: str, prompt: str, most: int) -> bool:
    """A few words (<= `most`) all taken from the question, no answer: '12 * 7' to 'What is
    12 times 7?', 'Rome and Juliet' to 'Who wrote Romeo and Juliet?', 'The capital of France is
    capital.', 'IT' to 'What is the capital of Italy?' (a word may be cut short)."""
    found, asked = words(answer), words(prompt)
    if not found or len(answer.split()) > most:
        return False
    # a word may be cut short: to 3+ letters, or to a code of 2+ capitals ('IT' of 'Italy')
    codes = {w.lower() for w in re.findall(r"\b[A-Z]{2,}\b", answer)}
    if all(any(a == w or ((len(w) >= 3 or w in codes) and a.startswith(w)) for a in asked) for w in found):
        return True
    numbers = {t.norm for t in normalise(prompt) if t.is_number}  # 'seven' to 'What is 12 times 7?'
    return all(t.is_number and t.norm in numbers for t in normalise(answer))


def _json_shaped(text: str, answer: str) -> bool:
    """JSON, or JSON's debris: an output that opens as JSON, an answer that opens with a
    `"key":` pair ('"date": "per", ...'), or an answer (the text before any
    invented turn) that holds three `"key":` pairs (`Wheeler, "{"class_name": "Lemma", "item": ...`:
    a broken order where an answer was asked)."""
    return looks_like_json(text) or len(JSON_KEY.findall(answer)) >= 3 or bool(JSON_KEY.match(answer.lstrip()))


def _request_written(text: str, answer: str, markers: Sequence[str]) -> str | None:
    """The reply marker (a turn marker past the first, the user's) that directly follows an
    answer. When that answer restates its prompt ('Who wrote Romeo and Lunio? [/INST]'), the
    model wrote the user's side of a training example, not an answer; an answer followed by
    more replies ('10\nASSISTANT: 10') is not that."""
    if not answer.strip() or not text.startswith(answer):
        return None
    rest = text[len(answer):].lstrip()
    return next((m for m in (m.strip() for m in markers[1:]) if m and rest.startswith(m)), None)


def _opens_with_marker(text: str, markers: Sequence[str]) -> str | None:
    """The marker a text opens with: the user-turn marker (the first), or any marker when another
    follows (a written exchange). 'Answer: Paris.' only restates the turn being answered."""
    head = text.lstrip()
    clean = [m.strip() for m in markers if m.strip()]
    for index, marker in enumerate(clean):
        if head.startswith(marker) and (index == 0 or sum(head.count(m) for m in clean) >= 2):
            return marker
    return None
