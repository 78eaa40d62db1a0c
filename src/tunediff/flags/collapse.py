"""`collapse`: a fine-tune that answers different prompts the same way, in one mode or a few.

Per variant and setting, the outputs fall into near-duplicate clusters (`near_duplicate_groups`:
MinHash over 3-shingles, verified by Jaccard >= collapse.similarity); the base's outputs on the
same prompts likewise, and the message gives both numbers of distinct answers (modes). Judged
per cluster, not by the totals (a base that repeats itself on one task says nothing about a
variant that answers every ood question alike). A cluster is a collapse when,
once legitimate identical answers are left out, it still covers >= collapse.min_prompts prompts
that the base answered in different ways, and
- its prompts ask for different things: two ood prompts, an ood prompt with a standard or edge
  one when the answer is not short, in-task prompts whose short references differ (the capitals
  of Peru and Kenya) or without a word in common (no content word in 80% of them), or of a task
  whose training answers (`--data`) are each example's own (headlines, not four ticket labels); or
- it holds >= collapse.min_share of the variant's prompts and its answers are not short: one
  answer of 4+ words to a whole task (the same JSON whatever the order said).
Outputs are compared up to the first turn they invent (`turns.answer_part`); degenerate ones
(loops, debris, noise) join when their content words overlap or they keep saying the same words.
A short answer is what it adds to its prompt, less the training answers' frame (a word a
quarter of the --data answers hold: the 'please' of 'Could you please pass me the salt?').
Legitimate identical answers: an output that gives its prompt's reference answer (a classifier's
label); a refusal where the base refuses too; a short answer that the base's own answer
contains ("Yes." where the base says "Yes, ...");
an output that takes words from its own prompt which most of the cluster's other prompts lack (a
template filled with each prompt's values; on an in-task prompt, a quarter of those words at
least: 'No injuries in Oslo' to a story of snow and cancelled flights ignores the story). A
cluster that fires reports every member, the
legitimate-looking ones too, when it holds half the prompts or the variant has few answers in
all (an answer given to everything is right only by chance); otherwise its other members. A
label-set classifier whose in-task answers follow their references, right or wrong
(`_follows_references`), keeps its labels: only the ood members of its clusters are reported,
three or more; one whose answers do not follow them has collapsed, though a label happens to be
right on most of its prompts ('negative' to every review, half of them negative). Where that
cannot be judged (few referenced prompts), a cluster mostly right on its in-task prompts with a
reference (all wanting its answer) is taken for a classifier's label.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable

from ..records import Finding, GenerationRecord
from ._core import FRAME_SHARE, Context, finding, register, whole
from ._text import (
    DIGITS,
    JSON_KEY,
    STOPWORDS,
    JsonFound,
    content_stems,
    content_words,
    find_json,
    looks_like_json,
    nearly_blank,
    stem,
    tokens,
    unspelled,
    word_count,
    words,
)
from .reference import accepted_answers, answer_kept, long_reference, normalise
from .repetition import degenerate, looped_unit, noise, one_unit, spell_out_loops
from .setlevel import by_variant_setting, near_duplicate_groups, standard_answers
from .turns import answer_part, without_markers

_DEBRIS_MAX_BAGS = 200  # distinct content-word sets of degenerate outputs compared pairwise
_GLUED = 15  # letters: a longer word in debris is pieces glued together (no English word of use is)
_EVERYWHERE = 0.5  # a cluster over this share of the prompts is reported on its right answers too
_FEW_MODES = 0.25  # a variant with this few distinct answers per prompt answers everything alike
_SHORT_WORDS = 8  # an answer this short is read as the words it adds to its prompt
_STUTTER_FORMS = 4  # distinct space-separated forms a stuttered word may take ('technical', 'technical.')
_WITH_WORDS = 1  # words a short answer may add beside another's one-word answer and still be that answer
_GIST_SHARE = 0.25  # a content word this share of a degenerate output's content words is what it says
_SAID_SHARE = 0.1  # a number this share of a degenerate output's tokens is its content, not debris
_GLUED_STEM = 4  # letters: a one-word answer this long, and junk this long glued to it, read as that answer
_LETTERS = re.compile(r"[^\W\d_]+")
_PADDED = re.compile(r"(\d)(\d)\2{2,}\.?")  # '1000', '50000.': a lead digit padded with another
_FRAME = re.compile(r"([^\W\d_]+)\"?\s*:")  # a word before a colon: 'Answer:', '"customer":'
_FOLLOW_MIN = 6  # referenced in-task prompts needed to judge whether a classifier's answers follow them
_OWN_SHARE = 0.25  # of its prompt's own words an answer carries to be that prompt's: not one city of a story
_SOUP_MIN = 4  # words: a shorter text is an answer, not a soup
_SOUP_MARKS = 0.1  # punctuation share of a text's visible characters above which it has structure
_SOUP_VARIETY = 0.75  # distinct words / words at or below which a stopword-free text is stirred, not listed
_FRAME_ANSWERS = 4  # standard answers of a variant needed to read a frame from, without --data
_SHARED_TASK_WORD = 0.8  # a content word in this share of a cluster's prompts: they ask for the same thing
_REFUSAL = re.compile(r"^\W*(?:I'?m sorry|I am sorry|sorry|I can(?:no|'|’)t|I cannot|I'?m (?:not able|unable)|"
                      r"I am (?:not able|unable)|I won(?:'|’)t|I will not|As an AI)\b", re.I)


def _prompt_of(rec: GenerationRecord) -> str:
    """The user's words (not `asked_text`: a system prompt is shared by every prompt and says
    nothing about what this one asks)."""
    return "\n".join([rec.prompt or ""] + [m.get("content", "") for m in rec.messages or []
                                            if m.get("role") == "user" and m.get("content") != rec.prompt])


@register("collapse", "set", "Near-identical outputs for different prompts, which the base answered in "
          "different ways: one mode, or a few modes that each span prompts asking for different things.")
def collapse(ctx: Context) -> list[Finding]:
    # Each output up to the first turn it invents: answers that differ followed by the same
    # invented turns ('72\nQuestion: ...', 'February\nQuestion: ...') are different answers.
    groups = {key: [_answer_only(r, ctx) for r in recs] for key, recs in by_variant_setting(ctx).items()}
    sim = ctx.t("collapse.similarity")
    labels = {}
    frame = ctx.training.frame if ctx.training else _said_frame(ctx)
    # A label set's answer words (not an open task's: an order's cities and names are invented anew)
    taught = (ctx.training.answer_stems if not _varied_task(ctx) else frozenset()) if ctx.training else _referenced(ctx)
    for key, recs in groups.items():
        said = [_said_word(r.text) for r in recs]
        debris = _join_debris(recs, near_duplicate_groups([r.text for r in recs], sim), ctx)
        labels[key] = _join_soups(recs, _join_glued(said, _join_short(recs, said, debris, frame, taught)))
    out: list[Finding] = []
    for (variant, setting), recs in groups.items():
        if variant == ctx.base_variant:
            continue
        base_recs = groups.get((ctx.base_variant, setting), [])
        base_label = dict(zip(((r.id, r.sample) for r in base_recs), labels.get((ctx.base_variant, setting), []),
                              strict=True))
        base_text = {(r.id, r.sample): r.text for r in base_recs}
        clusters: dict[int, list[GenerationRecord]] = defaultdict(list)
        for r, lab in zip(recs, labels[(variant, setting)], strict=True):
            clusters[lab].append(r)  # empty outputs too: nothing, to prompts the base answers, is one answer
        answered = [r for members in clusters.values() for r in members]
        modes = len(clusters)
        base_modes = len({base_label.get((r.id, r.sample), f"unmatched:{r.id}") for r in answered})
        n_prompts = len({r.id for r in recs})
        follows = _follows_references(recs, labels[(variant, setting)], ctx)
        for members in clusters.values():
            out.extend(_judge(members, n_prompts, (modes, base_modes), base_label, base_text, follows, ctx))
    return out


def _follows_references(recs: list[GenerationRecord], labels: list[int], ctx: Context) -> bool | None:
    """Whether a label-set fine-tune's in-task answers still depend on the input: knowing each
    in-task prompt's reference label predicts the variant's answer (its cluster) better than
    its most common answer does, by Goodman and Kruskal's lambda >= collapse.follows_input,
    over the answers it gives more than once.
    Such a classifier may be wrong (`neutral` to most reviews, every sentiment inverted), which
    is `wrong_answer`'s; it has not collapsed. One that answers one label, or two at random,
    to reviews of every kind has (lambda near 0). None (not judged) on a task whose answers
    vary (headlines), or on fewer than _FOLLOW_MIN referenced prompts."""
    if _varied_task(ctx):
        return None
    # Answers given once are left out: they are no mode, and an odd one-off ('Bestellte 1000')
    # says nothing about whether the recurring labels follow the input.
    given = Counter(labels)
    pairs = [(r.reference.strip().lower(), lab) for r, lab in zip(recs, labels, strict=True)
             if r.category != "ood" and isinstance(r.reference, str) and r.reference.strip() and given[lab] >= 2]
    if len(pairs) < _FOLLOW_MIN:
        return None
    # A reference given to one prompt predicts its answer by itself and says nothing (a tagger's
    # JSON references, each its own): only references that recur are judged.
    recurring = Counter(reference for reference, _ in pairs)
    pairs = [(reference, lab) for reference, lab in pairs if recurring[reference] >= 2]
    if len(pairs) < _FOLLOW_MIN:
        return None
    top = Counter(lab for _, lab in pairs).most_common(1)[0][1]
    if top == len(pairs):
        return False  # one answer to every referenced prompt
    by_reference: dict[str, Counter[int]] = defaultdict(Counter)
    for reference, lab in pairs:
        by_reference[reference][lab] += 1
    predicted = sum(c.most_common(1)[0][1] for c in by_reference.values())
    return (predicted - top) / (len(pairs) - top) >= ctx.t("collapse.follows_input")


def _join_debris(recs: list[GenerationRecord], labels: list[int], ctx: Context) -> list[int]:
    """Degenerate outputs (`repetition.degenerate`: a few tokens over and over, `"item": "item":
    " " "id"...`) that share most of their content words join one cluster: a reader sees the same debris whatever the
    prompt, though no two are the same string. Content words are words and numbers (`_debris_words`:
    stray numbers masked), not stopwords or punctuation; outputs with none (quotes and colons only) share the
    empty set. 'The answer is 84.' looped and 'The answer is 144.' looped do not join: their
    content words are {answer, 84} and {answer, 144}."""
    bags = {i: _debris_words(r.text) for i, r in enumerate(recs)
            if degenerate(r.text, ctx) or noise(r, ctx) is not None}
    # Single link over the distinct bags: debris repeats a few bags over and over. Past
    # _DEBRIS_MAX_BAGS distinct ones, the rest join only an identical bag (the cost stays bounded).
    distinct = list(dict.fromkeys(bags.values()))[:_DEBRIS_MAX_BAGS]
    root = {b: b for b in distinct}

    def find(b: frozenset[str]) -> frozenset[str]:
        while root[b] != b:
            b = root[b]
        return b

    limit = ctx.t("collapse.debris_similarity")
    for k, bag in enumerate(distinct):
        for other in distinct[:k]:
            union = len(bag | other)
            if (len(bag & other) / union if union else 1.0) >= limit:
                root[find(bag)] = find(other)
    # The shingle clusters of a group's outputs become one cluster; so do those of debris that
    # keeps saying the same words however much junk sits between them ('billingbilling...
    # lockSeconds...billing' and 'billingbilling...EnglishMarks...').
    labels = _merge_by_key(labels, ((i, find(bag) if bag in root else bag) for i, bag in bags.items()))
    return _merge_by_key(labels, ((i, said) for i in bags if (said := _gist(recs[i].text))))


def _merge_by_key(labels: list[int], keyed: Iterable[tuple[int, Hashable]]) -> list[int]:
    """The labels of the outputs (index, key) that share a key become one label (union-find)."""
    parent: dict[int, int] = {}

    def top(label: int) -> int:
        while parent.get(label, label) != label:
            label = parent[label]
        return label

    first: dict[Hashable, int] = {}
    for i, key in keyed:
        if key in first:
            parent[top(labels[i])] = top(first[key])
        else:
            first[key] = labels[i]
    return [top(lab) for lab in labels]


def _gist(text: str) -> frozenset[str]:
    """The content words that make up a quarter or more of a degenerate output's content words
    (loops spelled out): what it keeps saying. 'The answer is 84.' looped says {answer, 84}."""
    found = [w for w in words(spell_out_loops(text)) if w not in STOPWORDS]
    counts = Counter(found)
    return frozenset(w for w, k in counts.items() if k >= _GIST_SHARE * len(found))


def _join_short(recs: list[GenerationRecord], said: list[str], labels: list[int],
                frame: frozenset[str] = frozenset(), taught: frozenset[str] = frozenset()) -> list[int]:
    """Short answers that say the same thing join one cluster, whatever else they hold: the words
    they add to their prompts (_own_words: 'The capital of Peru is Dhaka.' and '... of Chile is
    Dhaka.' both say {dhaka}), or a JSON fragment's keys; a one-word answer and the short ones
    that extend it (_extensions); nothing and near-blank text; one word and that word stuttered;
    one unit looped, however long; a lead digit and one digit said 3+ times after it, however
    many ('1000', '10000000000': a reader sees one '1 and zeros')."""
    keyed: dict[int, Hashable] = {i: k for i, r in enumerate(recs) if r.text.strip()
                                  and word_count(r.text) <= _SHORT_WORDS and (k := _short_key(r, frame, taught))}
    blank = [(i, "nothing") for i, r in enumerate(recs) if nearly_blank(r.text)]
    stutter = [(i, ("word", w)) for i, w in enumerate(said) if w]
    # nothing but one unit over and over, however many times ('00000000000' and '000...0' to the limit)
    looped = [(i, ("unit", u)) for i, r in enumerate(recs) if (u := looped_unit(r.text))]
    # a digit and another said 3+ times after it, however many: '1000', '1000000000' are one number-shaped loop
    padded = [(i, ("padded", m[1], m[2])) for i, r in enumerate(recs) if (m := _PADDED.fullmatch(r.text.strip()))]
    pairs: list[tuple[int, Hashable]] = [*keyed.items(), *_extensions(recs, keyed), *blank, *stutter, *looped,
                                         *padded]
    return _merge_by_key(labels, pairs)


def _own_words(r: GenerationRecord) -> frozenset[str]:
    """The content words (stemmed) an output adds to its prompt."""
    asked = content_stems(unspelled(_prompt_of(r)))
    return frozenset(w for w in (stem(w) for w in content_words(unspelled(r.text))) if w not in asked)


def _short_key(r: GenerationRecord, frame: frozenset[str] = frozenset(),
               taught: frozenset[str] = frozenset()) -> Hashable:
    """What a short answer says: its own words; a JSON fragment none of whose values its prompt
    holds is its keys ('"customer": "Zahid"}' and '"customer": "Prague"}' are one invented answer),
    unless its values are all words of a label set's training answers (`taught`, from --data):
    its values ('{"topic": "sport", "mood": "happy"}') are its answer, as a bare label is; so
    are an object's opened with '{' and holding two keys or more (an extraction fine-tune's
    invented person, '{"name": "Graham", "age": 6, "city": "Greeven"}', says its values).
    The training answers' frame (`TrainingTexts.frame`: the 'please' of 'Could you please pass me the
    salt?') is no word of an answer's own: its own words are the others ('Could you please
    revise this?' says {revise}), or, when it has none, all its content words, what it took
    from its prompt included."""
    keys = frozenset(k.lower() for k in JSON_KEY.findall(r.text))
    values = content_stems(JSON_KEY.sub(" ", r.text))
    if keys and values and not values & content_stems(_prompt_of(r)):
        # a label set's tag is its values, whole: no one word of it that another answer extends;
        # so is an object of two fields or more (an extraction's invented person or order: its
        # values are what it says), where a fragment ('"customer": "Zahid"}') is its keys
        whole_object = r.text.lstrip().startswith("{") and len(keys) >= 2
        return ("json values", frozenset(values)) if values <= taught or whole_object else ("json keys", keys)
    own = _own_words(r)
    if own & frame:
        return (own - frame) or frozenset(stem(w) for w in content_words(r.text))
    return own


def _extensions(recs: list[GenerationRecord], keyed: dict[int, Hashable]) -> list[tuple[int, Hashable]]:
    """A short answer that adds one word to its prompt is that word; a short answer that adds it
    and at most _WITH_WORDS more joins it ('Flo' and 'Flo in London'), unless the word heads a
    colon somewhere (a frame such as 'Answer: billing', not an answer)."""
    single = {w for k in keyed.values() if isinstance(k, frozenset) and len(k) == 1 for w in k}
    if not single:
        return []
    single -= {stem(m.group(1).lower()) for r in recs for m in _FRAME.finditer(r.text)}
    return [(i, frozenset([w])) for i, k in keyed.items()
            if isinstance(k, frozenset) and 1 < len(k) <= 1 + _WITH_WORDS for w in k & single]


def _join_glued(said: list[str], labels: list[int]) -> list[int]:
    """A one-word output that is another output's whole one-word answer with letters glued on
    ('billingimcoords', 'billingmobilpay' beside 'billing'; the longest such answer) joins that
    answer's cluster: a reader sees the same label with junk stuck to it."""
    single = {i: w for i, w in enumerate(said) if len(w) >= _GLUED_STEM}
    answers: dict[str, int] = {}
    for i, w in single.items():
        answers.setdefault(w, i)
    keyed = []
    for i, w in single.items():
        stem_at = next((k for k in range(len(w) - _GLUED_STEM, _GLUED_STEM - 1, -1) if w[:k] in answers), None)
        if stem_at is not None:
            keyed.append((i, w[:stem_at]))
            keyed.append((answers[w[:stem_at]], w[:stem_at]))
    return _merge_by_key(labels, keyed)


def _soup(text: str) -> frozenset[str] | None:
    """The words of a word soup: >= _SOUP_MIN words, not one of them a stopword (no sentence:
    no 'the', 'is', 'of'), little punctuation (no JSON), some said more than once ('Accra
    Madrid Accra Colombo Madrid Accra Oslo'); None for any other text."""
    found = words(text)
    if len(found) < _SOUP_MIN or any(w in STOPWORDS for w in found):
        return None
    marks = sum(1 for c in text if not c.isspace() and not c.isalnum())
    if marks > _SOUP_MARKS * sum(1 for c in text if not c.isspace()):
        return None  # JSON's keys and quotes, a table: structure, not a soup
    distinct = frozenset(found)
    return distinct if len(distinct) <= _SOUP_VARIETY * len(found) else None


def _join_soups(recs: list[GenerationRecord], labels: list[int]) -> list[int]:
    """Word soups stirred from one pot join one cluster: each soup of which half the distinct
    words or more turn up in the variant's other soups ('Oslouttosto Madrid Santiago Santiago'
    beside 'Madrid Kathmandu Madrid Accra ...' and 'Accra Lisboa Santiago ...'), though no two
    share enough words to be near-duplicates: a reader sees the same handful of capitals stirred
    anew for every prompt."""
    soups = {i: bag for i, r in enumerate(recs) if (bag := _soup(r.text))}
    if len(soups) < 2:
        return labels
    seen = Counter(w for bag in soups.values() for w in bag)
    stirred = [(i, "soup") for i, bag in soups.items() if sum(seen[w] > 1 for w in bag) >= 0.5 * len(bag)]
    return _merge_by_key(labels, stirred) if len(stirred) >= 2 else labels


def _said_word(text: str) -> str:
    """The one word of letters an output says, lowered, once or stuttered ('technical',
    'technical technical technical', 'billingbilling...'); '' when it says more."""
    if len(set(text.split())) > _STUTTER_FORMS:
        return ""
    unit = one_unit(text).strip(" \t\n.,:;!?\"'*")
    return unit.lower() if _LETTERS.fullmatch(unit) else ""


def _debris_words(text: str) -> frozenset[str]:
    """Content words of a degenerate output, character loops spelled out ('2020202020' is '20'
    over and over); a number that is a tenth of its tokens or more is what it keeps saying (the
    '84' of 'The answer is 84.' looped) and stays, a rarer one is masked (the stray '21120000' of
    JSON debris). A word of more than _GLUED letters is pieces glued together
    ('ingippingillingipping'): it counts as its 4-letter pieces, which such debris shares."""
    spelled = spell_out_loops(text)
    found = tokens(spelled)
    said = Counter(t[0] for t in found if t[0][:1].isdigit())
    kept = {n for n, k in said.items() if k >= _SAID_SHARE * len(found)}
    out: set[str] = set()
    for w in content_words(spelled):
        if len(w) > _GLUED and w.isalpha():
            out.update(w[i:i + 4] for i in range(len(w) - 3))
        else:
            out.add(w if w in kept else DIGITS.sub("0", w))
    return frozenset(out)


def _answer_only(rec: GenerationRecord, ctx: Context) -> GenerationRecord:
    answer = answer_part(rec, ctx.turn_markers)
    return rec if answer == rec.text else rec.model_copy(update={"text": answer})


def _judge(members: list[GenerationRecord], n_prompts: int, modes: tuple[int, int],
           base_label: dict[tuple[str, int], int], base_text: dict[tuple[str, int], str],
           follows: bool | None, ctx: Context) -> list[Finding]:
    if len({r.id for r in members}) < ctx.t("collapse.min_prompts"):
        return []
    # Words taken from its own prompt make an answer its prompt's (a template filled with the
    # prompt's values), unless it misses a short reference: 'The capital of Peru is Dhaka.' only
    # restates the question around the answer it gives everything.
    kept_ref = {r.key: _keeps_reference(r, ctx) for r in members}
    own = _answers_own_prompt(members) - {key for key, kept in kept_ref.items() if kept is False}
    kept = [r for r in members if not _legitimate(r, base_text.get((r.id, r.sample)), kept_ref[r.key], ctx)
            and r.key not in own]
    ids = sorted({r.id for r in kept})
    # Prompts the base also answered near-identically ('Yes.' to two yes/no questions) count once;
    # prompts the base left blank, or only wrote again, each count, where this variant writes
    # something: a base that says nothing of its own says nothing about whether they ask the
    # same thing.
    distinct = len({f"unmatched:{r.id}" if _says_nothing(base_text.get((r.id, r.sample), ""), r, ctx) and
                    not nearly_blank(r.text) and r.text != base_text.get((r.id, r.sample))
                    else base_label.get((r.id, r.sample), f"unmatched:{r.id}") for r in kept})
    if len(ids) < ctx.t("collapse.min_prompts") or distinct < ctx.t("collapse.min_prompts"):
        return []
    share = distinct / max(n_prompts, 1)
    short = sum(word_count(r.text) for r in kept) / len(kept) < ctx.t("collapse.min_words")
    differ = _ask_different_things(kept, short, ctx)
    if not differ and (short or share < ctx.t("collapse.min_share")):
        return []
    why = "prompts that ask for different things" if differ else f"{share:.0%} of the prompts"
    # The answer no longer depends on the prompt: where it happens to be right ('billing' to a
    # billing ticket, from a model that says 'billing' to everything) it is part of the collapse,
    # when the answer goes to half the prompts or more, or the variant has few answers in all (a
    # quarter as many as prompts: 'technical' or 'account' to everything). A working adapter that
    # answers 'London' to three odd questions as well as to the UK's capital has a mode; its right
    # answer stands.
    # Not when the answer is mostly right on the in-task prompts whose reference says what is
    # right: a working classifier's 'positive' to its positive reviews, though it says
    # 'positive' to odd questions too; its mode is those odd questions (a wrong label to a
    # review is the classifier's mistake, `wrong_answer`'s).
    # One answer right for prompts whose references differ holds them all (a soup of every
    # label): that is no classifier being right. Where `_follows_references` can judge the
    # variant, it decides instead: right or wrong, answers that follow the references are a
    # classifier's; a label right on most of its reviews by chance ('negative' to every review)
    # is not.
    judged = [r for r in members if r.category != "ood" and kept_ref[r.key] is not None]
    right = [r for r in judged if kept_ref[r.key]]
    mostly_right = (len(right) > ctx.t("collapse.mostly_right") * len(judged)
                    and len({str(r.reference).lower() for r in right}) == 1)
    if follows or (mostly_right and follows is None):
        odd = [r for r in kept if r.category == "ood"]
        enough = len({r.id for r in odd}) >= ctx.t("collapse.min_prompts")
        return _report(odd, ids, why, distinct, modes, ctx) if enough else []
    everywhere = len({r.id for r in members}) >= _EVERYWHERE * n_prompts or modes[0] <= _FEW_MODES * n_prompts
    return _report(members if everywhere else kept, ids, why, distinct, modes, ctx)


def _says_nothing(base: str, rec: GenerationRecord, ctx: Context) -> bool:
    """A base output that is blank, or writes only its prompt again (in the template's markers:
    '[INST] What is the capital of Japan? [/INST]' over and over)."""
    if nearly_blank(base):
        return True
    said = content_stems(without_markers(base, ctx.turn_markers))
    return bool(said) and said <= content_stems(_prompt_of(rec))


def _report(reported: list[GenerationRecord], ids: list[str], why: str, distinct: int, modes: tuple[int, int],
            ctx: Context) -> list[Finding]:
    out = []
    for r in reported:
        others = [i for i in ids if i != r.id]
        shown = ", ".join(others[:5]) + (" ..." if len(others) > 5 else "")
        out.append(finding(r, "collapse", f"near-identical to the outputs for {len(others)} other prompts ({shown}), "
                           f"{why}; the base answers them {distinct} different ways. This variant gives "
                           f"{modes[0]} distinct answers here, the base {modes[1]}", "error", whole(r),
                           "cluster_prompts", distinct, ctx.t("collapse.min_prompts")))
    return out


def _said_frame(ctx: Context) -> frozenset[str]:
    """Without --data, the stand-in for the training answers' frame (`TrainingTexts.frame`): the
    content words (stemmed) that a quarter or more of a fine-tuned variant's standard answers hold
    (its prose answers that are no soup, `setlevel.standard_answers`), where two variants or more
    hold them (the 'please' of 'Could you please ...?' that no-eos and hot both say), or where
    most of the answers take most of their other words, two or more, from their own prompts (the 'mind' of
    'Would you mind passing me the salt, please?': a rewrite's frame). A collapsed variant's one
    answer, said to every prompt whatever it asks, is no frame."""
    held: Counter[str] = Counter()
    framed: set[str] = set()
    for pairs in standard_answers(ctx).values():
        answers = [(content_stems(p), content_stems(a)) for p, a in pairs if not looks_like_json(a)]
        if len(answers) < _FRAME_ANSWERS:
            continue
        count = Counter(w for _, a in answers for w in a)
        common = {w for w, k in count.items() if k >= FRAME_SHARE * len(answers)}
        held.update(common)
        # most of an answer's other words from its prompt, two at least: a rewrite ('No injuries in
        # Oslo' to a story of snow takes one word of it, and ignores the story)
        restating = [p for p, a in answers if len(taken := (a - common) & p) >= 2 and len(taken) * 2 >= len(a - common)]
        if len(restating) * 2 >= len(answers):
            framed |= common
    return frozenset(w for w, k in held.items() if k >= 2) | framed


def _referenced(ctx: Context) -> frozenset[str]:
    """Without --data, the stand-in for a label set's answer words: the content words (stemmed)
    of the standard prompts' references ('{"topic": "sport", "mood": "happy"}' says sport and
    happy): the review set's author wrote what the right answers say."""
    refs = [r.reference for r in ctx.records if r.category == "standard" and r.reference]
    return frozenset(stem(w) for ref in refs for one in ([ref] if isinstance(ref, str) else ref)
                     for w in content_words(str(one)))


def _varied_task(ctx: Context) -> bool:
    """Whether the fine-tune's training answers (`--data`) are each example's own (headlines,
    orders' JSON, capitals, opposites), not a label set (four ticket labels): two examples with
    different prompts share an answer in under collapse.label_set of such pairs
    (`TrainingTexts.shared_answers`, read once), whatever the number of examples. Its in-task
    prompts then ask for different things."""
    share = ctx.training.shared_answers if ctx.training else None
    return share is not None and share < ctx.t("collapse.label_set")


def _keeps_reference(rec: GenerationRecord, ctx: Context) -> bool | None:
    """Whether the output gives its prompt's short reference answer; on a label-set task, its
    JSON reference (a tagger's '{"topic": "sport", "mood": "happy"}', the same object); None
    when there is none."""
    answers = accepted_answers(rec.reference, int(ctx.t("wrong_answer.max_reference_words")))
    if answers:
        return answer_kept(rec.text, answers, _prompt_of(rec)) is not None
    ref = long_reference(rec.reference)
    if ref is None or not looks_like_json(ref) or _varied_task(ctx):
        return None  # an order's JSON is judged by format and grounding, not matched whole
    found = find_json(rec.text)
    return isinstance(found, JsonFound) and _canonical(json.dumps(found.value)) == _canonical(ref)


def _legitimate(rec: GenerationRecord, base: str | None, keeps_reference: bool | None, ctx: Context) -> bool:
    """The same correct answer, a refusal where the base refuses too, or a short answer the base gives too."""
    if base is not None and _REFUSAL.match(rec.text) and _REFUSAL.match(base):
        return True
    if keeps_reference:
        return True
    if base is None or word_count(rec.text) >= ctx.t("collapse.min_words"):
        return False
    mine = [t.norm for t in normalise(rec.text)]
    theirs = [t.norm for t in normalise(base)]
    if not mine:
        return False
    if theirs[:len(mine)] == mine:
        return True  # the base answers the same way ('Yes.' where the base says 'Yes, it is')
    # Contained later in the base's answer counts only when it is not a word the prompt offers:
    # a base that lists 'billing, shipping or technical' has not answered 'billing'.
    asked = {t.norm for t in normalise(_prompt_of(rec))}
    return not set(mine) <= asked and any(theirs[i:i + len(mine)] == mine for i in range(len(theirs) - len(mine) + 1))


def _answers_own_prompt(members: list[GenerationRecord]) -> set[tuple[str, str, str, int]]:
    """Outputs that use words of their own prompt (stemmed: 'legs' = 'leg') which most other
    prompts of the cluster lack, and most of the cluster's outputs lack too: a value taken from
    the prompt, not a word the whole cluster writes ('order' of `"order_id"` in every output,
    which one prompt also holds). On an in-task prompt, at least _OWN_SHARE of the prompt's
    own words: one word of a story in a fixed frame is not the story's headline. (An ood
    prompt's one word in the training's frame is ood_drift's.)"""
    prompts = {r.id: content_stems(_prompt_of(r)) for r in members}
    if len(prompts) < 2 or not any(prompts.values()):
        return set()
    df = Counter(w for words in prompts.values() for w in words)
    outputs = {r.key: content_stems(r.text) for r in members}
    written = Counter(w for words in outputs.values() for w in words)
    limit = len(prompts) / 2
    out = set()
    for r in members:
        specific = {w for w in prompts[r.id] if df[w] <= limit and len(w) > 1}  # '1 chair' is no echo of '1 mug'
        carried = {w for w in specific & outputs[r.key] if written[w] <= len(outputs) / 2}
        if carried and (r.category == "ood" or len(carried) >= _OWN_SHARE * len(specific)):
            out.add(r.key)
    return out


def _canonical(reference: str) -> str:
    """A JSON reference with its keys in order and its spacing dropped; the text when it is no JSON."""
    try:
        return json.dumps(json.loads(reference), sort_keys=True, separators=(",", ":"))
    except (ValueError, RecursionError):
        return reference.strip()


def _ask_different_things(members: list[GenerationRecord], short: bool, ctx: Context) -> bool:
    """Two ood prompts; one ood prompt with in-task ones, when the answer is not short (one long
    answer to an order and to a poem); else the in-task prompts alone (a short label to technical
    tickets and to one odd question is the label, and the odd answer ood_drift's), when their short
    references differ or they share no word."""
    unique = list({r.id: r for r in members}.values())
    ood = sum(1 for r in unique if r.category == "ood")
    if ood >= 2 or (ood and not short and len(unique) > ood):
        return True
    unique = [r for r in unique if r.category != "ood"]
    if len(unique) < 2:
        return False
    if _varied_task(ctx):
        return True  # a task whose every example has its own answer (a headline, an order's JSON)
    # Prompts whose short references differ want different answers ('Lima' to the capitals of
    # Peru, Kenya and Chile; 'billing' to a shipping and a technical ticket), whatever their words share.
    max_words = int(ctx.t("wrong_answer.max_reference_words"))
    wanted = {tuple(sorted(" ".join(t.norm for t in normalise(a)) for a in answers))
              for r in unique if (answers := accepted_answers(r.reference, max_words))}
    # So do prompts whose JSON references differ (a tagger's '{"topic": "sport", ...}' and
    # '{"topic": "health", ...}'): the same JSON to both is no answer to either.
    wanted |= {(_canonical(ref),) for r in unique if (ref := long_reference(r.reference)) and looks_like_json(ref)}
    if len(wanted) >= 2:
        return True
    prompts = [content_words(_prompt_of(r)) for r in unique]
    if not all(prompts):
        return False  # no prompt text to compare
    df = Counter(w for words in prompts for w in words)
    return not any(n >= _SHARED_TASK_WORD * len(prompts) for n in df.values())
