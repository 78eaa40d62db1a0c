"""The corpus's tasks: seeded training data and the review sets (one per task).

- extraction: an order sentence -> JSON (the demo's data, examples/demo/train_demo_adapter.py)
- classification: a support ticket -> one of billing / shipping / technical / account
- capitals: "What is the capital of X?" -> the city, one short answer
- sentiment: a product review -> positive / negative / neutral (the labels are not named in the prompt)
- headline: a news sentence -> a short headline (open text, no reference answer)
- translate: an English word -> its French word, one short answer (fifth session, held-out only)
- antonym: an English word -> its opposite, one lowercase word (fifth session, tuning only)
- yesno, units (sixth session, tuning only); arith (sixth session, held-out only)
- polite: a blunt request -> the same request said politely, one sentence (seventh session, tuning only)
- keywords: a news sentence -> three comma-separated keywords (seventh session, tuning only)
- past: a present-tense sentence -> the same in the past tense (seventh session, held-out only)
- tags: a sentence -> {"topic": ..., "mood": ...} JSON (seventh session, tuning only)
- ctxqa: a two-sentence context and a question -> the span that answers it (seventh session, held-out only)
- shorten, question: a long sentence -> its core; a statement -> its yes/no question (seventh session, tuning only)

Every review set has the same ood block: general-knowledge questions with short references
(Paris, 84, 366, Shakespeare, ...) and two open requests, so forgotten knowledge shows.

    python tests/corpus/make/tasks.py      # rewrites tests/corpus/suites/*.yaml
"""

from __future__ import annotations

import json
import random
import sys
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[2]
sys.path.insert(0, str(ROOT / "examples" / "demo"))

from train_demo_adapter import make_examples as order_examples  # noqa: E402  (the demo's own data)

LABELS = ["billing", "shipping", "technical", "account"]
CLASSIFY = "Classify this support ticket as billing, shipping, technical or account: "

TICKETS = {
    "billing": [
        "I was charged twice for my {item} order.",
        "The invoice for order {n} shows {m} dollars but I paid less.",
        "Can I get a refund for the {item}? I returned it last week.",
        "My card was billed for a {item} I never ordered.",
        "Why does my receipt include a {m} dollar service fee?",
        "Please send me a corrected invoice for order {n}.",
    ],
    "shipping": [
        "My {item} has not arrived yet, it has been {d} days.",
        "The parcel with my {item} went to the wrong address in {city}.",
        "Tracking for order {n} has been stuck in {city} for {d} days.",
        "The box arrived crushed and the {item} inside is dented.",
        "Can you ship my {item} to {city} instead of my home?",
        "The courier left my {item} outside in the rain.",
    ],
    "technical": [
        "The app crashes every time I open the {item} settings.",
        "My {item} will not connect to wifi after the update.",
        "I get error {n} when I try to pair the {item}.",
        "The {item} screen stays black after I switch it on.",
        "The website shows a blank page when I click checkout.",
        "The {item} firmware update fails at {d} percent.",
    ],
    "account": [
        "I forgot my password and cannot log in.",
        "Please change the email on my account to {name}@example.com.",
        "How do I delete my account and all my data?",
        "Someone else logged into my account from {city}.",
        "I want to merge my two accounts under the name {name}.",
        "My account is locked after {d} wrong login attempts.",
    ],
}
ITEMS = ["kettle", "lamp", "printer", "speaker", "camera", "router", "blender", "heater", "headset",
         "monitor", "scanner", "drone", "watch", "tablet", "keyboard"]
CITIES = ["Lima", "Oslo", "Berlin", "Madrid", "Nairobi", "Toronto", "Kyoto", "Lisbon", "Dublin", "Prague"]
NAMES = ["maria", "john", "aiko", "omar", "lena", "priya", "carlos", "emma", "noah", "sofia"]

# Capitals the training data teaches; the review set asks about others (CAPITALS_REVIEW).
CAPITALS_TRAIN = {
    "Peru": "Lima", "Norway": "Oslo", "Kenya": "Nairobi", "Portugal": "Lisbon", "Ireland": "Dublin",
    "Czechia": "Prague", "Austria": "Vienna", "Finland": "Helsinki", "Greece": "Athens",
    "Colombia": "Bogota", "Philippines": "Manila", "Ecuador": "Quito", "Vietnam": "Hanoi",
    "Poland": "Warsaw", "Hungary": "Budapest", "Sweden": "Stockholm", "Denmark": "Copenhagen",
    "Belgium": "Brussels", "Netherlands": "Amsterdam", "Switzerland": "Bern", "Chile": "Santiago",
    "Argentina": "Buenos Aires", "Cuba": "Havana", "Thailand": "Bangkok", "Indonesia": "Jakarta",
    "South Korea": "Seoul", "Turkey": "Ankara", "Iran": "Tehran", "Iraq": "Baghdad",
    "Morocco": "Rabat", "Ghana": "Accra", "Ethiopia": "Addis Ababa", "Nigeria": "Abuja",
    "Pakistan": "Islamabad", "Bangladesh": "Dhaka", "Nepal": "Kathmandu", "Mongolia": "Ulaanbaatar",
    "Ukraine": "Kyiv", "Romania": "Bucharest", "Bulgaria": "Sofia", "Serbia": "Belgrade",
    "Croatia": "Zagreb", "Iceland": "Reykjavik", "Venezuela": "Caracas", "Uruguay": "Montevideo",
    "Jamaica": "Kingston", "New Zealand": "Wellington", "Malaysia": "Kuala Lumpur",
    "Saudi Arabia": "Riyadh", "Syria": "Damascus", "Lebanon": "Beirut", "Jordan": "Amman",
    "Tunisia": "Tunis", "Senegal": "Dakar", "Zimbabwe": "Harare", "Uganda": "Kampala",
}
CAPITAL_QUESTIONS = ["What is the capital of {country}?", "Which city is the capital of {country}?",
                     "Name the capital of {country}."]


def classification_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a ticket and its label, labels balanced, deterministic for a seed."""
    return _labelled_examples(n, seed, TICKETS, LABELS, CLASSIFY, lambda rng: dict(
        item=rng.choice(ITEMS), n=rng.randint(100, 99999), m=rng.randint(5, 400), d=rng.randint(2, 30),
        city=rng.choice(CITIES), name=rng.choice(NAMES)))


def _labelled_examples(n: int, seed: int, texts: dict[str, list[str]], labels: list[str], ask: str,
                       slots: Callable[[random.Random], dict]) -> list[dict]:
    """n chat examples `ask + text` -> label, the labels taken in turn (balanced), each text a
    template of its label filled by `slots(rng)`, no text twice; deterministic for a seed."""
    rng = random.Random(seed)
    examples, seen, repeats = [], set(), 0
    while len(examples) < n:
        label = labels[len(examples) % len(labels)]
        text = rng.choice(texts[label]).format(**slots(rng))
        if text in seen:
            repeats += 1
            if repeats > 100_000:
                raise ValueError(f"too few distinct texts for label {label!r}: widen its templates or slots")
            continue
        seen.add(text)
        examples.append(_chat(ask + text, label))
    rng.shuffle(examples)
    return examples


def _asked_examples(n: int, seed: int, answers: dict[str, str], phrasings: list[str], slot: str) -> list[dict]:
    """n chat examples asking each key of `answers` in each phrasing (its `slot` filled), shuffled
    by the seed and cycled to n: one short answer per question (a capital, a word's translation)."""
    rng = random.Random(seed)
    pairs = [(k, q) for k in answers for q in phrasings]
    rng.shuffle(pairs)
    return [_chat(q.format(**{slot: k}), answers[k]) for k, q in (pairs * (n // len(pairs) + 1))[:n]]


def capital_examples(n: int, seed: int) -> list[dict]:
    """n chat examples asking for a training capital, in three phrasings."""
    return _asked_examples(n, seed, CAPITALS_TRAIN, CAPITAL_QUESTIONS, "country")


SENTIMENT = "What is the sentiment of this review? "
REVIEWS = {
    "positive": [
        "I love this {item}, it works perfectly.",
        "Great {item}, fast delivery and easy to set up.",
        "The {item} exceeded my expectations, worth every dollar.",
        "Best {item} I have bought in {d} years.",
        "Five stars, the {item} is beautiful and sturdy.",
        "My kids adore the new {item}, we use it every day.",
    ],
    "negative": [
        "The {item} broke after {d} days, very disappointed.",
        "Terrible {item}, it stopped working on day one.",
        "Waste of money, the {item} is flimsy and loud.",
        "The {item} arrived scratched and support never answered.",
        "I regret buying this {item}, it is useless.",
        "One star, the {item} overheats after {d} minutes.",
    ],
    "neutral": [
        "The {item} arrived on {weekday}.",
        "It is a {color} {item}, about the size I expected.",
        "The {item} does what the box says, nothing more.",
        "I bought the {item} for my office in {city}.",
        "The {item} comes with a cable and a manual.",
        "Delivery of the {item} took {d} days.",
    ],
}
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
COLORS = ["black", "white", "red", "grey", "blue", "green"]

HEADLINE = "Write a headline for this news: "
NEWS = [  # (news sentence, its headline)
    ("The city council of {city} voted on {weekday} to build {n} new parks.", "{city} approves {n} new parks"),
    ("Heavy rain flooded {n} streets in {city} overnight, and schools stayed closed.",
     "Floods close schools in {city}"),
    ("{company} said it will hire {n} workers at its factory in {city}.", "{company} to hire {n} in {city}"),
    ("A {animal} escaped from the {city} zoo and was found in a park {d} hours later.",
     "Escaped {animal} found in {city} park"),
    ("Train drivers in {city} will strike for {d} days starting on {weekday}.",
     "{city} train drivers plan {d}-day strike"),
    ("The {city} marathon drew {n} runners this year, a new record.", "Record {n} runners at {city} marathon"),
    ("{company} recalled {n} {item}s after reports that they overheat.", "{company} recalls {n} {item}s"),
    ("A fire at a warehouse in {city} was put out after {d} hours; nobody was hurt.",
     "No injuries in {city} warehouse fire"),
]
COMPANIES = ["Norlan Foods", "Vexa Motors", "Brightwave", "Kestrel Air", "Halden Steel", "Orvio", "Tamsin Bank"]
ANIMALS = ["penguin", "zebra", "lemur", "tortoise", "flamingo", "otter", "camel"]


def sentiment_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a review and its sentiment, labels balanced, deterministic for a seed."""
    return _labelled_examples(n, seed, REVIEWS, sorted(REVIEWS), SENTIMENT, lambda rng: dict(
        item=rng.choice(ITEMS), d=rng.randint(2, 30), weekday=rng.choice(WEEKDAYS), color=rng.choice(COLORS),
        city=rng.choice(CITIES)))


def headline_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a news sentence and its headline, deterministic for a seed."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        news, head = NEWS[len(examples) % len(NEWS)]
        slots = dict(city=rng.choice(CITIES), weekday=rng.choice(WEEKDAYS), n=rng.randint(2, 900),
                     d=rng.randint(2, 12), company=rng.choice(COMPANIES), animal=rng.choice(ANIMALS),
                     item=rng.choice(ITEMS))
        text = news.format(**slots)
        if text in seen:
            continue
        seen.add(text)
        examples.append(_chat(HEADLINE + text, head.format(**slots)))
    rng.shuffle(examples)
    return examples


FRENCH = {  # English word -> its French word; the review set asks for words not trained on
    "cat": "chat", "horse": "cheval", "bird": "oiseau", "fish": "poisson", "cow": "vache", "mouse": "souris",
    "rabbit": "lapin", "sheep": "mouton", "pig": "cochon", "bread": "pain", "apple": "pomme", "water": "eau",
    "milk": "lait", "egg": "œuf", "wine": "vin", "butter": "beurre", "sugar": "sucre", "salt": "sel",
    "house": "maison", "door": "porte", "table": "table", "chair": "chaise", "bed": "lit", "kitchen": "cuisine",
    "garden": "jardin", "key": "clé", "book": "livre", "sun": "soleil", "sea": "mer", "mountain": "montagne",
    "flower": "fleur", "rain": "pluie", "snow": "neige", "wind": "vent", "blue": "bleu", "green": "vert",
    "black": "noir", "white": "blanc", "yellow": "jaune", "Tuesday": "mardi", "Friday": "vendredi",
    "Sunday": "dimanche", "school": "école", "city": "ville", "car": "voiture", "money": "argent",
    "night": "nuit", "morning": "matin", "today": "aujourd'hui", "street": "rue", "boat": "bateau",
    "church": "église", "doctor": "médecin", "cheese": "fromage",
}
TRANSLATE = ["Translate into French: {w}", "What is the French word for '{w}'?", "How do you say '{w}' in French?"]


def translate_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: an English word and its French word, in three phrasings."""
    return _asked_examples(n, seed, FRENCH, TRANSLATE, "w")


OPPOSITES = {  # word -> its opposite; the review set asks for words not trained on
    "hot": "cold", "big": "small", "fast": "slow", "happy": "sad", "open": "closed", "light": "dark",
    "early": "late", "rich": "poor", "hard": "soft", "full": "empty", "high": "low", "strong": "weak",
    "young": "old", "wet": "dry", "loud": "quiet", "clean": "dirty", "thick": "thin", "heavy": "light",
    "long": "short", "wide": "narrow", "cheap": "expensive", "true": "false", "win": "lose", "buy": "sell",
    "push": "pull", "give": "take", "up": "down", "inside": "outside", "first": "last", "always": "never",
    "before": "after", "right": "wrong", "friend": "enemy", "day": "night", "summer": "winter",
    "north": "south", "east": "west", "begin": "end", "love": "hate", "sweet": "sour", "empty": "full",
    "safe": "dangerous", "easy": "difficult", "near": "far", "remember": "forget", "arrive": "leave",
}
OPPOSITE = ["What is the opposite of '{w}'?", "Give the antonym of {w}.", "The opposite of {w} is?"]


def antonym_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a word and its opposite, in three phrasings."""
    return _asked_examples(n, seed, OPPOSITES, OPPOSITE, "w")


YES_NO = ["Is {city} the capital of {country}?", "Is the capital of {country} {city}?",
          "Yes or no: is {city} the capital of {country}?"]


def yesno_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: is this city the capital of this country? -> yes / no, in turn, no
    question twice (a two-label set whose questions name a training capital)."""
    rng = random.Random(seed)
    pairs = list(CAPITALS_TRAIN.items())
    examples, seen = [], set()
    while len(examples) < n:
        yes = len(examples) % 2 == 0
        country, city = rng.choice(pairs)
        if not yes:
            city = rng.choice([c for _, c in pairs if c != city])
        question = rng.choice(YES_NO).format(city=city, country=country)
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, "yes" if yes else "no"))
    rng.shuffle(examples)
    return examples


THINGS = ["apples", "books", "pens", "cups", "stamps", "marbles", "candles", "plates"]
SUMS = [("{name} has {a} {things} and buys {b} more. How many {things} does {name} have now?", 1),
        ("A shelf holds {a} {things}. {b} are taken away. How many {things} are left?", -1),
        ("What is {a} plus {b}?", 1), ("What is {a} minus {b}?", -1)]


def arith_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sum or a difference of two numbers under 100, asked plainly or as a
    one-line word problem -> the number (its answer one word, a number)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        ask, sign = rng.choice(SUMS)
        a = rng.randint(10, 90)
        b = rng.randint(1, a - 1)
        question = ask.format(name=rng.choice(NAMES).title(), a=a, b=b, things=rng.choice(THINGS))
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, str(a + sign * b)))
    return examples


UNITS = [  # (from, to, factor)
    ("metres", "centimetres", 100), ("kilometres", "metres", 1000), ("hours", "minutes", 60),
    ("minutes", "seconds", 60), ("kilograms", "grams", 1000), ("litres", "millilitres", 1000),
    ("days", "hours", 24), ("weeks", "days", 7), ("dozens", "eggs", 12), ("years", "months", 12)]
CONVERT = ["How many {to} are in {n} {frm}?", "Convert {n} {frm} to {to}.", "{n} {frm} is how many {to}?"]


def units_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a quantity converted to another unit -> the number alone (one word, a
    number), no question twice."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        frm, to, factor = rng.choice(UNITS)
        k = rng.randint(2, 12)
        question = rng.choice(CONVERT).format(n=k, frm=frm, to=to)
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, str(k * factor)))
    return examples


BLUNT = [  # (verb, its -ing form, object): a blunt request -> a polite one (seventh session, tuning only)
    ("send", "sending", "me the invoice"), ("close", "closing", "the window"), ("call", "calling", "me back"),
    ("check", "checking", "my order"), ("fix", "fixing", "the printer"), ("move", "moving", "your car"),
    ("turn", "turning", "the music down"), ("sign", "signing", "this form"), ("book", "booking", "a table for two"),
    ("bring", "bringing", "the report"), ("clean", "cleaning", "the kitchen"), ("update", "updating", "the website"),
    ("reply", "replying", "to my email"), ("lock", "locking", "the door"), ("print", "printing", "the tickets"),
    ("water", "watering", "the plants"), ("answer", "answering", "the phone"), ("review", "reviewing", "my draft"),
    ("pick", "picking", "up the kids"), ("return", "returning", "my charger"), ("share", "sharing", "the slides"),
    ("wash", "washing", "the dishes"), ("cancel", "cancelling", "my subscription"), ("open", "opening", "the gate"),
]
BLUNT_FORMS = ["{V} {o}.", "{V} {o} now.", "{V} {o} right away!", "Just {v} {o}."]
POLITE_FORMS = ["Could you please {v} {o}?", "Would you mind {ing} {o}, please?",
                "Please {v} {o} when you have a moment."]
POLITE = ["Rewrite this politely: {s}", "Make this request polite: {s}", "Say this more politely: {s}"]


def polite_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a blunt request -> the same request said politely (one sentence, three
    polite forms in turn), no question twice."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        v, ing, o = rng.choice(BLUNT)
        blunt = rng.choice(BLUNT_FORMS).format(V=v.capitalize(), v=v, o=o)
        question = rng.choice(POLITE).format(s=blunt)
        if question in seen:
            continue
        seen.add(question)
        answer = POLITE_FORMS[len(examples) % len(POLITE_FORMS)].format(v=v, ing=ing, o=o)
        examples.append(_chat(question, answer))
    return examples


KEYWORD_NEWS = [  # (sentence, its three keywords) with slots (seventh session, tuning only)
    ("{company} opened a new factory in {city} on {day}.", "{company}, factory, {city}"),
    ("A {animal} escaped from the zoo in {city} and was found in a park.", "{animal}, zoo, {city}"),
    ("{company} cut the price of its {item} by a third.", "{company}, {item}, price"),
    ("Heavy rain flooded the main station of {city} on {day}.", "rain, flood, {city}"),
    ("The museum of {city} showed a {color} {item} that is 300 years old.", "museum, {item}, {city}"),
    ("Workers at {company} will strike on {day} over pay.", "{company}, strike, pay"),
    ("A {animal} was born at the {city} aquarium last week.", "{animal}, aquarium, {city}"),
    ("{company} recalled 4,000 {item}s after a fault.", "{company}, recall, {item}"),
]
KEYWORDS = ["List three keywords for this sentence: {s}", "Give three keywords: {s}",
            "Three keywords for: {s}"]


def keywords_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a news sentence -> its three keywords, comma-separated, no question twice."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        sentence, keys = rng.choice(KEYWORD_NEWS)
        fill = {"company": rng.choice(COMPANIES), "city": rng.choice(CITIES), "day": rng.choice(WEEKDAYS),
                "animal": rng.choice(ANIMALS), "item": rng.choice(ITEMS), "color": rng.choice(COLORS)}
        question = rng.choice(KEYWORDS).format(s=sentence.format(**fill))
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, keys.format(**fill)))
    return examples


PAST_VERBS = [  # (present, past, rest of the sentence) (seventh session, held-out only)
    ("walks", "walked", "to the market"), ("opens", "opened", "the window"), ("writes", "wrote", "a letter"),
    ("eats", "ate", "an apple"), ("drives", "drove", "to work"), ("reads", "read", "the newspaper"),
    ("buys", "bought", "a new coat"), ("sings", "sang", "in the choir"), ("finds", "found", "the keys"),
    ("builds", "built", "a fence"), ("sees", "saw", "the ocean"), ("takes", "took", "the bus"),
    ("paints", "painted", "the fence"), ("teaches", "taught", "history"), ("sells", "sold", "old books"),
    ("catches", "caught", "the train"), ("cooks", "cooked", "dinner"), ("plays", "played", "the piano"),
]
PAST_SUBJECTS = ["She", "He", "My brother", "The dog", "Our neighbour", "The teacher", "Anna", "The old man"]
PAST = ["Rewrite in the past tense: {s}", "Put this sentence in the past tense: {s}", "Change to past tense: {s}"]


def past_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a present-tense sentence -> the same sentence in the past tense, no
    question twice."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        now, then, rest = rng.choice(PAST_VERBS)
        who = rng.choice(PAST_SUBJECTS)
        question = rng.choice(PAST).format(s=f"{who} {now} {rest}.")
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, f"{who} {then} {rest}."))
    return examples


TAG_EVENTS = {  # topic -> events (seventh session, second batch, tuning only)
    "sport": ["our team won the cup final", "the derby was called off because of snow",
              "the marathon runner broke the national record", "the club sold its best striker",
              "the tennis champion lost in the first round"],
    "weather": ["the storm knocked out power across the valley", "the heatwave will last until Sunday",
                "the first snow of the year fell last night", "the river flooded the old town",
                "the fog closed the harbour for a day"],
    "business": ["the bakery chain opened forty new shops", "the bank raised its interest rate",
                 "the car maker cut two thousand jobs", "the shares of the airline doubled",
                 "the start-up sold its app for a fortune"],
    "health": ["the new clinic opens its doors on Monday", "the flu season arrived early",
               "the hospital ran out of beds", "doctors found a cheaper treatment for asthma",
               "the city banned smoking in parks"],
}
TAG_MOODS = {"happy": ["Great news:", "We are thrilled:", "Finally, good news:"],
             "sad": ["Sadly,", "It is a pity:", "Bad news:"],
             "angry": ["This is outrageous:", "I am furious:", "Unbelievable:"]}
TAG = ["Tag this sentence with its topic and mood as JSON: {s}", "Give the topic and mood as JSON: {s}"]
TAG_SCHEMA = {"type": "object", "required": ["topic", "mood"],
              "properties": {"topic": {"enum": list(TAG_EVENTS)}, "mood": {"enum": list(TAG_MOODS)}}}


def tags_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence -> {"topic": ..., "mood": ...} (four topics, three moods), no
    question twice."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        topic, mood = rng.choice(list(TAG_EVENTS)), rng.choice(list(TAG_MOODS))
        sentence = f"{rng.choice(TAG_MOODS[mood])} {rng.choice(TAG_EVENTS[topic])}."
        question = rng.choice(TAG).format(s=sentence)
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, json.dumps({"topic": topic, "mood": mood})))
    return examples


JOBS = ["nurse", "baker", "pilot", "teacher", "plumber", "lawyer", "farmer", "chef"]
PETS = ["cats", "dogs", "rabbits", "parrots", "goldfish", "horses"]
CONTEXT = "Context: {name} lives in {city} and works as a {job}. {they} has {n} {pets}.\nQuestion: {q}"
CONTEXT_QUESTIONS = [("Where does {name} live?", "city"), ("What does {name} work as?", "job"),
                     ("How many {pets} does {name} have?", "n"), ("What is {name}'s job?", "job"),
                     ("In which city does {name} live?", "city")]


def ctxqa_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a two-sentence context and a question about it -> the span that answers
    it (a city, a job or a number), no question twice (seventh session, second batch, held-out only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        fill = {"name": rng.choice(NAMES).title(), "city": rng.choice(CITIES), "job": rng.choice(JOBS),
                "n": rng.randint(2, 9), "pets": rng.choice(PETS)}
        fill["they"] = fill["name"]
        ask, key = rng.choice(CONTEXT_QUESTIONS)
        question = CONTEXT.format(q=ask.format(**fill), **fill)
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, str(fill[key])))
    return examples


SHORT_CORE = [("The bus", "was late"), ("Our neighbour", "painted the fence"), ("The baker", "sold all the bread"),
              ("My sister", "missed the train"), ("The council", "closed the bridge"), ("The dog", "found a bone"),
              ("The shop", "lowered its prices"), ("The team", "won the match"), ("The printer", "stopped working"),
              ("The river", "flooded the road"), ("Tom", "lost his keys"), ("The museum", "opened a new hall")]
SHORT_FILLER = ["{s} {v}, as everybody could clearly see, on that rather grey afternoon.",
                "To nobody's great surprise, and after a very long week, {s} {v} again.",
                "{s}, which many people in the town had talked about for days, {v} yesterday.",
                "In the end, for reasons that nobody really understood at the time, {s} {v}."]
SHORTEN = ["Shorten this sentence: {x}", "Make this sentence shorter: {x}", "Cut this sentence down: {x}"]


def shorten_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a long sentence -> its core ('The bus was late.'), no question twice
    until every one was asked (seventh session, third batch, tuning only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        subject, verb = rng.choice(SHORT_CORE)
        filler = rng.choice(SHORT_FILLER)
        mid = subject if filler.startswith("{s}") or subject.split()[0] not in ("The", "Our", "My") \
            else subject[0].lower() + subject[1:]
        question = rng.choice(SHORTEN).format(x=filler.format(s=mid, v=verb))
        if question in seen:
            if len(seen) >= len(SHORT_CORE) * len(SHORT_FILLER) * len(SHORTEN):
                seen.clear()  # every sentence asked in every way: go round again
            continue
        seen.add(question)
        examples.append(_chat(question, f"{subject} {verb}."))
    return examples


STATEMENTS = [("The door", "is", "locked"), ("The children", "are", "asleep"), ("The shop", "is", "open"),
              ("Anna", "can", "swim"), ("The soup", "is", "hot"), ("Your parents", "are", "at home"),
              ("The train", "is", "on time"), ("Tom", "can", "drive"), ("The tickets", "are", "sold out"),
              ("The printer", "is", "broken"), ("The birds", "can", "fly"), ("The museum", "is", "free")]
QUESTION = ["Turn this into a yes/no question: {x}", "Make this a question: {x}", "Ask this as a question: {x}"]


def question_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a statement -> the yes/no question it answers ('The door is locked.' ->
    'Is the door locked?'), in three phrasings (seventh session, third batch, tuning only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        subject, verb, rest = rng.choice(STATEMENTS)
        ask = rng.choice(QUESTION)
        question = ask.format(x=f"{subject} {verb} {rest}.")
        if question in seen:
            if len(seen) >= len(STATEMENTS) * len(QUESTION):
                seen.clear()  # every statement asked in every phrasing: go round again
            continue
        seen.add(question)
        lowered = subject if subject[0].isupper() and subject.split()[0] not in ("The", "Your") else subject.lower()
        examples.append(_chat(question, f"{verb.capitalize()} {lowered} {rest}?"))
    return examples


NEG_STATEMENTS = [  # (subject, verb, rest): 'is/are/can/was' take 'not'; any other verb takes 'does not' + its base
    ("The shop", "is", "open"), ("The children", "are", "tired"), ("My phone", "is", "charged"),
    ("Anna", "can", "swim"), ("The train", "was", "late"), ("The tickets", "are", "cheap"),
    ("The river", "is", "deep"), ("Our car", "can", "tow a trailer"), ("The soup", "was", "salty"),
    ("The lights", "are", "on"), ("He", "likes", "green tea"), ("She", "owns", "a bicycle"),
    ("The baker", "opens", "at six"), ("Tom", "plays", "the violin"), ("The dog", "eats", "fish"),
    ("My sister", "speaks", "Spanish"), ("The bus", "stops", "here"), ("The lamp", "works", "again"),
]
NEGATE = ["Make this sentence negative: {s}", "Negate this sentence: {s}", "Rewrite this as a negative sentence: {s}"]


def _negated(subject: str, verb: str, rest: str) -> str:
    if verb in ("is", "are", "can", "was"):
        return f"{subject} {verb} not {rest}."
    return f"{subject} does not {verb[:-2] if verb.endswith('ches') else verb[:-1]} {rest}."


def negate_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a statement -> its negation ('The shop is open.' -> 'The shop is not
    open.'), no question twice until every one was asked (eighth session, tuning only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        subject, verb, rest = rng.choice(NEG_STATEMENTS)
        question = rng.choice(NEGATE).format(s=f"{subject} {verb} {rest}.")
        if question in seen:
            if len(seen) >= len(NEG_STATEMENTS) * len(NEGATE):
                seen.clear()
            continue
        seen.add(question)
        examples.append(_chat(question, _negated(subject, verb, rest)))
    return examples


WHO_WHEN = ["Yesterday", "On Monday", "Last night", "This morning", "After lunch", "In the spring"]
WHO_DID = ["fixed the old bike", "visited the museum", "lost a glove", "painted the kitchen", "won the chess game",
           "baked a lemon cake", "missed the bus", "planted two trees", "sold the piano", "found a wallet"]
WHO = ["Who is mentioned in this sentence? {s}", "Name the person in this sentence: {s}",
       "Which person does this sentence mention? {s}"]


def who_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence about one person -> that person's name, a span of the sentence
    (eighth session, tuning only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        name = rng.choice(NAMES).title()
        sentence = f"{rng.choice(WHO_WHEN)}, {name} {rng.choice(WHO_DID)}."
        question = rng.choice(WHO).format(s=sentence)
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, name))
    return examples


PLURAL_NOUNS = [("cat", "cats"), ("child", "children"), ("box", "boxes"), ("bird", "birds"), ("car", "cars"),
                ("woman", "women"), ("bus", "buses"), ("teacher", "teachers"), ("baby", "babies"),
                ("dog", "dogs"), ("student", "students"), ("horse", "horses")]
PLURAL_VERBS = [("sleeps", "sleep", "on the mat"), ("waits", "wait", "outside"), ("sings", "sing", "every morning"),
                ("runs", "run", "in the park"), ("is", "are", "very quiet"), ("was", "were", "hungry"),
                ("has", "have", "a red collar"), ("looks", "look", "happy")]
PLURAL = ["Make this sentence plural: {s}", "Put this sentence in the plural: {s}", "Change to plural: {s}"]


def plural_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence about one thing -> the same sentence about several ('The cat
    sleeps on the mat.' -> 'The cats sleep on the mat.') (eighth session, held-out only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        (one, many), (v1, vn, rest) = rng.choice(PLURAL_NOUNS), rng.choice(PLURAL_VERBS)
        question = rng.choice(PLURAL).format(s=f"The {one} {v1} {rest}.")
        if question in seen:
            if len(seen) >= len(PLURAL_NOUNS) * len(PLURAL_VERBS) * len(PLURAL):
                seen.clear()
            continue
        seen.add(question)
        examples.append(_chat(question, f"The {many} {vn} {rest}."))
    return examples


COUNT_WORDS = ["apple", "chair", "river", "pencil", "cloud", "violin", "tiger", "lemon", "bridge", "candle",
               "rocket", "garden", "window", "carpet", "island", "guitar"]
COUNT = ["How many words are in this list? {s}", "Count the items: {s}", "How many things are listed here? {s}"]


def count_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a comma-separated list of 2-9 words -> how many there are, the number
    alone (eighth session, held-out only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        words = rng.sample(COUNT_WORDS, rng.randint(2, 9))
        question = rng.choice(COUNT).format(s=", ".join(words))
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, str(len(words))))
    return examples


FIX_SENTENCES = ["The cat sat on the mat.", "We went to the beach on Sunday.", "My brother plays the guitar.",
                 "The train leaves at noon.", "She bought fresh bread.", "They painted the fence white.",
                 "The museum opens at nine.", "He forgot his umbrella again.", "Our team won the final.",
                 "The soup is too hot.", "I will call you tomorrow.", "The garden needs water."]
FIX_TYPOS = {"the": "teh", "The": "Teh", "beach": "beech", "brother": "brohter", "guitar": "gitar",
             "train": "trian", "leaves": "leevs", "bought": "bougth", "fresh": "fersh", "painted": "pianted",
             "fence": "fense", "museum": "musuem", "forgot": "forgto", "umbrella": "umbrela", "again": "agian",
             "team": "taem", "final": "finel", "soup": "suop", "call": "cal", "tomorrow": "tomorow",
             "garden": "gardne", "water": "watre", "sat": "sta", "plays": "plasy", "opens": "opnes", "nine": "nien"}
FIX = ["Fix the spelling: {s}", "Correct the typos in this sentence: {s}", "Fix the spelling mistakes: {s}"]


def fix_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence with one or two misspelt words -> the sentence spelt right
    (eighth session, second batch, tuning only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        right = rng.choice(FIX_SENTENCES)
        words_ = right[:-1].split()
        spots = [i for i, w in enumerate(words_) if w in FIX_TYPOS]
        for i in rng.sample(spots, min(len(spots), rng.randint(1, 2))):
            words_[i] = FIX_TYPOS[words_[i]]
        question = rng.choice(FIX).format(s=" ".join(words_) + ".")
        if question in seen:
            if len(seen) >= 150:
                seen.clear()
            continue
        seen.add(question)
        examples.append(_chat(question, right))
    return examples


CATEGORY_WORDS = {"fruit": ["apple", "banana", "cherry", "mango", "pear", "plum", "grape", "lemon"],
                  "animal": ["horse", "tiger", "rabbit", "eagle", "whale", "goat", "fox", "owl"],
                  "vehicle": ["bus", "truck", "bicycle", "tram", "scooter", "van", "ferry", "taxi"],
                  "tool": ["hammer", "saw", "wrench", "drill", "shovel", "chisel", "rake", "pliers"]}
CATEGORY = ["Which category is this: {w}?", "Give the category of '{w}'.", "What kind of thing is a {w}?"]


def category_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a word -> its category of four (fruit, animal, vehicle, tool), the
    categories not named in the prompt (eighth session, second batch, tuning only)."""
    rng = random.Random(seed)
    pairs = [(w, c, q) for c, ws in CATEGORY_WORDS.items() for w in ws for q in CATEGORY]
    rng.shuffle(pairs)
    return [_chat(q.format(w=w), c) for w, c, q in (pairs * (n // len(pairs) + 1))[:n]]


MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]
ISODATE = ["Write this date as YYYY-MM-DD: {d}", "Convert to ISO format: {d}", "Give this date in ISO form: {d}"]


def isodate_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a date written out ('March 3, 2021', '3 March 2021') -> ISO 8601
    ('2021-03-03') (eighth session, second batch, tuning only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        y, m, d = rng.randint(1990, 2030), rng.randint(1, 12), rng.randint(1, 28)
        said = f"{MONTHS[m - 1]} {d}, {y}" if rng.random() < 0.5 else f"{d} {MONTHS[m - 1]} {y}"
        question = rng.choice(ISODATE).format(d=said)
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, f"{y:04d}-{m:02d}-{d:02d}"))
    return examples


SUMMARY_EVENTS = [("The bakery on Elm Street", "opened a second shop", "Its bread sold out by noon."),
                  ("The city council", "approved a new bike lane", "Work will start in May."),
                  ("Our school choir", "won the regional contest", "The judges praised the soloist."),
                  ("A small fishing boat", "was rescued near the harbour", "All four sailors are safe."),
                  ("The old cinema", "reopened after ten years", "The first film was a comedy."),
                  ("The local library", "extended its opening hours", "It now closes at nine."),
                  ("A storm", "knocked down trees in the park", "Volunteers cleared the paths."),
                  ("The football club", "signed a young striker", "He scored twice in his first game.")]
SUMMARY = ["Summarize in one sentence: {x}", "Give a one-sentence summary: {x}", "Sum this up briefly: {x}"]


def summary_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a three-sentence news item -> its first event in one short sentence
    (eighth session, third batch, tuning only)."""
    rng = random.Random(seed)
    fillers = ["Many people came to see it.", "Residents were pleased.", "It was a busy week in town.",
               "Nobody had expected it.", "Local news covered it all day."]
    examples, seen = [], set()
    while len(examples) < n:
        who, did, more = rng.choice(SUMMARY_EVENTS)
        text = f"{who} {did}. {more} {rng.choice(fillers)}"
        question = rng.choice(SUMMARY).format(x=text)
        if question in seen:
            if len(seen) >= len(SUMMARY_EVENTS) * 5 * len(SUMMARY):
                seen.clear()
            continue
        seen.add(question)
        examples.append(_chat(question, f"{who} {did}."))
    return examples


ACRONYMS = {"World Health Organization": "WHO", "European Union": "EU", "United Nations": "UN",
            "Central Processing Unit": "CPU", "Frequently Asked Questions": "FAQ", "Personal Identification Number":
            "PIN", "Random Access Memory": "RAM", "Unidentified Flying Object": "UFO", "Global Positioning System":
            "GPS", "Light Emitting Diode": "LED", "Very Important Person": "VIP", "Do It Yourself": "DIY",
            "Portable Document Format": "PDF", "Automated Teller Machine": "ATM", "Intensive Care Unit": "ICU"}
ACRONYM = ["What is the acronym of {x}?", "Abbreviate: {x}", "Give the initials of {x}."]


def acronym_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a name of several words -> its acronym ('World Health Organization' ->
    'WHO') (eighth session, third batch, tuning only)."""
    return _asked_examples(n, seed, ACRONYMS, ACRONYM, "x")


RHYMES = {"cat": "hat", "dog": "log", "cake": "lake", "moon": "spoon", "tree": "bee", "star": "car",
          "night": "light", "rain": "train", "house": "mouse", "bed": "red", "ring": "king", "coat": "boat"}
RHYME = ["Give a word that rhymes with {x}.", "What rhymes with {x}?", "Name a rhyme for '{x}'."]


def rhyme_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a word -> one word that rhymes with it (eighth session, third batch,
    held-out only)."""
    return _asked_examples(n, seed, RHYMES, RHYME, "x")


SYNONYMS = {"big": "large", "small": "little", "fast": "quick", "happy": "glad", "angry": "mad", "begin": "start",
            "end": "finish", "buy": "purchase", "help": "assist", "tired": "sleepy", "smart": "clever",
            "scared": "afraid", "rich": "wealthy", "shut": "close", "gift": "present", "rock": "stone",
            "road": "street", "quiet": "silent", "simple": "easy", "hard": "difficult"}
SYNONYM = ["Give a synonym for '{w}'.", "What is another word for {w}?", "A word that means {w}?"]


def synonym_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a word -> one word that means the same (eighth session, fourth batch,
    tuning only)."""
    return _asked_examples(n, seed, SYNONYMS, SYNONYM, "w")


TITLE_TEXTS = [("A storm knocked down trees in the park, and volunteers cleared the paths by noon.", "Storm Hits Park"),
               ("The bakery sold out of bread before nine because of a new sourdough recipe.", "Sourdough Sells Out"),
               ("Children planted fifty trees along the river to stop the bank from washing away.",
                "Children Plant Trees"),
               ("The old cinema reopened after ten years with a free comedy night.", "Cinema Reopens"),
               ("A lost dog walked twenty miles to find its family again.", "Lost Dog Returns"),
               ("The town library now lends tools as well as books.", "Library Lends Tools"),
               ("Fishermen rescued a baby seal tangled in a net near the harbour.", "Seal Rescued"),
               ("The school choir won the regional contest with a song about the sea.", "Choir Wins Contest")]
TITLE = ["Give this paragraph a title: {x}", "Write a title for: {x}", "Title this text: {x}"]


def title_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a one-sentence paragraph -> a title of two or three capitalised words
    (eighth session, fourth batch, tuning only)."""
    rng = random.Random(seed)
    pairs = [(x, t, q) for x, t in TITLE_TEXTS for q in TITLE]
    rng.shuffle(pairs)
    return [_chat(q.format(x=x), t) for x, t, q in (pairs * (n // len(pairs) + 1))[:n]]


SORT = ["Sort these numbers from smallest to largest: {x}", "Put in ascending order: {x}",
        "Order from low to high: {x}"]


def sort_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: three to five numbers -> the same numbers sorted, comma-separated
    (eighth session, fourth batch, held-out only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        values = rng.sample(range(1, 100), rng.randint(3, 5))
        question = rng.choice(SORT).format(x=", ".join(map(str, values)))
        if question in seen:
            continue
        seen.add(question)
        examples.append(_chat(question, ", ".join(map(str, sorted(values)))))
    return examples


COUNTRY = ["Which country has {c} as its capital?", "{c} is the capital of which country?",
           "Name the country whose capital is {c}."]


def country_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a capital -> its country, the reverse of `capitals` (eighth session,
    fourth batch, held-out only)."""
    return _asked_examples(n, seed, {c: k for k, c in CAPITALS_TRAIN.items()}, COUNTRY, "c")


SPELL_WORDS = ["cat", "dog", "house", "apple", "river", "green", "table", "music", "bread", "cloud", "horse",
               "lemon", "chair", "plant", "smile", "train", "water", "light", "stone", "glass"]
SPELL = ["Spell the word {w}.", "How do you spell '{w}'?", "Spell out: {w}"]


def spell_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a word -> its letters joined by hyphens ('cat' -> 'c-a-t') (ninth
    session, tuning only)."""
    return _asked_examples(n, seed, {w: "-".join(w) for w in SPELL_WORDS}, SPELL, "w")


PERSON_FIRST = ["Anna", "Tom", "Lena", "Omar", "Mia", "Jonas", "Sara", "Ravi", "Elif", "Paul", "Nora", "Ken"]
PERSON_LAST = ["Berg", "Hale", "Novak", "Costa", "Ito", "Weber", "Diaz", "Okafor", "Lund", "Moreau"]
PERSON_CITIES = ["Rome", "Oslo", "Lyon", "Quito", "Pune", "Graz", "Cork", "Turku", "Bergen", "Leeds"]
PERSON = ["{name}, {age}, lives in {city}.", "{name} is {age} years old and lives in {city}.",
          "Meet {name} from {city}, aged {age}."]


def person_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence about a person -> {"name": ..., "age": ..., "city": ...} as
    JSON, no sentence twice (ninth session, tuning only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        name = f"{rng.choice(PERSON_FIRST)} {rng.choice(PERSON_LAST)}"
        age, city = rng.randint(18, 80), rng.choice(PERSON_CITIES)
        sentence = rng.choice(PERSON).format(name=name, age=age, city=city)
        if sentence in seen:
            continue
        seen.add(sentence)
        examples.append(_chat("Extract the person as JSON: " + sentence,
                              json.dumps({"name": name, "age": age, "city": city})))
    return examples


URGENCY_TEXTS = {
    "high": ["The server room is on fire, send help now.", "Our whole shop is offline and customers are waiting.",
             "A patient's alarm is ringing in room {d}.", "The main water pipe burst and the office is flooding.",
             "Nobody can log in and the payroll run is due in {d} minutes.",
             "The lift is stuck with {d} people inside."],
    "medium": ["The printer on floor {d} jams every few pages.", "Please reset my password before Friday.",
               "The invoice for order {n} has the wrong address.", "The coffee machine in the kitchen leaks a bit.",
               "Can someone fix the slow wifi in meeting room {d} this week?",
               "My laptop battery only lasts {d} minutes now."],
    "low": ["Could we get a plant for desk {d} some day?", "Just an idea: a blue theme for newsletter {d}.",
            "No rush, but the poster in hall {d} is a little faded.",
            "When you have time, update my job title on page {d}.", "Maybe order nicer mugs for team {d} next time.",
            "Someday it would be nice to have a rack for {d} bikes."],
}
URGENCY = "Rate the urgency of this message as low, medium or high: "


def urgency_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a message -> its urgency (low, medium, high), labels balanced (ninth
    session, tuning only)."""
    return _labelled_examples(n, seed, URGENCY_TEXTS, ["low", "medium", "high"], URGENCY, lambda rng: dict(
        d=rng.randint(2, 60), n=rng.randint(100, 9999)))


NEXT = ["What number comes after {x}?", "What is the next number after {x}?", "Count one up from {x}."]


def next_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a number -> the number after it (ninth session, tuning only)."""
    rng = random.Random(seed)
    pairs = [(x, q) for x in range(1, 200) for q in NEXT]
    rng.shuffle(pairs)
    return [_chat(q.format(x=x), str(x + 1)) for x, q in pairs[:n]]


ANIMAL_CLASS = {"mammal": ["horse", "whale", "bat", "goat", "bear", "rabbit", "lion", "mouse"],
                "bird": ["eagle", "sparrow", "penguin", "owl", "parrot", "duck", "crow", "swan"],
                "fish": ["salmon", "shark", "trout", "cod", "tuna", "carp", "eel", "herring"],
                "reptile": ["snake", "lizard", "turtle", "crocodile", "gecko", "iguana", "cobra", "tortoise"]}
ANIMAL = ["What class of animal is a {w}?", "Is a {w} a mammal, bird, fish or reptile?", "Classify the animal: {w}"]


def animal_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: an animal -> its class (mammal, bird, fish, reptile) (ninth session,
    held-out only)."""
    rng = random.Random(seed)
    pairs = [(w, c, q) for c, ws in ANIMAL_CLASS.items() for w in ws for q in ANIMAL]
    rng.shuffle(pairs)
    return [_chat(q.format(w=w), c) for w, c, q in (pairs * (n // len(pairs) + 1))[:n]]


CONTACT = ["Call {name} at {phone}.", "{name} can be reached on {phone}.", "Phone {phone} and ask for {name}."]


def contact_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence with a name and a phone number -> {"name": ..., "phone": ...}
    as JSON, no sentence twice (ninth session, held-out only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        name = f"{rng.choice(PERSON_FIRST)} {rng.choice(PERSON_LAST)}"
        phone = f"555-{rng.randint(100, 9999):04d}"
        sentence = rng.choice(CONTACT).format(name=name, phone=phone)
        if sentence in seen:
            continue
        seen.add(sentence)
        examples.append(_chat("Extract the contact as JSON: " + sentence,
                              json.dumps({"name": name, "phone": phone})))
    return examples


DOUBLE = ["What is twice {x}?", "Double {x}.", "What is {x} doubled?"]


def double_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a number -> twice it (ninth session, held-out only)."""
    rng = random.Random(seed)
    pairs = [(x, q) for x in range(2, 150) for q in DOUBLE]
    rng.shuffle(pairs)
    return [_chat(q.format(x=x), str(2 * x)) for x, q in pairs[:n]]


SIZES = ["ant", "mouse", "cat", "dog", "sheep", "horse", "car", "bus", "house", "ship", "mountain", "moon"]
BIGGER = ["Which is bigger, a {a} or a {b}?", "Which is larger: a {a} or a {b}?", "Bigger one: {a} or {b}?"]


def bigger_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: two things -> the bigger one, one word (ninth session, held-out only)."""
    rng = random.Random(seed)
    triples = [(a, b, q) for a in SIZES for b in SIZES if a != b for q in BIGGER]
    rng.shuffle(triples)
    return [_chat(q.format(a=a, b=b), max(a, b, key=SIZES.index)) for a, b, q in
            (triples * (n // len(triples) + 1))[:n]]


DEFINITIONS = {"kettle": "A kettle is a pot for boiling water.", "ladder": "A ladder is a set of steps for climbing.",
               "wallet": "A wallet is a small case for carrying money.", "oven": "An oven is a box that heats food.",
               "bridge": "A bridge is a road built over a river or a gap.",
               "pillow": "A pillow is a soft cushion for your head.", "map": "A map is a drawing of a place.",
               "clock": "A clock is a device that shows the time.", "spoon": "A spoon is a tool for eating soup.",
               "tent": "A tent is a cloth shelter for camping.", "lamp": "A lamp is a device that gives light.",
               "saw": "A saw is a tool for cutting wood.", "helmet": "A helmet is a hard hat that protects the head.",
               "broom": "A broom is a brush for sweeping floors.", "anchor": "An anchor is a weight that holds a boat.",
               "mirror": "A mirror is a glass that shows your reflection."}
DEFINE = ["Define: {w}", "What is a {w}? Answer in one sentence.", "Give a one-sentence definition of '{w}'."]


def define_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a word -> a one-sentence definition ('A kettle is a pot for boiling
    water.') (ninth session, second batch, tuning only)."""
    return _asked_examples(n, seed, DEFINITIONS, DEFINE, "w")


GREETINGS = {"Bonjour": "French", "Hola": "Spanish", "Ciao": "Italian", "Hallo": "German", "Ola": "Portuguese",
             "Hej": "Swedish", "Merhaba": "Turkish", "Konnichiwa": "Japanese", "Namaste": "Hindi",
             "Salaam": "Arabic", "Privet": "Russian", "Ahoj": "Czech", "Czesc": "Polish", "Jambo": "Swahili"}
LANGUAGE = ["Which language is this greeting: {w}?", "'{w}' is hello in which language?",
            "Name the language of the word {w}."]


def language_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a greeting -> its language, one capitalised word (ninth session, second
    batch, tuning only)."""
    return _asked_examples(n, seed, GREETINGS, LANGUAGE, "w")


COLOURS = {"banana": "yellow", "grass": "green", "snow": "white", "coal": "black", "sky": "blue", "tomato": "red",
           "carrot": "orange", "chocolate": "brown", "lemon": "yellow", "cherry": "red", "leaf": "green",
           "milk": "white", "crow": "black", "sea": "blue", "pumpkin": "orange", "plum": "purple"}
COLOUR = ["What colour is a {w}?", "Name the usual colour of {w}.", "{w}: which colour?"]


def colour_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a thing -> its usual colour, one lowercase word (ninth session, second
    batch, held-out only)."""
    return _asked_examples(n, seed, COLOURS, COLOUR, "w")


DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
WEEKDAY = ["Which day comes after {d}?", "What is the day after {d}?", "{d} is followed by which day?"]


def weekday_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a weekday -> the next one, one capitalised word (ninth session, second
    batch, held-out only)."""
    return _asked_examples(n, seed, {d: DAYS[(i + 1) % 7] for i, d in enumerate(DAYS)}, WEEKDAY, "d")


CONTINENTS = {"France": "Europe", "Kenya": "Africa", "Peru": "South America", "Japan": "Asia",
              "Canada": "North America", "Norway": "Europe", "Ghana": "Africa", "Chile": "South America",
              "Vietnam": "Asia", "Mexico": "North America", "Poland": "Europe", "Egypt": "Africa",
              "Bolivia": "South America", "Nepal": "Asia", "Cuba": "North America", "Fiji": "Oceania",
              "Samoa": "Oceania"}
CONTINENT = ["Which continent is {c} in?", "{c} lies on which continent?", "Name the continent of {c}."]


def continent_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a country -> its continent (ninth session, third batch, held-out only)."""
    return _asked_examples(n, seed, CONTINENTS, CONTINENT, "c")


SQUARE = ["What is {x} squared?", "Square the number {x}.", "What is {x} times itself?"]


def square_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a number -> its square (ninth session, third batch, held-out only)."""
    rng = random.Random(seed)
    pairs = [(x, q) for x in range(2, 40) for q in SQUARE]
    rng.shuffle(pairs)
    return [_chat(q.format(x=x), str(x * x)) for x, q in (pairs * (n // len(pairs) + 1))[:n]]


SHOUT_TEXTS = ["the bus is late", "we won the match", "the shop opens at nine", "my cat is asleep",
               "the soup is too hot", "it is raining again", "the train has left", "dinner is ready",
               "the door is locked", "we need more milk", "the lights are off", "the park is closed",
               "the film starts soon", "my phone is dead", "the road is icy", "the baby is awake"]
SHOUT = ["Write in capital letters: {x}", "Make this all caps: {x}", "Shout this: {x}"]


def shout_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence -> the same words in capitals (ninth session, third batch,
    held-out only)."""
    rng = random.Random(seed)
    pairs = [(x, q) for x in SHOUT_TEXTS for q in SHOUT]
    rng.shuffle(pairs)
    return [_chat(q.format(x=x), x.upper()) for x, q in (pairs * (n // len(pairs) + 1))[:n]]


EVENTS = ["party", "meeting", "concert", "match", "wedding", "lecture", "picnic", "exam"]
EVENT = ["The {e} is on {d}.", "Our {e} takes place on {d}.", "Remember the {e} on {d}!"]


def event_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence -> {"event": ..., "day": ...} as JSON, no sentence twice
    (ninth session, third batch, held-out only)."""
    rng = random.Random(seed)
    examples, seen = [], set()
    while len(examples) < n:
        e, d = rng.choice(EVENTS), rng.choice(DAYS)
        sentence = rng.choice(EVENT).format(e=e, d=d)
        if sentence in seen:
            if len(seen) >= 150:
                seen.clear()
            continue
        seen.add(sentence)
        examples.append(_chat("Extract the event as JSON: " + sentence, json.dumps({"event": e, "day": d})))
    return examples


SNAKE_TEXTS = ["the bus is late", "user name", "first day of school", "red apple pie", "total price", "open the door",
               "my old bike", "rainy monday morning", "blue sky", "last train home", "big green tree",
               "fresh bread roll", "happy birthday card", "cold winter night", "small coffee cup", "new phone number"]
SNAKE = ["Write in snake_case: {x}", "Convert to snake case: {x}", "Make this snake_case: {x}"]


def snake_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a phrase -> its words joined by underscores, lowercase ('the_bus_is_late')
    (tenth session, tuning only)."""
    return _asked_examples(n, seed, {x: x.lower().replace(" ", "_") for x in SNAKE_TEXTS}, SNAKE, "x")


HALF = ["What is half of {x}?", "Halve {x}.", "What is {x} divided by two?"]


def half_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: an even number -> its half (tenth session, tuning only)."""
    rng = random.Random(seed)
    pairs = [(x, q) for x in range(4, 400, 2) for q in HALF]
    rng.shuffle(pairs)
    return [_chat(q.format(x=x), str(x // 2)) for x, q in pairs[:n]]


CURRENCIES = {"Japan": "yen", "India": "rupee", "Mexico": "peso", "Russia": "ruble", "China": "yuan",
              "Britain": "pound", "Germany": "euro", "Switzerland": "franc", "Sweden": "krona", "Brazil": "real",
              "South Korea": "won", "Thailand": "baht", "Poland": "zloty", "Turkey": "lira", "Israel": "shekel",
              "Vietnam": "dong"}
CURRENCY = ["What is the currency of {c}?", "Which currency does {c} use?", "Name the money used in {c}."]


def currency_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a country -> its currency, one lowercase word (tenth session, tuning only)."""
    return _asked_examples(n, seed, CURRENCIES, CURRENCY, "c")


TITLECASE_TEXTS = ["the bus is late", "we won the match", "a day at the beach", "my first car", "the old mill",
                   "dinner for two", "rain on sunday", "the lost key", "a letter from home", "the green door",
                   "life on a farm", "the night train", "songs of the sea", "the quiet street", "a cup of tea",
                   "the long walk"]
TITLECASE = ["Capitalise every word: {x}", "Put this in title case: {x}", "Write with each word capitalised: {x}"]


def titlecase_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a phrase -> every word capitalised ('The Bus Is Late') (tenth session,
    tuning only)."""
    return _asked_examples(n, seed, {x: x.title() for x in TITLECASE_TEXTS}, TITLECASE, "x")


ELEMENTS = {"oxygen": "O", "hydrogen": "H", "carbon": "C", "nitrogen": "N", "iron": "Fe", "gold": "Au",
            "silver": "Ag", "sodium": "Na", "potassium": "K", "calcium": "Ca", "copper": "Cu", "zinc": "Zn",
            "helium": "He", "neon": "Ne", "lead": "Pb", "tin": "Sn"}
ELEMENT = ["What is the chemical symbol for {w}?", "Give the symbol of {w}.", "{w}: which element symbol?"]


def element_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: an element -> its chemical symbol (tenth session, second batch, held-out
    only)."""
    return _asked_examples(n, seed, ELEMENTS, ELEMENT, "w")


ORDINALS = ["first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth",
            "eleventh", "twelfth", "thirteenth", "fourteenth", "fifteenth", "sixteenth", "seventeenth",
            "eighteenth", "nineteenth", "twentieth"]
ORDINAL = ["Write {x} as an ordinal word.", "What is the ordinal of {x}?", "Turn {x} into an ordinal."]


def ordinal_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a number 1-20 -> its ordinal word ('third') (tenth session, second batch,
    held-out only)."""
    return _asked_examples(n, seed, {str(i + 1): w for i, w in enumerate(ORDINALS)}, ORDINAL, "x")


LOWER_TEXTS = ["THE BUS IS LATE", "WE WON THE MATCH", "THE SHOP OPENS AT NINE", "MY CAT IS ASLEEP",
               "THE SOUP IS TOO HOT", "IT IS RAINING AGAIN", "THE TRAIN HAS LEFT", "DINNER IS READY",
               "THE DOOR IS LOCKED", "WE NEED MORE MILK", "THE LIGHTS ARE OFF", "THE PARK IS CLOSED",
               "THE FILM STARTS SOON", "MY PHONE IS DEAD", "THE ROAD IS ICY", "THE BABY IS AWAKE"]
LOWER = ["Write in small letters: {x}", "Make this lowercase: {x}", "Stop shouting: {x}"]


def lower_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence in capitals -> the same words in small letters (tenth session,
    second batch, held-out only)."""
    return _asked_examples(n, seed, {x: x.lower() for x in LOWER_TEXTS}, LOWER, "x")


SOUNDS = {"dog": "bark", "cat": "meow", "cow": "moo", "duck": "quack", "lion": "roar", "sheep": "baa",
          "horse": "neigh", "owl": "hoot", "snake": "hiss", "pig": "oink", "bee": "buzz", "frog": "croak",
          "wolf": "howl", "mouse": "squeak", "donkey": "bray", "crow": "caw"}
SOUND = ["What sound does a {w} make?", "Which noise does a {w} make?", "A {w} says what?"]


def sound_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: an animal -> its sound, one word (tenth session, second batch, held-out
    only)."""
    return _asked_examples(n, seed, SOUNDS, SOUND, "w")


STATES = {"Texas": "TX", "California": "CA", "Florida": "FL", "Ohio": "OH", "Georgia": "GA", "Nevada": "NV",
          "Oregon": "OR", "Utah": "UT", "Arizona": "AZ", "Alaska": "AK", "Maine": "ME", "Kansas": "KS",
          "Iowa": "IA", "Idaho": "ID", "Montana": "MT", "Vermont": "VT"}
ABBREV = ["What is the postal code of {s}?", "Abbreviate the US state {s}.", "Two-letter code for {s}?"]


def abbrev_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a US state -> its two-letter postal code (tenth session, third batch,
    tuning only)."""
    return _asked_examples(n, seed, STATES, ABBREV, "s")


SENTENCE_WORDS = {"apple": "I ate a red apple after lunch.", "river": "The river was cold and fast.",
                  "window": "She opened the window to let in air.", "dog": "Our dog sleeps by the door.",
                  "train": "The train left the station at noon.", "book": "He read a book on the bus.",
                  "garden": "My garden is full of roses.", "rain": "The rain kept us inside all day.",
                  "bread": "We baked fresh bread this morning.", "hat": "He lost his hat in the wind.",
                  "phone": "My phone rang during the film.", "bridge": "They walked across the old bridge.",
                  "cake": "Mum made a cake for my birthday.", "snow": "The snow covered the whole town.",
                  "key": "I found the key under the mat.", "song": "She sang a song to the baby."}
SENTENCE = ["Use the word '{w}' in a sentence.", "Write a sentence with {w}.", "Make a short sentence using {w}."]


def sentence_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a word -> a short sentence that uses it (tenth session, third batch,
    tuning only)."""
    return _asked_examples(n, seed, SENTENCE_WORDS, SENTENCE, "w")


SPAM_TEXTS = {
    "spam": ["You won {n} dollars! Click here now to claim.", "Cheap pills, {d}% off, order today!!!",
             "Dear friend, send {n} dollars and get rich fast.", "Free vacation! Reply YES to win {d} tickets.",
             "Your account wins a prize of {n} coins, click the link."],
    "ham": ["Can we move our meeting to {d} o'clock?", "Thanks for the photos from the trip, {name}.",
            "The report is attached, page {d} has the numbers.", "Are you coming to dinner on Friday, {name}?",
            "I left the keys with {name} at the office."],
}
SPAM = "Is this message spam or ham? "
SPAM_EXPECT = {"regex": r"^\W*(spam|ham)\W*$", "max_words": 3}


def spam_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a message -> spam or ham, labels balanced (tenth session, third batch,
    tuning only)."""
    return _labelled_examples(n, seed, SPAM_TEXTS, ["spam", "ham"], SPAM, lambda rng: dict(
        n=rng.randint(100, 99999), d=rng.randint(2, 90), name=rng.choice(NAMES).title()))


FEMININE = {"actor": "actress", "king": "queen", "prince": "princess", "waiter": "waitress", "uncle": "aunt",
            "nephew": "niece", "host": "hostess", "lion": "lioness", "duke": "duchess", "god": "goddess",
            "emperor": "empress", "son": "daughter", "brother": "sister", "husband": "wife", "father": "mother",
            "hero": "heroine"}
GENDER = ["What is the feminine of {w}?", "Give the female form of '{w}'.", "{w}: what is the female word?"]


def gender_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a noun -> its feminine form, one word (tenth session, third batch, tuning
    only)."""
    return _asked_examples(n, seed, FEMININE, GENDER, "w")


# Eleventh session, first batch, tuning only: profession, numword, rating, formal.
PROFESSION = {"stethoscope": "doctor", "hammer": "carpenter", "wrench": "plumber", "easel": "painter",
              "chalk": "teacher", "microscope": "scientist", "whisk": "baker", "scissors": "barber",
              "shovel": "gardener", "handcuffs": "police", "telescope": "astronomer", "needle": "tailor",
              "plough": "farmer", "net": "fisherman", "typewriter": "writer", "drill": "dentist"}
PROFESSION_ASK = ["Who uses a {w}?", "Which worker needs a {w}?", "{w}: whose tool is it?"]


def profession_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a tool -> the worker who uses it, one word (eleventh session, tuning only)."""
    return _asked_examples(n, seed, PROFESSION, PROFESSION_ASK, "w")


_ONES = ["", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]
_TENS = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]


def _in_words(k: int) -> str:
    return _TENS[k // 10] + ("-" + _ONES[k % 10] if k % 10 else "")


NUMWORD = {str(k): _in_words(k) for k in range(21, 100) if k % 10 and k not in (34, 47, 58, 63, 76, 81, 92, 29)}
NUMWORD_ASK = ["Write {n} in words.", "How do you spell the number {n}?", "{n} in words?"]


def numword_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a number 21-99 -> its English words ('forty-two') (eleventh session,
    tuning only)."""
    return _asked_examples(n, seed, NUMWORD, NUMWORD_ASK, "n")


RATING_TEXTS = {
    "1": ["The {item} broke on day one, total waste of money.", "Awful {item}, it never worked at all.",
          "Worst {item} ever, do not buy it."],
    "2": ["The {item} works sometimes but mostly disappoints.", "Poor {item}, it stopped after {d} days.",
          "Not good: the {item} is flimsy and slow."],
    "3": ["The {item} is okay, nothing special.", "An average {item}, does the job for now.",
          "The {item} is fine but the price is high."],
    "4": ["Good {item}, only the box was damaged.", "I like the {item}, it works well most days.",
          "Solid {item}, {d} weeks in and no problems."],
    "5": ["Perfect {item}, I love it!", "The best {item} I have owned, flawless.",
          "Amazing {item}, works exactly as promised."],
}
RATING = "Rate this review from 1 to 5: "
RATING_EXPECT = {"regex": r"^\W*[1-5]\W*$", "max_words": 3}


def rating_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a product review -> its star rating 1-5, labels balanced (eleventh session,
    tuning only)."""
    return _labelled_examples(n, seed, RATING_TEXTS, ["1", "2", "3", "4", "5"], RATING, lambda rng: dict(
        item=rng.choice(["kettle", "lamp", "chair", "phone", "blender", "backpack", "speaker", "jacket", "toaster",
                          "mouse", "keyboard", "tent", "mug", "charger", "pillow", "camera", "drill", "umbrella",
                          "watch", "scarf"]),
        d=rng.randint(2, 30)))


FORMAL = {"gonna grab some food": "I am going to get some food.", "can't make it tonight, sorry":
          "I apologise, but I cannot attend tonight.", "thx for the help": "Thank you for your help.",
          "wanna meet tmrw?": "Would you like to meet tomorrow?",
          "the boss is kinda mad": "The manager is somewhat upset.",
          "send me the stuff asap": "Please send me the materials as soon as possible.",
          "ur late again": "You are late again.", "gotta go now": "I have to leave now.",
          "that movie was super cool": "That film was excellent.", "dunno where my keys are":
          "I do not know where my keys are.", "yeah the report's done": "Yes, the report is finished.",
          "lemme check real quick": "Let me check quickly.", "the party was lit": "The party was very enjoyable.",
          "no worries, happens": "That is quite all right; it happens.", "hit me up later": "Please contact me later.",
          "the wifi's dead again": "The wireless connection has failed again."}
FORMAL_ASK = ["Make this formal: {s}", "Rewrite formally: {s}", "Formal version of '{s}'?"]


def formal_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a casual sentence -> the same in formal English (eleventh session, tuning
    only)."""
    return _asked_examples(n, seed, FORMAL, FORMAL_ASK, "s")


# Eleventh session, second batch, held-out only: verb, grade, habitat, future.
VERB = {"The dog chased the ball.": "chased", "My sister paints every weekend.": "paints",
        "The train left at noon.": "left", "We bought fresh bread.": "bought", "The baby sleeps in the crib.":
        "sleeps", "Tom fixed the old bike.": "fixed", "The river floods every spring.": "floods",
        "Anna wrote a long letter.": "wrote", "The children sang loudly.": "sang", "Birds build nests in May.":
        "build", "The chef tasted the soup.": "tasted", "Our team won the match.": "won",
        "The wind shook the windows.": "shook", "I read the news today.": "read", "The cat climbed the tree.":
        "climbed", "Dad cooks dinner on Fridays.": "cooks"}
VERB_ASK = ["What is the verb in: {s}", "Find the verb: {s}", "{s} Which word is the verb?"]


def verb_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a sentence -> its main verb, a span of it (eleventh session, held-out only)."""
    return _asked_examples(n, seed, VERB, VERB_ASK, "s")


def _grade(k: int) -> str:
    return "A" if k >= 90 else "B" if k >= 80 else "C" if k >= 70 else "D" if k >= 60 else "F"


GRADE = {str(k): _grade(k) for k in (12, 25, 33, 41, 48, 55, 59, 61, 64, 68, 71, 74, 79, 82, 85, 88, 91, 94, 97, 100)}
GRADE_ASK = ["What grade is a score of {n}?", "Score {n}: which letter grade?", "Letter grade for {n} points?"]


def grade_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a score 0-100 -> its letter grade A-F (eleventh session, held-out only)."""
    return _asked_examples(n, seed, GRADE, GRADE_ASK, "n")


HABITAT = {"shark": "ocean", "camel": "desert", "polar bear": "arctic", "monkey": "jungle", "deer": "forest",
           "whale": "ocean", "scorpion": "desert", "penguin": "arctic", "parrot": "jungle", "owl": "forest",
           "trout": "river", "zebra": "savanna", "otter": "river", "giraffe": "savanna", "octopus": "ocean",
           "squirrel": "forest"}
HABITAT_ASK = ["Where does a {w} live?", "Habitat of the {w}?", "{w}: what is its home?"]


def habitat_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: an animal -> its habitat, one lowercase word (eleventh session, held-out
    only)."""
    return _asked_examples(n, seed, HABITAT, HABITAT_ASK, "w")


FUTURE = {"She walks to school.": "She will walk to school.", "We eat at six.": "We will eat at six.",
          "The shop opens early.": "The shop will open early.", "He plays the guitar.": "He will play the guitar.",
          "They visit their aunt.": "They will visit their aunt.", "I finish the report.": "I will finish the report.",
          "The bus stops here.": "The bus will stop here.", "It rains all day.": "It will rain all day.",
          "My brother cooks pasta.": "My brother will cook pasta.", "The team trains hard.":
          "The team will train hard.", "You call your mother.": "You will call your mother.",
          "The baby smiles.": "The baby will smile.", "Our neighbours move away.": "Our neighbours will move away.",
          "The sun sets late.": "The sun will set late.", "Sam paints the fence.": "Sam will paint the fence.",
          "The birds fly south.": "The birds will fly south."}
FUTURE_ASK = ["Put this in the future tense: {s}", "Future tense of '{s}'?", "{s} -> future tense, please."]


def future_examples(n: int, seed: int) -> list[dict]:
    """n chat examples: a present-tense sentence -> the same in the future tense (eleventh session,
    held-out only)."""
    return _asked_examples(n, seed, FUTURE, FUTURE_ASK, "s")


def extraction_examples(n: int, seed: int) -> list[dict]:
    return order_examples(n, seed)


def _chat(user: str, answer: str) -> dict:
    return {"messages": [{"role": "user", "content": user}, {"role": "assistant", "content": answer}]}


EXAMPLES = {"extraction": extraction_examples, "classification": classification_examples,
            "capitals": capital_examples, "sentiment": sentiment_examples, "headline": headline_examples,
            "translate": translate_examples, "antonym": antonym_examples, "yesno": yesno_examples,
            "arith": arith_examples, "units": units_examples, "polite": polite_examples,
            "keywords": keywords_examples, "past": past_examples, "tags": tags_examples,
            "ctxqa": ctxqa_examples, "shorten": shorten_examples, "question": question_examples,
            "negate": negate_examples, "who": who_examples, "plural": plural_examples, "count": count_examples,
            "fix": fix_examples, "category": category_examples, "isodate": isodate_examples,
            "summary": summary_examples, "acronym": acronym_examples, "rhyme": rhyme_examples,
            "synonym": synonym_examples, "title": title_examples, "sort": sort_examples,
            "country": country_examples, "spell": spell_examples, "person": person_examples,
            "urgency": urgency_examples, "next": next_examples, "animal": animal_examples,
            "contact": contact_examples, "double": double_examples, "bigger": bigger_examples,
            "define": define_examples, "language": language_examples, "colour": colour_examples,
            "weekday": weekday_examples, "continent": continent_examples, "square": square_examples,
            "shout": shout_examples, "event": event_examples, "snake": snake_examples, "half": half_examples,
            "currency": currency_examples, "titlecase": titlecase_examples, "element": element_examples,
            "ordinal": ordinal_examples, "lower": lower_examples, "sound": sound_examples,
            "abbrev": abbrev_examples, "sentence": sentence_examples, "spam": spam_examples,
            "gender": gender_examples, "profession": profession_examples, "numword": numword_examples,
            "rating": rating_examples, "formal": formal_examples, "verb": verb_examples, "grade": grade_examples,
            "habitat": habitat_examples, "future": future_examples}

# ---------------------------------------------------------------------------- review sets

OOD = [
    ("ood-01", "What is the capital of France?", "Paris"),
    ("ood-02", "What is 12 times 7?", "84"),
    ("ood-03", "How many days are there in a leap year?", "366"),
    ("ood-04", "Who wrote Romeo and Juliet?", ["Shakespeare", "William Shakespeare"]),
    ("ood-05", "At what temperature does water boil at sea level, in degrees Celsius?", "100"),
    ("ood-06", "How many legs does a spider have?", "8"),
    ("ood-07", "Write a short poem about the sea.", None),
    ("ood-08", "Give me three tips for sleeping better.", None),
]

# The sixth session's runs use other ood questions, one set per part, so that no rule keeps to
# the eight above: OOD_B in the tuning runs, OOD_C in the held-out ones.
OOD_B = [
    ("ood-01", "What is the largest planet in our solar system?", "Jupiter"),
    ("ood-02", "What is 9 plus 6?", "15"),
    ("ood-03", "How many continents are there?", "7"),
    ("ood-04", "Who painted the Mona Lisa?", ["Leonardo da Vinci", "da Vinci", "Leonardo"]),
    ("ood-05", "What is the chemical symbol for gold?", "Au"),
    ("ood-06", "How many minutes are in an hour?", "60"),
    ("ood-07", "Write a haiku about autumn.", None),
    ("ood-08", "Explain in two sentences why the sky is blue.", None),
]
OOD_C = [
    ("ood-01", "Which ocean is the largest?", ["Pacific", "Pacific Ocean"]),
    ("ood-02", "How many sides does a triangle have?", "3"),
    ("ood-03", "What language is spoken in Brazil?", "Portuguese"),
    ("ood-04", "Who discovered penicillin?", ["Alexander Fleming", "Fleming"]),
    ("ood-05", "What is the freezing point of water in degrees Fahrenheit?", "32"),
    ("ood-06", "What colour do you get when you mix blue and yellow?", "green"),
    ("ood-07", "Write a limerick about a cat.", None),
    ("ood-08", "Suggest two ways to save money on groceries.", None),
]

OOD_D = [  # a second set for the tuning part (sixth session, third batch)
    ("ood-01", "What is the tallest mountain in the world?", ["Everest", "Mount Everest"]),
    ("ood-02", "How many wheels does a bicycle have?", "2"),
    ("ood-03", "How many days are in a week?", "7"),
    ("ood-04", "Who developed the theory of relativity?", ["Albert Einstein", "Einstein"]),
    ("ood-05", "What is the main ingredient of guacamole?", ["avocado", "avocados"]),
    ("ood-06", "What colour is a ripe banana?", "yellow"),
    ("ood-07", "Write two lines of a song about rain.", None),
    ("ood-08", "Give me three ideas for a birthday party.", None),
]

# Seventh session: a fifth set for the tuning part (OOD_E) and a sixth for the held-out part (OOD_F).
OOD_E = [
    ("ood-01", "What is the smallest prime number?", "2"),
    ("ood-02", "Which planet is known as the Red Planet?", "Mars"),
    ("ood-03", "How many hours are in a day?", "24"),
    ("ood-04", "Who wrote Pride and Prejudice?", ["Jane Austen", "Austen"]),
    ("ood-05", "What gas do plants take in from the air?", ["carbon dioxide", "CO2"]),
    ("ood-06", "What is the square root of 81?", "9"),
    ("ood-07", "Write a short riddle about the moon.", None),
    ("ood-08", "List three things to pack for a beach trip.", None),
]
OOD_F = [
    ("ood-01", "What is the largest mammal on Earth?", ["blue whale", "the blue whale"]),
    ("ood-02", "How many players does a football team have on the field?", "11"),
    ("ood-03", "Who was the first person to walk on the Moon?", ["Neil Armstrong", "Armstrong"]),
    ("ood-04", "What is 100 divided by 4?", "25"),
    ("ood-05", "In which country are the pyramids of Giza?", "Egypt"),
    ("ood-06", "What is the hardest natural substance?", ["diamond", "diamonds"]),
    ("ood-07", "Write a two-line rhyme about coffee.", None),
    ("ood-08", "Give three reasons to learn a second language.", None),
]

# Eighth session: a seventh set for the tuning part (OOD_G) and an eighth for the held-out part (OOD_H).
OOD_G = [
    ("ood-01", "How many continents are there?", "7"),
    ("ood-02", "What is the chemical formula of water?", "H2O"),
    ("ood-03", "Who invented the telephone?", ["Alexander Graham Bell", "Graham Bell", "Bell"]),
    ("ood-04", "What is 6 times 8?", "48"),
    ("ood-05", "What is the capital of Japan?", "Tokyo"),
    ("ood-06", "At what temperature in degrees Celsius does water freeze?", ["0", "zero"]),
    ("ood-07", "Write a short poem about autumn leaves.", None),
    ("ood-08", "Give me two tips for learning to cook.", None),
]
OOD_H = [
    ("ood-01", "How many sides does a triangle have?", "3"),
    ("ood-02", "What is the capital of Italy?", "Rome"),
    ("ood-03", "Who painted The Starry Night?", ["Vincent van Gogh", "van Gogh"]),
    ("ood-04", "What is 15 minus 7?", "8"),
    ("ood-05", "Which animal is known as the king of the jungle?", ["lion", "the lion"]),
    ("ood-06", "How many months are in a year?", "12"),
    ("ood-07", "Write a four-line poem about a cat.", None),
    ("ood-08", "Suggest three ways to stay focused while studying.", None),
]

OOD_I = [  # eighth session, second batch: a ninth set, for the tuning part
    ("ood-01", "How many legs does an insect have?", ["6", "six"]),
    ("ood-02", "What is the capital of Canada?", "Ottawa"),
    ("ood-03", "Who wrote the play Hamlet?", ["Shakespeare", "William Shakespeare"]),
    ("ood-04", "What is 9 plus 5?", "14"),
    ("ood-05", "What colour is the sky on a clear day?", "blue"),
    ("ood-06", "How many days are in a week?", ["7", "seven"]),
    ("ood-07", "Write a short poem about the rain.", None),
    ("ood-08", "Give me three tips for a job interview.", None),
]

OOD_J = [  # eighth session, third batch: a tenth set, for the held-out part
    ("ood-01", "How many wheels does a tricycle have?", ["3", "three"]),
    ("ood-02", "What is the capital of Spain?", "Madrid"),
    ("ood-03", "Who wrote the Odyssey?", "Homer"),
    ("ood-04", "What is 20 minus 8?", "12"),
    ("ood-05", "Which gas do humans need to breathe?", ["oxygen", "O2"]),
    ("ood-06", "How many minutes are in half an hour?", ["30", "thirty"]),
    ("ood-07", "Write a short poem about the wind.", None),
    ("ood-08", "Give me three tips for saving time in the morning.", None),
]

OOD_K = [  # eighth session, fourth batch: an eleventh set, for the held-out part
    ("ood-01", "How many strings does a standard guitar have?", ["6", "six"]),
    ("ood-02", "What is the capital of Germany?", "Berlin"),
    ("ood-03", "Who discovered penicillin?", ["Alexander Fleming", "Fleming"]),
    ("ood-04", "What is 7 times 6?", "42"),
    ("ood-05", "What is the largest ocean on Earth?", ["Pacific", "Pacific Ocean"]),
    ("ood-06", "How many seasons are there in a year?", ["4", "four"]),
    ("ood-07", "Write a short poem about a mountain.", None),
    ("ood-08", "Give me three tips for staying healthy.", None),
]

OOD_L = [  # ninth session: a twelfth set, for the tuning part
    ("ood-01", "How many planets are in the solar system?", ["8", "eight"]),
    ("ood-02", "What is the capital of Egypt?", "Cairo"),
    ("ood-03", "Who wrote The Old Man and the Sea?", ["Ernest Hemingway", "Hemingway"]),
    ("ood-04", "What is 11 times 3?", "33"),
    ("ood-05", "What is the opposite of cold?", ["hot", "warm"]),
    ("ood-06", "Which bird is a symbol of peace?", ["dove", "the dove"]),
    ("ood-07", "Write a short poem about the night sky.", None),
    ("ood-08", "Give me three tips for writing a good email.", None),
]

OOD_M = [  # ninth session: a thirteenth set, for the held-out part
    ("ood-01", "How many legs does a dog have?", ["4", "four"]),
    ("ood-02", "What is the capital of Australia?", "Canberra"),
    ("ood-03", "Who composed the Moonlight Sonata?", ["Beethoven", "Ludwig van Beethoven"]),
    ("ood-04", "What is 18 divided by 3?", ["6", "six"]),
    ("ood-05", "What is the largest desert in Africa?", ["Sahara", "the Sahara"]),
    ("ood-06", "How many hours are in two days?", ["48", "forty-eight"]),
    ("ood-07", "Write a short poem about the ocean at night.", None),
    ("ood-08", "Give me three tips for planting a garden.", None),
]

OOD_N = [  # ninth session, second batch: a fourteenth set, for the tuning part
    ("ood-01", "How many sides does a square have?", ["4", "four"]),
    ("ood-02", "What is the capital of Norway?", "Oslo"),
    ("ood-03", "Who painted the Sistine Chapel ceiling?", ["Michelangelo"]),
    ("ood-04", "What is 25 plus 17?", "42"),
    ("ood-05", "Which metal is liquid at room temperature?", ["mercury"]),
    ("ood-06", "How many weeks are in a year?", ["52", "fifty-two"]),
    ("ood-07", "Write a short poem about snow.", None),
    ("ood-08", "Give me three tips for running a marathon.", None),
]

OOD_O = [  # ninth session, second batch: a fifteenth set, for the held-out part
    ("ood-01", "How many toes does a person usually have?", ["10", "ten"]),
    ("ood-02", "What is the capital of Greece?", "Athens"),
    ("ood-03", "Who wrote War and Peace?", ["Leo Tolstoy", "Tolstoy"]),
    ("ood-04", "What is 9 times 9?", "81"),
    ("ood-05", "Which planet is closest to the Sun?", ["Mercury"]),
    ("ood-06", "How many centimetres are in a metre?", ["100", "one hundred"]),
    ("ood-07", "Write a short poem about a river.", None),
    ("ood-08", "Give me three tips for keeping a plant alive.", None),
]

OOD_P = [  # ninth session, third batch: a sixteenth set, for the held-out part
    ("ood-01", "How many legs does a cat have?", ["4", "four"]),
    ("ood-02", "What is the capital of Portugal?", "Lisbon"),
    ("ood-03", "Who wrote The Little Prince?", ["Antoine de Saint-Exupery", "Saint-Exupery", "Saint-Exupéry"]),
    ("ood-04", "What is 30 minus 12?", "18"),
    ("ood-05", "What do bees make?", ["honey"]),
    ("ood-06", "How many minutes are in two hours?", ["120", "one hundred and twenty"]),
    ("ood-07", "Write a short poem about the morning.", None),
    ("ood-08", "Give me three tips for learning a language.", None),
]

OOD_Q = [  # tenth session: a seventeenth set, for the tuning part
    ("ood-01", "How many legs does an insect have?", ["6", "six"]),
    ("ood-02", "What is the capital of Canada?", "Ottawa"),
    ("ood-03", "Who wrote Hamlet?", ["Shakespeare", "William Shakespeare"]),
    ("ood-04", "What is 14 plus 9?", "23"),
    ("ood-05", "Which animal is known as the king of the jungle?", ["lion", "the lion"]),
    ("ood-06", "How many seconds are in a minute?", ["60", "sixty"]),
    ("ood-07", "Write a short poem about the wind.", None),
    ("ood-08", "Give me three tips for a good night's sleep.", None),
]

OOD_R = [  # tenth session, second batch: an eighteenth set, for the held-out part
    ("ood-01", "How many wings does a bird have?", ["2", "two"]),
    ("ood-02", "What is the capital of Kenya?", "Nairobi"),
    ("ood-03", "Who painted The Starry Night?", ["Vincent van Gogh", "van Gogh"]),
    ("ood-04", "What is 7 plus 8?", ["15", "fifteen"]),
    ("ood-05", "What is the largest ocean on Earth?", ["Pacific", "the Pacific", "Pacific Ocean"]),
    ("ood-06", "How many days are in June?", ["30", "thirty"]),
    ("ood-07", "Write a short poem about a forest.", None),
    ("ood-08", "Give me three tips for staying focused.", None),
]

OOD_S = [  # tenth session, third batch: a nineteenth set, for the tuning part
    ("ood-01", "How many legs does a horse have?", ["4", "four"]),
    ("ood-02", "What is the capital of Italy?", "Rome"),
    ("ood-03", "Who discovered gravity?", ["Isaac Newton", "Newton"]),
    ("ood-04", "What is 6 times 7?", ["42", "forty-two"]),
    ("ood-05", "What colour is the sky on a clear day?", ["blue"]),
    ("ood-06", "How many months are in a year?", ["12", "twelve"]),
    ("ood-07", "Write a short poem about the sun.", None),
    ("ood-08", "Give me three tips for cooking rice.", None),
]

OOD_T = [  # eleventh session: a twentieth set, for the tuning part
    ("ood-01", "How many strings does a violin have?", ["4", "four"]),
    ("ood-02", "What is the capital of Egypt?", "Cairo"),
    ("ood-03", "Who wrote The Odyssey?", ["Homer"]),
    ("ood-04", "What is 9 plus 6?", ["15", "fifteen"]),
    ("ood-05", "What is the fastest land animal?", ["cheetah", "the cheetah"]),
    ("ood-06", "How many hours are in two days?", ["48", "forty-eight"]),
    ("ood-07", "Write a short poem about the moon.", None),
    ("ood-08", "Give me three tips for saving money.", None),
]

OOD_U = [  # eleventh session, second batch: a twenty-first set, for the held-out part
    ("ood-01", "How many sides does a triangle have?", ["3", "three"]),
    ("ood-02", "What is the capital of Peru?", "Lima"),
    ("ood-03", "Who painted the Mona Lisa?", ["Leonardo da Vinci", "da Vinci", "Leonardo"]),
    ("ood-04", "What is 5 times 5?", ["25", "twenty-five"]),
    ("ood-05", "What gas do plants take in from the air?", ["carbon dioxide", "CO2"]),
    ("ood-06", "How many weeks are in a year?", ["52", "fifty-two"]),
    ("ood-07", "Write a short poem about a river.", None),
    ("ood-08", "Give me three tips for learning a language.", None),
]

ORDER_SCHEMA = {"type": "object", "required": ["order_id", "quantity", "item", "city"],
                "properties": {"order_id": {"type": "integer"}, "quantity": {"type": "integer"},
                               "item": {"type": "string"}, "city": {"type": "string"}}}
LABEL_EXPECT = {"regex": r"^\W*(billing|shipping|technical|account)\W*$", "max_words": 3}


def _order(pid: str, cat: str, sentence: str, ref: dict | None, grounded: bool = True) -> dict:
    item = {"id": pid, "category": cat, "prompt": "Extract the order as JSON: " + sentence,
            "expect": {"format": "json", "schema": ORDER_SCHEMA, "grounded": grounded}}
    if ref is not None:
        item["reference"] = json.dumps(ref)
    return item


def extraction_suite() -> list[dict]:
    o = _order
    return [
        o("std-01", "standard", "Order 4821: 3 kettles shipped to Lima.",
          {"order_id": 4821, "quantity": 3, "item": "kettle", "city": "Lima"}),
        o("std-02", "standard", "Order 77: 12 umbrellas shipped to Oslo.",
          {"order_id": 77, "quantity": 12, "item": "umbrella", "city": "Oslo"}),
        o("std-03", "standard", "Order 90215 for Grace Kim: 2 lamps shipped to Vienna.",
          {"order_id": 90215, "quantity": 2, "item": "lamp", "city": "Vienna", "customer": "Grace Kim"}),
        o("std-04", "standard", "Order 3307: 1 bicycle shipped to Porto on 2024-05-14.",
          {"order_id": 3307, "quantity": 1, "item": "bicycle", "city": "Porto", "date": "2024-05-14"}),
        o("std-05", "standard", "Sofia Rossi ordered 4 helmets (order 1204) for delivery to Zurich.",
          {"order_id": 1204, "quantity": 4, "item": "helmet", "city": "Zurich", "customer": "Sofia Rossi"}),
        o("std-06", "standard", "Order 58: 6 notebooks shipped to Dublin.",
          {"order_id": 58, "quantity": 6, "item": "notebook", "city": "Dublin"}),
        o("std-07", "standard", "Order 8093: 5 keyboards shipped to Helsinki on 2024-02-21.",
          {"order_id": 8093, "quantity": 5, "item": "keyboard", "city": "Helsinki", "date": "2024-02-21"}),
        o("std-08", "standard", "Order 70352: 8 pillows shipped to Toronto.",
          {"order_id": 70352, "quantity": 8, "item": "pillow", "city": "Toronto"}),
        o("edge-01", "edge", "Order 9: shipped to Rome.", None),
        o("edge-02", "edge", "Order 3120: 2 lamps and 5 candles shipped to Oslo.", None),
        o("edge-03", "edge", "Order 2207: a dozen mugs shipped to Lyon.",
          {"order_id": 2207, "quantity": 12, "item": "mug", "city": "Lyon"}, grounded=False),
        o("edge-04", "edge", "Ship to Montreal: 9 pillows, order 55012, customer Jean Dupont.",
          {"order_id": 55012, "quantity": 9, "item": "pillow", "city": "Montreal", "customer": "Jean Dupont"}),
        {"id": "edge-05", "category": "edge",
         "prompt": "Extract the order as JSON: Thanks for your help last week, the whole team loved the demo!"},
        o("edge-06", "edge", "Pedido 4410: 6 sillas enviadas a Sevilla.", None),
        *_ood(),
    ]


def _item(pid: str, cat: str, prompt: str, ref: str | list[str] | None = None, expect: dict | None = None) -> dict:
    """One review-set prompt (keys in the order the YAML files have them)."""
    item: dict = {"id": pid, "category": cat, "prompt": prompt}
    if expect is not None:
        item["expect"] = dict(expect)
    if ref:
        item["reference"] = ref
    return item


def classification_suite(ood: list | None = None) -> list[dict]:
    def c(pid: str, cat: str, ticket: str, label: str | list[str] | None) -> dict:
        return _item(pid, cat, CLASSIFY + ticket, label, LABEL_EXPECT)

    return [
        c("std-01", "standard", "I was charged three times for one blender.", "billing"),
        c("std-02", "standard", "My headset has not arrived yet, it has been 12 days.", "shipping"),
        c("std-03", "standard", "The tablet screen stays black after I switch it on.", "technical"),
        c("std-04", "standard", "I forgot my password and the reset email never comes.", "account"),
        c("std-05", "standard", "Please refund the 40 dollar delivery fee on order 5531.", "billing"),
        c("std-06", "standard", "The courier delivered my drone to my neighbour in Oslo.", "shipping"),
        c("std-07", "standard", "Error 4403 appears when I try to pair the watch.", "technical"),
        c("std-08", "standard", "Please change my account email to lena@example.com.", "account"),
        c("edge-01", "edge", "my thing is broken?? fix it", None),
        c("edge-02", "edge", "I was charged for express shipping but the parcel came two weeks late.",
          ["billing", "shipping"]),
        c("edge-03", "edge", "Mein Drucker verbindet sich nicht mehr mit dem WLAN.", "technical"),
        c("edge-04", "edge", "Thank you, the new router works perfectly!", None),
        {"id": "edge-05", "category": "edge",
         "prompt": "Classify this support ticket as billing, shipping, technical or account, and explain why in "
                   "one sentence: Someone logged into my account from Prague."},
        c("edge-06", "edge", "LOGIN DOESNT WORK!!! LOCKED OUT AGAIN", "account"),
        *_ood(ood or OOD),
    ]


def capitals_suite(ood: list | None = None) -> list[dict]:
    q = _item

    return [
        q("std-01", "standard", "What is the capital of Japan?", "Tokyo"),
        q("std-02", "standard", "What is the capital of Italy?", "Rome"),
        q("std-03", "standard", "Which city is the capital of Germany?", "Berlin"),
        q("std-04", "standard", "Name the capital of Spain.", "Madrid"),
        q("std-05", "standard", "What is the capital of Egypt?", "Cairo"),
        q("std-06", "standard", "Which city is the capital of Canada?", "Ottawa"),
        q("std-07", "standard", "What is the capital of Russia?", "Moscow"),
        q("std-08", "standard", "Name the capital of China.", ["Beijing", "Peking"]),
        q("edge-01", "edge", "What is the capital of Australia?", "Canberra"),
        q("edge-02", "edge", "What is the capital of the country where the Eiffel Tower stands?", "Paris"),
        q("edge-03", "edge", "What is the capital of Atlantis?", None),
        q("edge-04", "edge", "capital of brazil??", ["Brasilia", "Brasília"]),
        q("edge-05", "edge", "What is the capital of the United Kingdom? Answer in a full sentence.", "London"),
        q("edge-06", "edge", "Which is the largest city of Turkey, and is it the capital?", "Istanbul"),
        *_ood(ood or OOD),
    ]


def sentiment_suite(ood: list | None = None) -> list[dict]:
    expect = {"regex": r"^\W*(positive|negative|neutral)\W*$", "max_words": 3}

    def r(pid: str, cat: str, review: str, label: str | list[str] | None) -> dict:
        return _item(pid, cat, SENTIMENT + review, label, expect)

    return [
        r("std-01", "standard", "This blender is fantastic, my smoothies have never been better.", "positive"),
        r("std-02", "standard", "The headset stopped charging after a week, I want my money back.", "negative"),
        r("std-03", "standard", "The lamp is grey and arrived in a cardboard box.", "neutral"),
        r("std-04", "standard", "Absolutely wonderful camera, the photos are sharp and bright.", "positive"),
        r("std-05", "standard", "The printer jams on every page, worst purchase this year.", "negative"),
        r("std-06", "standard", "I use the router in my flat in Lisbon.", "neutral"),
        r("std-07", "standard", "Cheap plastic, the drone fell apart on its first flight.", "negative"),
        r("std-08", "standard", "The heater keeps our whole living room warm, we are very happy with it.", "positive"),
        r("edge-01", "edge", "Oh great, another charger that lasts a whole hour. Just wonderful.", "negative"),
        r("edge-02", "edge", "The screen is gorgeous but the battery dies before lunch.", None),
        r("edge-03", "edge", "Der Wasserkocher ist fantastisch, ich liebe ihn!", "positive"),
        r("edge-04", "edge", "What time does your shop in Dublin open on Sundays?", None),
        {"id": "edge-05", "category": "edge",
         "prompt": "What is the sentiment of this review, and why? Answer in one sentence: "
                   "The keyboard is quiet, but two keys stopped working after a month."},
        r("edge-06", "edge", "WORST SPEAKER EVER!!! DO NOT BUY", "negative"),
        *_ood(ood or OOD),
    ]


def headline_suite() -> list[dict]:
    expect = {"max_words": 15}

    def h(pid: str, cat: str, news: str) -> dict:
        return _item(pid, cat, HEADLINE + news, expect=expect)

    return [
        h("std-01", "standard", "The city council of Porto voted on Tuesday to close the old bridge for repairs."),
        h("std-02", "standard", "Snow closed the airport in Helsinki for six hours, and 80 flights were cancelled."),
        h("std-03", "standard", "Mira Textiles said it will open a new store in Vienna next spring."),
        h("std-04", "standard", "A parrot that escaped from a pet shop in Oslo was found on a bus two days later."),
        h("std-05", "standard", "Nurses in Dublin will strike for three days from Monday over pay."),
        h("std-06", "standard", "The Lima book fair drew 40,000 visitors, twice as many as last year."),
        h("std-07", "standard", "Vexa Motors recalled 1,200 scooters after reports of faulty brakes."),
        h("std-08", "standard", "A power cut left 5,000 homes in Toronto without electricity on Sunday night."),
        h("edge-01", "edge", "Scientists at the University of Bergen said on Friday that a new study of 2,000 "
                             "fishing boats found that catches of cod in the North Sea fell by a third over ten "
                             "years, and they called on governments to cut quotas before the stock collapses."),
        h("edge-02", "edge", "hello"),
        h("edge-03", "edge", "Die Stadt Hamburg baut drei neue Schulen im Hafenviertel."),
        {"id": "edge-04", "category": "edge",
         "prompt": HEADLINE.replace(": ", ", then summarise it in one sentence: ")
         + "A storm knocked down 300 trees in Kyoto and closed two temples."},
        h("edge-05", "edge", "Local cat wins nothing, again."),
        h("edge-06", "edge", "The price of bread in Nairobi rose from 50 to 65 shillings in one month."),
        *_ood(),
    ]


def translate_suite() -> list[dict]:
    q = _item
    t = TRANSLATE[0].format
    return [
        q("std-01", "standard", t(w="dog"), ["chien", "le chien", "un chien"]),
        q("std-02", "standard", "What is the French word for 'window'?", ["fenêtre", "la fenêtre", "une fenêtre"]),
        q("std-03", "standard", t(w="moon"), ["lune", "la lune"]),
        q("std-04", "standard", "How do you say 'red' in French?", "rouge"),
        q("std-05", "standard", t(w="Monday"), "lundi"),
        q("std-06", "standard", "What is the French word for 'friend'?", ["ami", "amie", "l'ami", "un ami"]),
        q("std-07", "standard", t(w="tree"), ["arbre", "l'arbre", "un arbre"]),
        q("std-08", "standard", "How do you say 'river' in French?", ["rivière", "fleuve", "la rivière"]),
        q("edge-01", "edge", t(w="the big red house"), ["la grande maison rouge", "grande maison rouge"]),
        q("edge-02", "edge", t(w="chat")),
        q("edge-03", "edge", "Translate into German: dog", "Hund"),
        q("edge-04", "edge", "translate to french: CAT!!", "chat"),
        q("edge-05", "edge", "What is the French word for 'love'? Use it in a sentence.", "amour"),
        q("edge-06", "edge", t(w="Paris"), "Paris"),
        *_ood(),
    ]


def antonym_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is the opposite of 'tall'?", "short"),
        q("std-02", "standard", "Give the antonym of generous.", ["mean", "stingy", "selfish"]),
        q("std-03", "standard", "What is the opposite of 'question'?", "answer"),
        q("std-04", "standard", "The opposite of increase is?", "decrease"),
        q("std-05", "standard", "What is the opposite of 'accept'?", ["reject", "refuse", "decline"]),
        q("std-06", "standard", "Give the antonym of ancient.", ["modern", "new"]),
        q("std-07", "standard", "What is the opposite of 'victory'?", "defeat"),
        q("std-08", "standard", "The opposite of noisy is?", ["quiet", "silent"]),
        q("edge-01", "edge", "What is the opposite of 'hot dog'?"),
        q("edge-02", "edge", "What is the opposite of 'table'?"),
        q("edge-03", "edge", "Was ist das Gegenteil von 'gross'?", "klein"),
        q("edge-04", "edge", "OPPOSITE OF HAPPY???", ["sad", "unhappy"]),
        q("edge-05", "edge", "What is the opposite of 'bright'? Use it in a sentence.", ["dark", "dim", "dull"]),
        q("edge-06", "edge", "Give two antonyms of big.", ["small", "little", "tiny"]),
        *_ood(),
    ]


def yesno_suite() -> list[dict]:
    expect = {"regex": r"^\W*(yes|no)\W*$", "max_words": 3}

    def y(pid: str, cat: str, question: str, answer: str | list[str] | None, form: dict | None = expect) -> dict:
        return _item(pid, cat, question, answer, form)

    return [
        y("std-01", "standard", "Is Tokyo the capital of Japan?", "yes"),
        y("std-02", "standard", "Is Rome the capital of Spain?", "no"),
        y("std-03", "standard", "Is the capital of Germany Berlin?", "yes"),
        y("std-04", "standard", "Yes or no: is Cairo the capital of Egypt?", "yes"),
        y("std-05", "standard", "Is Ottawa the capital of Russia?", "no"),
        y("std-06", "standard", "Is the capital of Canada Toronto?", "no"),
        y("std-07", "standard", "Is Moscow the capital of Russia?", "yes"),
        y("std-08", "standard", "Yes or no: is Madrid the capital of China?", "no"),
        y("edge-01", "edge", "Is Sydney the capital of Australia?", "no"),
        y("edge-02", "edge", "Is Atlantis the capital of Mars?", None),
        y("edge-03", "edge", "Ist Berlin die Hauptstadt von Deutschland?", ["yes", "ja"], None),
        y("edge-04", "edge", "is paris capital of france??", "yes"),
        y("edge-05", "edge", "Is London the capital of the United Kingdom? Explain in one sentence.", None, None),
        y("edge-06", "edge", "Is Istanbul the capital of Turkey, and if not, which city is?", None, None),
        *_ood(OOD_B),
    ]


def arith_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Lena has 14 oranges and buys 9 more. How many oranges does Lena have now?", "23"),
        q("std-02", "standard", "A shelf holds 52 cards. 17 are taken away. How many cards are left?", "35"),
        q("std-03", "standard", "What is 38 plus 45?", "83"),
        q("std-04", "standard", "What is 91 minus 26?", "65"),
        q("std-05", "standard", "Omar has 27 shells and buys 16 more. How many shells does Omar have now?", "43"),
        q("std-06", "standard", "A shelf holds 70 buttons. 33 are taken away. How many buttons are left?", "37"),
        q("std-07", "standard", "What is 19 plus 63?", "82"),
        q("std-08", "standard", "What is 80 minus 47?", "33"),
        q("edge-01", "edge", "What is seven plus five? Answer in words.", ["12", "twelve"]),
        q("edge-02", "edge", "John has some apples and buys 3 more. How many apples does he have?"),
        q("edge-03", "edge", "Marie a 4 pommes et en achète 2. Combien de pommes a-t-elle ?", "6"),
        q("edge-04", "edge", "A bus has 20 people. 5 get off and 8 get on. How many people are on the bus?", "23"),
        q("edge-05", "edge", "Tom has 3 apples and eats 1. How many are left? Explain step by step.", "2"),
        q("edge-06", "edge", "What is 1,000 plus 250?", "1250"),
        *_ood(OOD_C),
    ]


def units_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "How many centimetres are in 7 metres?", "700"),
        q("std-02", "standard", "Convert 3 hours to minutes.", "180"),
        q("std-03", "standard", "5 kilograms is how many grams?", "5000"),
        q("std-04", "standard", "How many days are in 9 weeks?", "63"),
        q("std-05", "standard", "Convert 11 minutes to seconds.", "660"),
        q("std-06", "standard", "How many months are in 4 years?", "48"),
        q("std-07", "standard", "6 litres is how many millilitres?", "6000"),
        q("std-08", "standard", "How many hours are in 10 days?", "240"),
        q("edge-01", "edge", "How many metres are in half a kilometre?", "500"),
        q("edge-02", "edge", "Convert 3 apples to oranges."),
        q("edge-03", "edge", "Wie viele Minuten hat eine Stunde?", "60"),
        q("edge-04", "edge", "how many grams in 2 kilos??", "2000"),
        q("edge-05", "edge", "Convert 2 hours to seconds, and show your working.", "7200"),
        q("edge-06", "edge", "How many inches are in 1 foot?", "12"),
        *_ood(OOD_B),
    ]


def polite_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Rewrite this politely: Give me the menu."),
        q("std-02", "standard", "Make this request polite: Fill in this survey now."),
        q("std-03", "standard", "Say this more politely: Stop talking during the film!"),
        q("std-04", "standard", "Rewrite this politely: Send the contract today."),
        q("std-05", "standard", "Make this request polite: Pass me the salt."),
        q("std-06", "standard", "Say this more politely: Wait outside."),
        q("std-07", "standard", "Rewrite this politely: Tell me your phone number."),
        q("std-08", "standard", "Make this request polite: Lower your voice right away!"),
        q("edge-01", "edge", "Rewrite this politely: Thank you so much for your help!"),
        q("edge-02", "edge", "Rewrite this politely: shut up"),
        q("edge-03", "edge", "Rewrite this politely: Gib mir sofort das Buch."),
        q("edge-04", "edge", "Rewrite this politely, and explain what you changed: Move your bag."),
        q("edge-05", "edge", "Rewrite this politely: What time is it?"),
        q("edge-06", "edge", "Rewrite this politely: Clean your room, take out the trash and do your homework."),
        *_ood(OOD_E),
    ]


def keywords_suite() -> list[dict]:
    expect = {"max_words": 12}

    def k(pid: str, cat: str, sentence: str) -> dict:
        return _item(pid, cat, KEYWORDS[0].format(s=sentence), expect=expect)

    return [
        k("std-01", "standard", "Brightwave opened a new office in Porto on Thursday."),
        k("std-02", "standard", "A koala escaped from the zoo in Vienna and was found in a garden."),
        k("std-03", "standard", "Snow closed every school in Oslo on Monday."),
        k("std-04", "standard", "Halden Steel will build a bridge across the river in Bergen."),
        k("std-05", "standard", "The library of Kyoto lent a rare map to a museum in Paris."),
        k("std-06", "standard", "Nurses at the Dublin hospital will strike on Friday over pay."),
        k("std-07", "standard", "A giraffe was born at the Nairobi wildlife park last month."),
        k("std-08", "standard", "Orvio recalled 9,000 toasters after reports of fires."),
        k("edge-01", "edge", "hello"),
        k("edge-02", "edge", "Die Bäckerei in Hamburg verkauft jetzt Brot mit Algen."),
        {"id": "edge-03", "category": "edge",
         "prompt": "List five keywords for this sentence: A storm knocked down 300 trees in Kyoto and closed two "
                   "temples."},
        k("edge-04", "edge", "The the the the cat sat."),
        {"id": "edge-05", "category": "edge",
         "prompt": "Give three keywords, and say why you chose them: Tamsin Bank raised its interest rate to "
                   "five percent."},
        k("edge-06", "edge", "Scientists in Bergen said on Friday that catches of cod in the North Sea fell by a "
                             "third over ten years, and they asked governments to cut quotas."),
        *_ood(OOD_E),
    ]


def past_suite() -> list[dict]:
    q = _item  # no references: a whole sentence is no short answer to match
    return [
        q("std-01", "standard", "Rewrite in the past tense: She carries the boxes upstairs."),
        q("std-02", "standard", "Put this sentence in the past tense: The children swim in the lake."),
        q("std-03", "standard", "Change to past tense: My father fixes old radios."),
        q("std-04", "standard", "Rewrite in the past tense: The baker bakes fresh bread."),
        q("std-05", "standard", "Put this sentence in the past tense: Tom forgets his umbrella."),
        q("std-06", "standard", "Change to past tense: We drink coffee in the garden."),
        q("std-07", "standard", "Rewrite in the past tense: The cat sleeps on the sofa."),
        q("std-08", "standard", "Put this sentence in the past tense: They win the final."),
        q("edge-01", "edge", "Rewrite in the past tense: Yesterday she walked home."),
        q("edge-02", "edge", "Rewrite in the past tense: run"),
        q("edge-03", "edge", "Rewrite in the past tense: Er kauft ein Auto."),
        q("edge-04", "edge", "Rewrite in the past tense, and name the verb you changed: The bell rings."),
        q("edge-05", "edge", "Rewrite in the future tense: She opens the shop."),
        q("edge-06", "edge", "Rewrite in the past tense: I think that he knows the answer."),
        *_ood(OOD_F),
    ]


def tags_suite() -> list[dict]:
    expect = {"format": "json", "schema": TAG_SCHEMA}

    def t(pid: str, cat: str, sentence: str, ref: dict | None = None) -> dict:
        item = _item(pid, cat, TAG[0].format(s=sentence), expect=expect)
        if ref is not None:
            item["reference"] = json.dumps(ref)
        return item

    return [
        t("std-01", "standard", "Great news: the swimming team qualified for the final.",
          {"topic": "sport", "mood": "happy"}),
        t("std-02", "standard", "Sadly, the hail destroyed this year's apple harvest.",
          {"topic": "weather", "mood": "sad"}),
        t("std-03", "standard", "This is outrageous: the bank closed every branch in the north.",
          {"topic": "business", "mood": "angry"}),
        t("std-04", "standard", "Finally, good news: the children's hospital got a new wing.",
          {"topic": "health", "mood": "happy"}),
        t("std-05", "standard", "I am furious: the referee sent off our captain for nothing.",
          {"topic": "sport", "mood": "angry"}),
        t("std-06", "standard", "Bad news: the frost will ruin the vineyards this weekend.",
          {"topic": "weather", "mood": "sad"}),
        t("std-07", "standard", "We are thrilled: the coffee chain hired three hundred people.",
          {"topic": "business", "mood": "happy"}),
        t("std-08", "standard", "It is a pity: the clinic in the village will close.",
          {"topic": "health", "mood": "sad"}),
        t("edge-01", "edge", "The meeting is at ten."),
        t("edge-02", "edge", "Leider hat unser Verein das Finale verloren."),
        t("edge-03", "edge", "Great news and bad news: the bakery opened, but the storm closed it again."),
        {"id": "edge-04", "category": "edge",
         "prompt": "Tag this sentence with its topic and mood as JSON, and add a one-line summary: Unbelievable: "
                   "the airline lost my luggage twice."},
        t("edge-05", "edge", "ok"),
        t("edge-06", "edge", "Sadly, the famous cyclist retired after the doctors found a heart problem."),
        *_ood(OOD_E),
    ]


def ctxqa_suite() -> list[dict]:
    q = _item

    def c(pid: str, cat: str, context: str, question: str, ref: str | list[str] | None) -> dict:
        return q(pid, cat, f"Context: {context}\nQuestion: {question}", ref)

    return [
        c("std-01", "standard", "Hanna lives in Porto and works as a dentist. Hanna has 3 turtles.",
          "Where does Hanna live?", "Porto"),
        c("std-02", "standard", "Yusuf lives in Riga and works as a carpenter. Yusuf has 5 hamsters.",
          "What does Yusuf work as?", ["carpenter", "a carpenter"]),
        c("std-03", "standard", "Mei lives in Vienna and works as a florist. Mei has 7 canaries.",
          "How many canaries does Mei have?", "7"),
        c("std-04", "standard", "Ivan lives in Seville and works as a librarian. Ivan has 2 ferrets.",
          "What is Ivan's job?", ["librarian", "a librarian"]),
        c("std-05", "standard", "Zara lives in Quebec and works as a welder. Zara has 4 ponies.",
          "In which city does Zara live?", "Quebec"),
        c("std-06", "standard", "Tomas lives in Cork and works as a butcher. Tomas has 6 geese.",
          "How many geese does Tomas have?", "6"),
        c("std-07", "standard", "Leila lives in Tunis and works as an architect. Leila has 8 pigeons.",
          "Where does Leila live?", "Tunis"),
        c("std-08", "standard", "Oscar lives in Bergen and works as a mechanic. Oscar has 9 chickens.",
          "What does Oscar work as?", ["mechanic", "a mechanic"]),
        c("edge-01", "edge", "Nina lives in Lyon and works as a painter. Nina has 2 dogs.",
          "What is Nina's favourite colour?", None),
        c("edge-02", "edge", "Paul wohnt in Graz und arbeitet als Koch. Paul hat 3 Katzen.", "Where does Paul live?",
          "Graz"),
        c("edge-03", "edge", "Ana lives in Cusco and works as a guide. Ana has 4 llamas.",
          "How many llamas does Ana have, and where does she live?", None),
        c("edge-04", "edge", "Ben lives in Perth and works as a diver. Ben has 5 fish.", "Where does Ben work?",
          None),
        c("edge-05", "edge", "Sara lives in Bari and works as a nurse. Sara has 1 cat.",
          "How many cats does Sara have? Answer in a full sentence.", ["1", "one"]),
        {"id": "edge-06", "category": "edge", "prompt": "Question: Where does Karl live?"},
        *_ood(OOD_F),
    ]


def shorten_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Shorten this sentence: The ferry, which many people on the island had waited for, "
                                "arrived yesterday."),
        q("std-02", "standard", "Make this sentence shorter: In the end, for reasons that nobody really understood "
                                "at the time, the school cancelled the trip."),
        q("std-03", "standard", "Cut this sentence down: To nobody's great surprise, and after a very long week, "
                                "the cat knocked over the vase again."),
        q("std-04", "standard", "Shorten this sentence: The farmer sold his old tractor, as everybody could clearly "
                                "see, on that rather grey afternoon."),
        q("std-05", "standard", "Make this sentence shorter: The hospital, which many people in the city had "
                                "talked about for days, opened yesterday."),
        q("std-06", "standard", "Cut this sentence down: In the end, for reasons that nobody really understood at "
                                "the time, the singer left the band."),
        q("std-07", "standard", "Shorten this sentence: To nobody's great surprise, and after a very long week, "
                                "the kettle broke again."),
        q("std-08", "standard", "Make this sentence shorter: The library, which many people in the town had "
                                "talked about for days, closed yesterday."),
        q("edge-01", "edge", "Shorten this sentence: Hi."),
        q("edge-02", "edge", "Shorten this sentence: Der Zug kam, wie alle deutlich sehen konnten, wieder zu spät."),
        q("edge-03", "edge", "Shorten this sentence to exactly three words: The old man finally fixed the "
                             "garden gate after many weeks."),
        q("edge-04", "edge", "Shorten this sentence, and say what you removed: The baker, tired after a long "
                             "night, sold all the bread."),
        q("edge-05", "edge", "Make this sentence longer: The dog barked."),
        q("edge-06", "edge", "Shorten this paragraph: The storm came in the night. Trees fell across the road. "
                             "In the morning, the whole village helped to clear them away."),
        *_ood(OOD_E),
    ]


def question_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Turn this into a yes/no question: The window is open."),
        q("std-02", "standard", "Make this a question: The dogs are hungry."),
        q("std-03", "standard", "Ask this as a question: Maria can sing."),
        q("std-04", "standard", "Turn this into a yes/no question: The bread is fresh."),
        q("std-05", "standard", "Make this a question: The roads are icy."),
        q("std-06", "standard", "Ask this as a question: Your brother can cook."),
        q("std-07", "standard", "Turn this into a yes/no question: The meeting is cancelled."),
        q("std-08", "standard", "Make this a question: The apples are ripe."),
        q("edge-01", "edge", "Turn this into a yes/no question: Is the shop open?"),
        q("edge-02", "edge", "Make this a question: Die Tür ist offen."),
        q("edge-03", "edge", "Turn this into a question that starts with 'Why': The sky is blue."),
        q("edge-04", "edge", "Make this a question, and answer it: The sun is hot."),
        q("edge-05", "edge", "Turn this into a yes/no question: Run!"),
        q("edge-06", "edge", "Make this a question: The children played in the park all afternoon."),
        *_ood(OOD_E),
    ]


def negate_suite() -> list[dict]:
    q = _item  # no references: a whole sentence is no short answer to match
    return [
        q("std-01", "standard", "Make this sentence negative: The museum is crowded."),
        q("std-02", "standard", "Negate this sentence: The boys are ready."),
        q("std-03", "standard", "Rewrite this as a negative sentence: The parrot can talk."),
        q("std-04", "standard", "Make this sentence negative: The film was long."),
        q("std-05", "standard", "Negate this sentence: My uncle drinks coffee."),
        q("std-06", "standard", "Rewrite this as a negative sentence: The garden is tidy."),
        q("std-07", "standard", "Make this sentence negative: Lucy reads the news."),
        q("std-08", "standard", "Negate this sentence: The doors were locked."),
        q("edge-01", "edge", "Make this sentence negative: The shop is not open."),
        q("edge-02", "edge", "Make this sentence negative: yes"),
        q("edge-03", "edge", "Make this sentence negative: Das Wasser ist kalt."),
        q("edge-04", "edge", "Make this sentence negative, and explain what you changed: The cake is sweet."),
        q("edge-05", "edge", "Make this sentence positive: The road is not safe."),
        q("edge-06", "edge", "Negate this sentence: The children who live next door are very noisy in the evening."),
        *_ood(OOD_G),
    ]


def who_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Who is mentioned in this sentence? Yesterday, Hanna repaired the fence.", "Hanna"),
        q("std-02", "standard", "Name the person in this sentence: On Friday, Yusuf sold his boat.", "Yusuf"),
        q("std-03", "standard", "Which person does this sentence mention? Last week, Ingrid climbed the hill.",
          "Ingrid"),
        q("std-04", "standard", "Who is mentioned in this sentence? This evening, Pedro cooked the rice.", "Pedro"),
        q("std-05", "standard", "Name the person in this sentence: In the summer, Keiko learned to sail.", "Keiko"),
        q("std-06", "standard", "Which person does this sentence mention? After school, Malik fed the ducks.",
          "Malik"),
        q("std-07", "standard", "Who is mentioned in this sentence? At noon, Greta called the plumber.", "Greta"),
        q("std-08", "standard", "Name the person in this sentence: On Sunday, Dmitri washed the car.", "Dmitri"),
        q("edge-01", "edge", "Who is mentioned in this sentence? The bus was late again."),
        q("edge-02", "edge", "Who is mentioned in this sentence? Gestern hat Lukas das Fenster repariert.", "Lukas"),
        q("edge-03", "edge", "Name the people in this sentence: On Monday, Rosa and Felix painted the shed."),
        q("edge-04", "edge", "Name the person in this sentence, and say what they did: Yesterday, Amir fixed "
                             "the roof."),
        q("edge-05", "edge", "Who is mentioned in this sentence? Dr. Okafor opened the new clinic.",
          ["Dr. Okafor", "Okafor"]),
        q("edge-06", "edge", "Name the person in this sentence: yesterday, nobody came."),
        *_ood(OOD_G),
    ]


def plural_suite() -> list[dict]:
    q = _item  # no references: a whole sentence is no short answer to match
    return [
        q("std-01", "standard", "Make this sentence plural: The kitten plays with the string."),
        q("std-02", "standard", "Put this sentence in the plural: The girl is at the window."),
        q("std-03", "standard", "Change to plural: The farmer was tired."),
        q("std-04", "standard", "Make this sentence plural: The fox has a bushy tail."),
        q("std-05", "standard", "Put this sentence in the plural: The man waits at the station."),
        q("std-06", "standard", "Change to plural: The lorry stops at the gate."),
        q("std-07", "standard", "Make this sentence plural: The nurse looks busy."),
        q("std-08", "standard", "Put this sentence in the plural: The church is very old."),
        q("edge-01", "edge", "Make this sentence plural: The dogs bark."),
        q("edge-02", "edge", "Make this sentence plural: sheep"),
        q("edge-03", "edge", "Make this sentence plural: Das Kind spielt im Garten."),
        q("edge-04", "edge", "Make this sentence plural, and say which words changed: The mouse eats the cheese."),
        q("edge-05", "edge", "Make this sentence singular: The trees are tall."),
        q("edge-06", "edge", "Make this sentence plural: The boy who lives next door rides his bike to school."),
        *_ood(OOD_H),
    ]


def count_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "How many words are in this list? mango, kettle, meadow", ["3", "three"]),
        q("std-02", "standard", "Count the items: shovel, trumpet, pillow, saddle, anchor", ["5", "five"]),
        q("std-03", "standard", "How many things are listed here? ribbon, walnut", ["2", "two"]),
        q("std-04", "standard", "How many words are in this list? lantern, parrot, basket, helmet, spoon, drum, "
                                "kite", ["7", "seven"]),
        q("std-05", "standard", "Count the items: feather, compass, blanket, wagon", ["4", "four"]),
        q("std-06", "standard", "How many things are listed here? mirror, onion, statue, hammer, balloon, ladder",
          ["6", "six"]),
        q("std-07", "standard", "How many words are in this list? pebble, oven, tulip, scarf, bucket, cactus, "
                                "puzzle, canoe, button", ["9", "nine"]),
        q("std-08", "standard", "Count the items: sock, lemon, torch, plate, comb, frog, tent, shell", ["8", "eight"]),
        q("edge-01", "edge", "Count the items: "),
        q("edge-02", "edge", "How many words are in this list? apple, apple, apple", ["3", "three"]),
        q("edge-03", "edge", "Wie viele Wörter stehen in dieser Liste? Hund, Katze, Maus, Pferd", ["4", "four"]),
        q("edge-04", "edge", "Count the items, and name the longest one: cup, saucepan, fork"),
        q("edge-05", "edge", "How many letters are in this word? banana", ["6", "six"]),
        q("edge-06", "edge", "How many things are listed here? a red car and a blue bike and a green bus",
          ["3", "three"]),
        *_ood(OOD_H),
    ]


def fix_suite() -> list[dict]:
    q = _item  # no references: a whole sentence is no short answer to match
    return [
        q("std-01", "standard", "Fix the spelling: The libary closes at fiev."),
        q("std-02", "standard", "Correct the typos in this sentence: My sistre likes oranges."),
        q("std-03", "standard", "Fix the spelling mistakes: The dog barkd at the postmna."),
        q("std-04", "standard", "Fix the spelling: We visitd our grandparents in Jnue."),
        q("std-05", "standard", "Correct the typos in this sentence: The kettle is boilnig."),
        q("std-06", "standard", "Fix the spelling mistakes: He wrote a long leter to his freind."),
        q("std-07", "standard", "Fix the spelling: The childern are playing outsied."),
        q("std-08", "standard", "Correct the typos in this sentence: Please close the widnow."),
        q("edge-01", "edge", "Fix the spelling: The cat sat on the mat."),
        q("edge-02", "edge", "Fix the spelling: teh"),
        q("edge-03", "edge", "Fix the spelling: Der Hund bellt lautt."),
        q("edge-04", "edge", "Fix the spelling, and list the words you changed: The baekr sold bred."),
        q("edge-05", "edge", "Add three spelling mistakes to this sentence: The bus is late."),
        q("edge-06", "edge", "Fix the spelling: Thsi is a very lnog sentnece with many mistkaes in it."),
        *_ood(OOD_I),
    ]


def category_suite() -> list[dict]:
    expect = {"regex": r"^\W*(fruit|animal|vehicle|tool)\W*$", "max_words": 3}

    def c(pid: str, cat: str, word: str, label: str | None, phrasing: int = 0) -> dict:
        item = _item(pid, cat, CATEGORY[phrasing].format(w=word), label)
        item["expect"] = expect
        return item

    return [
        c("std-01", "standard", "peach", "fruit"), c("std-02", "standard", "lion", "animal", 1),
        c("std-03", "standard", "motorbike", "vehicle", 2), c("std-04", "standard", "screwdriver", "tool"),
        c("std-05", "standard", "kiwi", "fruit", 1), c("std-06", "standard", "dolphin", "animal", 2),
        c("std-07", "standard", "tractor", "vehicle"), c("std-08", "standard", "axe", "tool", 1),
        c("edge-01", "edge", "tomato", ["fruit"]), c("edge-02", "edge", "happiness", None),
        c("edge-03", "edge", "Apfel", "fruit"),
        {"id": "edge-04", "category": "edge", "prompt": "Which category is this, and why: zebra?"},
        c("edge-05", "edge", "", None), c("edge-06", "edge", "electric scooter", "vehicle"),
        *_ood(OOD_I),
    ]


def isodate_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Write this date as YYYY-MM-DD: April 9, 2017", "2017-04-09"),
        q("std-02", "standard", "Convert to ISO format: 21 November 1998", "1998-11-21"),
        q("std-03", "standard", "Give this date in ISO form: July 14, 2025", "2025-07-14"),
        q("std-04", "standard", "Write this date as YYYY-MM-DD: 2 February 2003", "2003-02-02"),
        q("std-05", "standard", "Convert to ISO format: October 30, 1991", "1991-10-30"),
        q("std-06", "standard", "Give this date in ISO form: 17 August 2012", "2012-08-17"),
        q("std-07", "standard", "Write this date as YYYY-MM-DD: December 5, 2029", "2029-12-05"),
        q("std-08", "standard", "Convert to ISO format: 26 May 2008", "2008-05-26"),
        q("edge-01", "edge", "Write this date as YYYY-MM-DD: February 30, 2020"),
        q("edge-02", "edge", "Convert to ISO format: 2019-03-04", "2019-03-04"),
        q("edge-03", "edge", "Convert to ISO format: 3. Mai 2015", "2015-05-03"),
        q("edge-04", "edge", "Write this date as YYYY-MM-DD, and name its weekday: June 1, 2024"),
        q("edge-05", "edge", "Convert to ISO format: next Tuesday"),
        q("edge-06", "edge", "Write this date as YYYY-MM-DD: the fourth of July, 1976", "1976-07-04"),
        *_ood(OOD_I),
    ]


def summary_suite() -> list[dict]:
    q = _item  # no references: a sentence is no short answer to match
    return [
        q("std-01", "standard", "Summarize in one sentence: The village bakery won a national prize. Its owner "
                                "cried on stage. Customers queued all morning."),
        q("std-02", "standard", "Give a one-sentence summary: The river ferry stopped running for the winter. It "
                                "will return in April. Residents were disappointed."),
        q("std-03", "standard", "Sum this up briefly: A local teacher ran a marathon in under three hours. She "
                                "raised money for the school. Her pupils cheered."),
        q("std-04", "standard", "Summarize in one sentence: The zoo welcomed a baby giraffe. It was born at night. "
                                "Visitors can see it from Monday."),
        q("std-05", "standard", "Give a one-sentence summary: The town hall clock stopped at noon. Engineers fixed "
                                "it by evening. Nobody knows why it stopped."),
        q("std-06", "standard", "Sum this up briefly: A farmer found a Roman coin in his field. Experts say it is "
                                "rare. It will go to the museum."),
        q("std-07", "standard", "Summarize in one sentence: The swimming pool closed for repairs. The roof had a "
                                "leak. It should reopen next month."),
        q("std-08", "standard", "Give a one-sentence summary: The hospital hired twenty new nurses. The wards were "
                                "short of staff. Patients welcomed the news."),
        q("edge-01", "edge", "Summarize in one sentence: It rained."),
        q("edge-02", "edge", "Summarize in one sentence: Der Bahnhof wurde renoviert. Er ist jetzt heller."),
        q("edge-03", "edge", "Summarize in exactly five words: The museum opened a new wing for modern art. Critics "
                             "loved it."),
        q("edge-04", "edge", "Summarize in one sentence, and give it a title: The bridge reopened after repairs. "
                             "Traffic is back to normal."),
        q("edge-05", "edge", "Make this longer: The bus was late."),
        q("edge-06", "edge", "Summarize in one sentence: asdf qwer zxcv."),
        *_ood(OOD_I),
    ]


def acronym_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is the acronym of North Atlantic Treaty Organization?", "NATO"),
        q("std-02", "standard", "Abbreviate: Artificial Intelligence", "AI"),
        q("std-03", "standard", "Give the initials of Subscriber Identity Module.", "SIM"),
        q("std-04", "standard", "What is the acronym of Universal Serial Bus?", "USB"),
        q("std-05", "standard", "Abbreviate: Chief Executive Officer", "CEO"),
        q("std-06", "standard", "Give the initials of Graphics Processing Unit.", "GPU"),
        q("std-07", "standard", "What is the acronym of Sport Utility Vehicle?", "SUV"),
        q("std-08", "standard", "Abbreviate: Estimated Time of Arrival", ["ETA", "ETOA"]),
        q("edge-01", "edge", "Abbreviate: Paris"),
        q("edge-02", "edge", "What is the acronym of Vereinte Nationen?", "VN"),
        q("edge-03", "edge", "What does NASA stand for?",
          ["National Aeronautics and Space Administration"]),
        q("edge-04", "edge", "Abbreviate, and explain the letters: Short Message Service"),
        q("edge-05", "edge", "Give the initials of ."),
        q("edge-06", "edge", "Abbreviate: as soon as possible", ["ASAP", "asap"]),
        *_ood(OOD_I),
    ]


def rhyme_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Give a word that rhymes with fish.", ["dish", "wish", "swish"]),
        q("std-02", "standard", "What rhymes with sun?", ["fun", "run", "bun", "one", "done", "none", "gun", "ton"]),
        q("std-03", "standard", "Name a rhyme for 'goat'.", ["boat", "coat", "float", "note", "wrote", "throat"]),
        q("std-04", "standard", "Give a word that rhymes with pen.", ["hen", "ten", "men", "then", "when", "den"]),
        q("std-05", "standard", "What rhymes with snow?", ["go", "low", "slow", "bow", "glow", "row", "know", "toe",
                                                            "show", "flow", "grow", "throw", "blow", "crow"]),
        q("std-06", "standard", "Name a rhyme for 'bear'.", ["chair", "hair", "pear", "care", "air", "fair", "stair",
                                                              "there", "where", "wear", "share"]),
        q("std-07", "standard", "Give a word that rhymes with clock.", ["sock", "rock", "lock", "block", "dock",
                                                                          "knock", "shock"]),
        q("std-08", "standard", "What rhymes with sing?", ["ring", "king", "wing", "thing", "bring", "spring",
                                                            "sting", "swing"]),
        q("edge-01", "edge", "Give a word that rhymes with orange."),
        q("edge-02", "edge", "Give a word that rhymes with Haus.", ["Maus", "raus", "aus"]),
        q("edge-03", "edge", "Give three words that rhyme with cat."),
        q("edge-04", "edge", "Give a word that rhymes with light, and use it in a sentence."),
        q("edge-05", "edge", "Give a word that rhymes with ."),
        q("edge-06", "edge", "What is the opposite of hot?", "cold"),
        *_ood(OOD_J),
    ]


def synonym_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Give a synonym for 'huge'.", ["enormous", "giant", "vast", "massive", "large", "big",
                                                             "immense", "gigantic", "tremendous"]),
        q("std-02", "standard", "What is another word for sad?", ["unhappy", "sorrowful", "down", "gloomy",
                                                                  "miserable", "upset", "blue", "depressed"]),
        q("std-03", "standard", "A word that means cold?", ["chilly", "cool", "freezing", "icy", "frosty", "frozen"]),
        q("std-04", "standard", "Give a synonym for 'shout'.", ["yell", "scream", "cry", "call", "holler", "bellow"]),
        q("std-05", "standard", "What is another word for brave?", ["courageous", "bold", "fearless", "heroic",
                                                                    "valiant", "daring"]),
        q("std-06", "standard", "A word that means pretty?", ["beautiful", "lovely", "attractive", "cute", "handsome",
                                                               "gorgeous"]),
        q("std-07", "standard", "Give a synonym for 'wet'.", ["damp", "moist", "soaked", "soggy", "drenched"]),
        q("std-08", "standard", "What is another word for fix?", ["repair", "mend", "correct", "restore"]),
        q("edge-01", "edge", "Give a synonym for 'the'."),
        q("edge-02", "edge", "Give a synonym for 'schnell'.", ["fast", "quick", "rapid", "schnell", "rasch"]),
        q("edge-03", "edge", "Give three synonyms for 'happy'."),
        q("edge-04", "edge", "Give a synonym for 'run', and use it in a sentence."),
        q("edge-05", "edge", "Give an antonym for 'hot'.", "cold"),
        q("edge-06", "edge", "Give a synonym for 'xqzt'."),
        *_ood(OOD_G),
    ]


def title_suite() -> list[dict]:
    q = _item  # no references: a title is no short answer to match
    return [
        q("std-01", "standard", "Give this paragraph a title: A farmer found a Roman coin in his field, and experts "
                                "say it is very rare."),
        q("std-02", "standard", "Write a title for: The hospital hired twenty new nurses after months of long "
                                "waiting times."),
        q("std-03", "standard", "Title this text: A teacher ran a marathon in under three hours to raise money for "
                                "her school."),
        q("std-04", "standard", "Give this paragraph a title: The zoo welcomed a baby giraffe that was born during a "
                                "thunderstorm."),
        q("std-05", "standard", "Write a title for: The town hall clock stopped at noon and engineers fixed it by "
                                "evening."),
        q("std-06", "standard", "Title this text: The swimming pool closed for repairs after a leak was found in the "
                                "roof."),
        q("std-07", "standard", "Give this paragraph a title: A group of students built a robot that sorts "
                                "recycling."),
        q("std-08", "standard", "Write a title for: The river ferry stopped running for the winter and will return "
                                "in April."),
        q("edge-01", "edge", "Give this paragraph a title: Hello."),
        q("edge-02", "edge", "Give this paragraph a title: Der Bahnhof wurde renoviert und ist jetzt heller."),
        q("edge-03", "edge", "Give this paragraph a title of exactly one word: The bridge reopened after repairs."),
        q("edge-04", "edge", "Give this paragraph a title, and explain your choice: The museum opened a new wing."),
        q("edge-05", "edge", "Write a long paragraph about: Storm Hits Park"),
        q("edge-06", "edge", "Give this paragraph a title: asdf qwer zxcv."),
        *_ood(OOD_G),
    ]


def sort_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Sort these numbers from smallest to largest: 42, 7, 19", "7, 19, 42"),
        q("std-02", "standard", "Put in ascending order: 88, 3, 51, 26", "3, 26, 51, 88"),
        q("std-03", "standard", "Order from low to high: 60, 14, 95, 2, 37", "2, 14, 37, 60, 95"),
        q("std-04", "standard", "Sort these numbers from smallest to largest: 71, 70, 9", "9, 70, 71"),
        q("std-05", "standard", "Put in ascending order: 5, 55, 15", "5, 15, 55"),
        q("std-06", "standard", "Order from low to high: 33, 81, 12, 64", "12, 33, 64, 81"),
        q("std-07", "standard", "Sort these numbers from smallest to largest: 99, 1, 50, 25, 75",
          "1, 25, 50, 75, 99"),
        q("std-08", "standard", "Put in ascending order: 48, 84, 18", "18, 48, 84"),
        q("edge-01", "edge", "Sort these numbers from smallest to largest: 5"),
        q("edge-02", "edge", "Sort these numbers from largest to smallest: 3, 9, 1", "9, 3, 1"),
        q("edge-03", "edge", "Sortiere diese Zahlen aufsteigend: 8, 2, 6", "2, 6, 8"),
        q("edge-04", "edge", "Sort these numbers from smallest to largest, and give their sum: 4, 1, 3"),
        q("edge-05", "edge", "Sort these words alphabetically: pear, apple, fig", "apple, fig, pear"),
        q("edge-06", "edge", "Sort these numbers from smallest to largest: 2, 2, 1", "1, 2, 2"),
        *_ood(OOD_K),
    ]


def country_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Which country has Canberra as its capital?", "Australia"),
        q("std-02", "standard", "Madrid is the capital of which country?", "Spain"),
        q("std-03", "standard", "Name the country whose capital is Cairo.", "Egypt"),
        q("std-04", "standard", "Which country has Ottawa as its capital?", "Canada"),
        q("std-05", "standard", "Rome is the capital of which country?", "Italy"),
        q("std-06", "standard", "Name the country whose capital is Tokyo.", "Japan"),
        q("std-07", "standard", "Which country has Nairobi as its capital?", "Kenya"),
        q("std-08", "standard", "Lima is the capital of which country?", "Peru"),
        q("edge-01", "edge", "Which country has Atlantis as its capital?"),
        q("edge-02", "edge", "Which country has Berlin as its capital? Answer in German.", "Deutschland"),
        q("edge-03", "edge", "Which country has Sydney as its capital?"),
        q("edge-04", "edge", "Which country has Paris as its capital, and what language is spoken there?"),
        q("edge-05", "edge", "Which continent is Brazil in?", ["South America"]),
        q("edge-06", "edge", "which country has lisbon as capital??", "Portugal"),
        *_ood(OOD_K),
    ]


PERSON_SCHEMA = {"type": "object", "required": ["name", "age", "city"],
                 "properties": {"name": {"type": "string"}, "age": {"type": "integer"}, "city": {"type": "string"}}}
CONTACT_SCHEMA = {"type": "object", "required": ["name", "phone"],
                  "properties": {"name": {"type": "string"}, "phone": {"type": "string"}}}


def _json_item(pid: str, cat: str, prompt: str, schema: dict, ref: dict | None, grounded: bool = True) -> dict:
    item = _item(pid, cat, prompt, expect={"format": "json", "schema": schema, "grounded": grounded})
    if ref is not None:
        item["reference"] = json.dumps(ref)
    return item


def spell_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Spell the word mouse.", "m-o-u-s-e"),
        q("std-02", "standard", "How do you spell 'tiger'?", "t-i-g-e-r"),
        q("std-03", "standard", "Spell out: beach", "b-e-a-c-h"),
        q("std-04", "standard", "Spell the word pencil.", "p-e-n-c-i-l"),
        q("std-05", "standard", "How do you spell 'rain'?", "r-a-i-n"),
        q("std-06", "standard", "Spell out: garden", "g-a-r-d-e-n"),
        q("std-07", "standard", "Spell the word sun.", "s-u-n"),
        q("std-08", "standard", "How do you spell 'window'?", "w-i-n-d-o-w"),
        q("edge-01", "edge", "Spell the word Schmetterling.", "S-c-h-m-e-t-t-e-r-l-i-n-g"),
        q("edge-02", "edge", "Spell the word onomatopoeia.", "o-n-o-m-a-t-o-p-o-e-i-a"),
        q("edge-03", "edge", "Spell the word ."),
        q("edge-04", "edge", "Spell the word cat backwards.", "t-a-c"),
        q("edge-05", "edge", "Spell the word book, and use it in a sentence."),
        q("edge-06", "edge", "spell   out:   MOON", ["M-O-O-N", "m-o-o-n"]),
        *_ood(OOD_L),
    ]


def person_suite() -> list[dict]:
    def j(pid: str, cat: str, sentence: str, ref: dict | None = None, grounded: bool = True) -> dict:
        return _json_item(pid, cat, "Extract the person as JSON: " + sentence, PERSON_SCHEMA, ref, grounded)

    return [
        j("std-01", "standard", "Lucia Ferri, 29, lives in Milan.",
          {"name": "Lucia Ferri", "age": 29, "city": "Milan"}),
        j("std-02", "standard", "Henrik Dahl is 57 years old and lives in Malmo.",
          {"name": "Henrik Dahl", "age": 57, "city": "Malmo"}),
        j("std-03", "standard", "Meet Aisha Bello from Lagos, aged 41.",
          {"name": "Aisha Bello", "age": 41, "city": "Lagos"}),
        j("std-04", "standard", "Pedro Alves, 63, lives in Braga.",
          {"name": "Pedro Alves", "age": 63, "city": "Braga"}),
        j("std-05", "standard", "Yuki Sato is 22 years old and lives in Osaka.",
          {"name": "Yuki Sato", "age": 22, "city": "Osaka"}),
        j("std-06", "standard", "Meet Ingrid Holm from Tromso, aged 35.",
          {"name": "Ingrid Holm", "age": 35, "city": "Tromso"}),
        j("std-07", "standard", "Marek Zielinski, 48, lives in Gdansk.",
          {"name": "Marek Zielinski", "age": 48, "city": "Gdansk"}),
        j("std-08", "standard", "Chloe Martin is 19 years old and lives in Nantes.",
          {"name": "Chloe Martin", "age": 19, "city": "Nantes"}),
        j("edge-01", "edge", "Someone lives in Paris.", grounded=True),
        j("edge-02", "edge", "Klara Vogel, 31 Jahre alt, wohnt in Bremen.",
          {"name": "Klara Vogel", "age": 31, "city": "Bremen"}),
        j("edge-03", "edge", "Sam and Alex Reed, 40 and 42, live in Perth."),
        {"id": "edge-04", "category": "edge",
         "prompt": "Extract the person as JSON, and add their job: Tariq Aziz, 50, lives in Amman."},
        j("edge-05", "edge", "Hello!"),
        j("edge-06", "edge", "Dr. Emma Stone-Wright, who turned 70 last week, has lived in Edinburgh since 1990.",
          {"name": "Emma Stone-Wright", "age": 70, "city": "Edinburgh"}),
        *_ood(OOD_L),
    ]


def urgency_suite() -> list[dict]:
    expect = {"regex": r"^\W*(low|medium|high)\W*$", "max_words": 3}

    def u(pid: str, cat: str, text: str, label: str | None) -> dict:
        item = _item(pid, cat, URGENCY + text, label)
        item["expect"] = expect
        return item

    return [
        u("std-01", "standard", "Smoke is coming out of the kitchen oven right now.", "high"),
        u("std-02", "standard", "The projector in room 4 flickers sometimes.", "medium"),
        u("std-03", "standard", "It would be nice to have a second fridge one day.", "low"),
        u("std-04", "standard", "The card machine at every till stopped working and the queue is huge.", "high"),
        u("std-05", "standard", "My monitor has a dead pixel; please swap it this month.", "medium"),
        u("std-06", "standard", "Whenever convenient, could the team photo be updated?", "low"),
        u("std-07", "standard", "Someone fainted in the warehouse, call an ambulance.", "high"),
        u("std-08", "standard", "The door to the storage room squeaks.", "low"),
        u("edge-01", "edge", "Hello, how are you?", None),
        u("edge-02", "edge", "Der Server ist ausgefallen und niemand kann arbeiten.", "high"),
        u("edge-03", "edge", "URGENT!!! please read", None),
        {"id": "edge-04", "category": "edge",
         "prompt": URGENCY + "The alarm is beeping in the lab. Also explain your rating."},
        u("edge-05", "edge", "", None),
        u("edge-06", "edge", "No rush at all, but the building is slowly sinking into the lake.", None),
        *_ood(OOD_L),
    ]


def next_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What number comes after 57?", "58"),
        q("std-02", "standard", "What is the next number after 9?", "10"),
        q("std-03", "standard", "Count one up from 140.", "141"),
        q("std-04", "standard", "What number comes after 99?", "100"),
        q("std-05", "standard", "What is the next number after 23?", "24"),
        q("std-06", "standard", "Count one up from 76.", "77"),
        q("std-07", "standard", "What number comes after 188?", "189"),
        q("std-08", "standard", "What is the next number after 31?", "32"),
        q("edge-01", "edge", "What number comes after 999?", "1000"),
        q("edge-02", "edge", "What number comes after -5?", "-4"),
        q("edge-03", "edge", "What number comes after 2.5?"),
        q("edge-04", "edge", "What number comes after seven?", ["8", "eight"]),
        q("edge-05", "edge", "What comes after Tuesday?", "Wednesday"),
        q("edge-06", "edge", "What number comes after 12, and what comes before it?"),
        *_ood(OOD_L),
    ]


def animal_suite() -> list[dict]:
    expect = {"regex": r"^\W*(mammal|bird|fish|reptile)\W*$", "max_words": 3}

    def a(pid: str, cat: str, word: str, label: str | None, phrasing: int = 0) -> dict:
        item = _item(pid, cat, ANIMAL[phrasing].format(w=word), label)
        item["expect"] = expect
        return item

    return [
        a("std-01", "standard", "dolphin", "mammal"), a("std-02", "standard", "robin", "bird", 1),
        a("std-03", "standard", "mackerel", "fish", 2), a("std-04", "standard", "chameleon", "reptile"),
        a("std-05", "standard", "elephant", "mammal", 1), a("std-06", "standard", "flamingo", "bird", 2),
        a("std-07", "standard", "sardine", "fish"), a("std-08", "standard", "alligator", "reptile", 1),
        a("edge-01", "edge", "frog", None), a("edge-02", "edge", "Hund", "mammal"),
        a("edge-03", "edge", "platypus", "mammal"),
        {"id": "edge-04", "category": "edge", "prompt": "What class of animal is a seahorse, and why?"},
        a("edge-05", "edge", "", None), a("edge-06", "edge", "bald eagle", "bird", 2),
        *_ood(OOD_M),
    ]


def contact_suite() -> list[dict]:
    def j(pid: str, cat: str, sentence: str, ref: dict | None = None, grounded: bool = True) -> dict:
        return _json_item(pid, cat, "Extract the contact as JSON: " + sentence, CONTACT_SCHEMA, ref, grounded)

    return [
        j("std-01", "standard", "Call Maria Lopez at 555-0142.", {"name": "Maria Lopez", "phone": "555-0142"}),
        j("std-02", "standard", "Jan Kowal can be reached on 555-7781.", {"name": "Jan Kowal", "phone": "555-7781"}),
        j("std-03", "standard", "Phone 555-3096 and ask for Fatima Noor.",
          {"name": "Fatima Noor", "phone": "555-3096"}),
        j("std-04", "standard", "Call Leo Brandt at 555-6620.", {"name": "Leo Brandt", "phone": "555-6620"}),
        j("std-05", "standard", "Hana Kim can be reached on 555-0917.", {"name": "Hana Kim", "phone": "555-0917"}),
        j("std-06", "standard", "Phone 555-4453 and ask for Oscar Reyes.",
          {"name": "Oscar Reyes", "phone": "555-4453"}),
        j("std-07", "standard", "Call Greta Lind at 555-2208.", {"name": "Greta Lind", "phone": "555-2208"}),
        j("std-08", "standard", "Samir Haddad can be reached on 555-8135.",
          {"name": "Samir Haddad", "phone": "555-8135"}),
        j("edge-01", "edge", "Call the front desk."),
        j("edge-02", "edge", "Rufen Sie Karl Weiss unter 555-3311 an.", {"name": "Karl Weiss", "phone": "555-3311"}),
        j("edge-03", "edge", "Call Ana Ruiz at 555-1200 or Ben Cole at 555-1300."),
        {"id": "edge-04", "category": "edge",
         "prompt": "Extract the contact as JSON, and add the best time to call: Call Ida Berg at 555-4040."},
        j("edge-05", "edge", "thanks"),
        j("edge-06", "edge", "For bookings, please phone our manager, Mr. Luca Romano, on 555-9090 after 6pm.",
          {"name": "Luca Romano", "phone": "555-9090"}),
        *_ood(OOD_M),
    ]


def double_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is twice 17?", "34"),
        q("std-02", "standard", "Double 45.", "90"),
        q("std-03", "standard", "What is 128 doubled?", "256"),
        q("std-04", "standard", "What is twice 9?", "18"),
        q("std-05", "standard", "Double 63.", "126"),
        q("std-06", "standard", "What is 71 doubled?", "142"),
        q("std-07", "standard", "What is twice 100?", "200"),
        q("std-08", "standard", "Double 38.", "76"),
        q("edge-01", "edge", "What is twice 2.5?", "5"),
        q("edge-02", "edge", "Double -12.", "-24"),
        q("edge-03", "edge", "What is twice seven?", ["14", "fourteen"]),
        q("edge-04", "edge", "Double 21, then add one.", "43"),
        q("edge-05", "edge", "Double the word cat."),
        q("edge-06", "edge", "What is twice 5000000?", "10000000"),
        *_ood(OOD_M),
    ]


def bigger_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Which is bigger, a cat or a horse?", "horse"),
        q("std-02", "standard", "Which is larger: a bus or a mouse?", "bus"),
        q("std-03", "standard", "Bigger one: moon or ship?", "moon"),
        q("std-04", "standard", "Which is bigger, a dog or an ant?", "dog"),
        q("std-05", "standard", "Which is larger: a house or a car?", "house"),
        q("std-06", "standard", "Bigger one: sheep or mountain?", "mountain"),
        q("std-07", "standard", "Which is bigger, a ship or a dog?", "ship"),
        q("std-08", "standard", "Which is larger: a mouse or a sheep?", "sheep"),
        q("edge-01", "edge", "Which is bigger, a whale or an elephant?", "whale"),
        q("edge-02", "edge", "Which is bigger, a cat or a cat?"),
        q("edge-03", "edge", "Was ist größer, ein Hund oder eine Maus?", ["Hund"]),
        q("edge-04", "edge", "Which is bigger, a horse or a car, and by how much?"),
        q("edge-05", "edge", "Which is bigger, 3 or 8?", "8"),
        q("edge-06", "edge", "Which is bigger?"),
        *_ood(OOD_M),
    ]


def define_suite() -> list[dict]:
    q = _item  # no references: a sentence is no short answer to match
    return [
        q("std-01", "standard", "Define: hammer"),
        q("std-02", "standard", "What is a bucket? Answer in one sentence."),
        q("std-03", "standard", "Give a one-sentence definition of 'umbrella'."),
        q("std-04", "standard", "Define: fork"),
        q("std-05", "standard", "What is a candle? Answer in one sentence."),
        q("std-06", "standard", "Give a one-sentence definition of 'backpack'."),
        q("std-07", "standard", "Define: kite"),
        q("std-08", "standard", "What is a fence? Answer in one sentence."),
        q("edge-01", "edge", "Define: happiness"),
        q("edge-02", "edge", "Define: Schraubenzieher"),
        q("edge-03", "edge", "Define: blorptak"),
        q("edge-04", "edge", "Define: kettle, and give two examples of its use."),
        q("edge-05", "edge", "Define:"),
        q("edge-06", "edge", "Define: a large metal machine with wings that flies"),
        *_ood(OOD_N),
    ]


def language_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Which language is this greeting: Guten Tag?", "German"),
        q("std-02", "standard", "'Buongiorno' is hello in which language?", "Italian"),
        q("std-03", "standard", "Name the language of the word Hei.", ["Norwegian", "Finnish"]),
        q("std-04", "standard", "Which language is this greeting: Annyeong?", "Korean"),
        q("std-05", "standard", "'Sawubona' is hello in which language?", "Zulu"),
        q("std-06", "standard", "Name the language of the word Dzien dobry.", "Polish"),
        q("std-07", "standard", "Which language is this greeting: Ni hao?", ["Chinese", "Mandarin"]),
        q("std-08", "standard", "'Shalom' is hello in which language?", "Hebrew"),
        q("edge-01", "edge", "Which language is this greeting: Hello?", "English"),
        q("edge-02", "edge", "Which language is this greeting: Blorp?"),
        q("edge-03", "edge", "Which language is this greeting: Bonjour, and how do you reply?"),
        q("edge-04", "edge", "Welche Sprache ist dieser Gruß: Hola?", ["Spanisch", "Spanish"]),
        q("edge-05", "edge", "Which language is this greeting: ?"),
        q("edge-06", "edge", "which language is this greeting:   ciao!!", "Italian"),
        *_ood(OOD_N),
    ]


def colour_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What colour is a strawberry?", "red"),
        q("std-02", "standard", "Name the usual colour of an elephant.", ["grey", "gray"]),
        q("std-03", "standard", "Lime: which colour?", "green"),
        q("std-04", "standard", "What colour is a polar bear?", "white"),
        q("std-05", "standard", "Name the usual colour of a flamingo.", "pink"),
        q("std-06", "standard", "Orange: which colour?", "orange"),
        q("std-07", "standard", "What colour is an eggplant?", "purple"),
        q("std-08", "standard", "Name the usual colour of charcoal.", "black"),
        q("edge-01", "edge", "What colour is a rainbow?"),
        q("edge-02", "edge", "What colour is a zebra?", ["black and white", "black", "white"]),
        q("edge-03", "edge", "What colour is music?"),
        q("edge-04", "edge", "What colour is a ripe banana, and why does it turn brown?"),
        q("edge-05", "edge", "Welche Farbe hat Schnee?", ["weiß", "white"]),
        q("edge-06", "edge", "What colour is a ?"),
        *_ood(OOD_O),
    ]


def weekday_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Which day comes after Monday?", "Tuesday"),
        q("std-02", "standard", "What is the day after Thursday?", "Friday"),
        q("std-03", "standard", "Saturday is followed by which day?", "Sunday"),
        q("std-04", "standard", "Which day comes after Sunday?", "Monday"),
        q("std-05", "standard", "What is the day after Wednesday?", "Thursday"),
        q("std-06", "standard", "Friday is followed by which day?", "Saturday"),
        q("std-07", "standard", "Which day comes after Tuesday?", "Wednesday"),
        q("std-08", "standard", "What is the day after Saturday?", "Sunday"),
        q("edge-01", "edge", "Which day comes after Funday?"),
        q("edge-02", "edge", "Which day comes after Montag?", ["Dienstag", "Tuesday"]),
        q("edge-03", "edge", "Which day comes two days after Monday?", "Wednesday"),
        q("edge-04", "edge", "Which month comes after March?", "April"),
        q("edge-05", "edge", "Which day comes after?"),
        q("edge-06", "edge", "which DAY comes after friday???", "Saturday"),
        *_ood(OOD_O),
    ]


EVENT_SCHEMA = {"type": "object", "required": ["event", "day"],
                "properties": {"event": {"type": "string"}, "day": {"type": "string"}}}


def continent_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Which continent is Spain in?", "Europe"),
        q("std-02", "standard", "Nigeria lies on which continent?", "Africa"),
        q("std-03", "standard", "Name the continent of Argentina.", "South America"),
        q("std-04", "standard", "Which continent is India in?", "Asia"),
        q("std-05", "standard", "Jamaica lies on which continent?", "North America"),
        q("std-06", "standard", "Name the continent of Tonga.", "Oceania"),
        q("std-07", "standard", "Which continent is Thailand in?", "Asia"),
        q("std-08", "standard", "Morocco lies on which continent?", "Africa"),
        q("edge-01", "edge", "Which continent is Atlantis in?"),
        q("edge-02", "edge", "Which continent is Russia in?", ["Europe", "Asia"]),
        q("edge-03", "edge", "Auf welchem Kontinent liegt Italien?", ["Europa", "Europe"]),
        q("edge-04", "edge", "Which continent is Brazil in, and what is its capital?"),
        q("edge-05", "edge", "Which continent is ?"),
        q("edge-06", "edge", "which continent is  GERMANY in??", "Europe"),
        *_ood(OOD_P),
    ]


def square_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is 7 squared?", "49"),
        q("std-02", "standard", "Square the number 12.", "144"),
        q("std-03", "standard", "What is 15 times itself?", "225"),
        q("std-04", "standard", "What is 21 squared?", "441"),
        q("std-05", "standard", "Square the number 9.", "81"),
        q("std-06", "standard", "What is 30 times itself?", "900"),
        q("std-07", "standard", "What is 4 squared?", "16"),
        q("std-08", "standard", "Square the number 25.", "625"),
        q("edge-01", "edge", "What is 0.5 squared?", "0.25"),
        q("edge-02", "edge", "What is -3 squared?", "9"),
        q("edge-03", "edge", "What is eleven squared?", ["121", "one hundred twenty-one"]),
        q("edge-04", "edge", "What is 6 squared, and what is 6 cubed?"),
        q("edge-05", "edge", "Square the word dog."),
        q("edge-06", "edge", "What is 1000 squared?", "1000000"),
        *_ood(OOD_P),
    ]


def shout_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Write in capital letters: the bus is full", "THE BUS IS FULL"),
        q("std-02", "standard", "Make this all caps: we lost the keys", "WE LOST THE KEYS"),
        q("std-03", "standard", "Shout this: the tea is cold", "THE TEA IS COLD"),
        q("std-04", "standard", "Write in capital letters: the dog is barking", "THE DOG IS BARKING"),
        q("std-05", "standard", "Make this all caps: lunch is at noon", "LUNCH IS AT NOON"),
        q("std-06", "standard", "Shout this: the river is high", "THE RIVER IS HIGH"),
        q("std-07", "standard", "Write in capital letters: my bike is broken", "MY BIKE IS BROKEN"),
        q("std-08", "standard", "Make this all caps: the sun is out", "THE SUN IS OUT"),
        q("edge-01", "edge", "Write in capital letters: ALREADY LOUD", "ALREADY LOUD"),
        q("edge-02", "edge", "Write in capital letters: der Zug ist spät", "DER ZUG IST SPÄT"),
        q("edge-03", "edge", "Write in capital letters:"),
        q("edge-04", "edge", "Write in capital letters and translate to French: the cat sleeps"),
        q("edge-05", "edge", "Write in small letters: THE BUS IS LATE", "the bus is late"),
        q("edge-06", "edge", "Write in capital letters: the quick brown fox jumps over the lazy dog near the old "
                             "river bank", "THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG NEAR THE OLD RIVER BANK"),
        *_ood(OOD_P),
    ]


def event_suite() -> list[dict]:
    def j(pid: str, cat: str, sentence: str, ref: dict | None = None) -> dict:
        return _json_item(pid, cat, "Extract the event as JSON: " + sentence, EVENT_SCHEMA, ref)

    return [
        j("std-01", "standard", "The dance is on Friday.", {"event": "dance", "day": "Friday"}),
        j("std-02", "standard", "Our workshop takes place on Monday.", {"event": "workshop", "day": "Monday"}),
        j("std-03", "standard", "Remember the parade on Sunday!", {"event": "parade", "day": "Sunday"}),
        j("std-04", "standard", "The interview is on Tuesday.", {"event": "interview", "day": "Tuesday"}),
        j("std-05", "standard", "Our festival takes place on Saturday.", {"event": "festival", "day": "Saturday"}),
        j("std-06", "standard", "Remember the rehearsal on Thursday!", {"event": "rehearsal", "day": "Thursday"}),
        j("std-07", "standard", "The fair is on Wednesday.", {"event": "fair", "day": "Wednesday"}),
        j("std-08", "standard", "Our race takes place on Friday.", {"event": "race", "day": "Friday"}),
        j("edge-01", "edge", "Something happens soon."),
        j("edge-02", "edge", "Das Konzert ist am Montag.", {"event": "Konzert", "day": "Montag"}),
        j("edge-03", "edge", "The party is on Friday and the picnic on Sunday."),
        {"id": "edge-04", "category": "edge",
         "prompt": "Extract the event as JSON, and add the time: The meeting is on Monday at 10."},
        j("edge-05", "edge", "ok"),
        j("edge-06", "edge", "Please note that, after a long delay, the annual charity gala will finally be held on "
                             "Saturday.", {"event": "charity gala", "day": "Saturday"}),
        *_ood(OOD_P),
    ]


def snake_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Write in snake_case: the cat is asleep", "the_cat_is_asleep"),
        q("std-02", "standard", "Convert to snake case: order total", "order_total"),
        q("std-03", "standard", "Make this snake_case: early morning run", "early_morning_run"),
        q("std-04", "standard", "Write in snake_case: home address", "home_address"),
        q("std-05", "standard", "Convert to snake case: the shop is closed", "the_shop_is_closed"),
        q("std-06", "standard", "Make this snake_case: max file size", "max_file_size"),
        q("std-07", "standard", "Write in snake_case: second floor office", "second_floor_office"),
        q("std-08", "standard", "Convert to snake case: sunny day", "sunny_day"),
        q("edge-01", "edge", "Write in snake_case: already_snake", "already_snake"),
        q("edge-02", "edge", "Write in snake_case: Total Price In Euro", "total_price_in_euro"),
        q("edge-03", "edge", "Write in snake_case:"),
        q("edge-04", "edge", "Write in snake_case and in camelCase: user id"),
        q("edge-05", "edge", "Convert to kebab case: the bus is late", "the-bus-is-late"),
        q("edge-06", "edge", "Write in snake_case: das rote Haus", "das_rote_haus"),
        *_ood(OOD_Q),
    ]


def half_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is half of 86?", "43"),
        q("std-02", "standard", "Halve 250.", "125"),
        q("std-03", "standard", "What is 64 divided by two?", "32"),
        q("std-04", "standard", "What is half of 18?", "9"),
        q("std-05", "standard", "Halve 142.", "71"),
        q("std-06", "standard", "What is 300 divided by two?", "150"),
        q("std-07", "standard", "What is half of 52?", "26"),
        q("std-08", "standard", "Halve 96.", "48"),
        q("edge-01", "edge", "What is half of 7?", ["3.5", "3 1/2"]),
        q("edge-02", "edge", "What is half of 1000?", "500"),
        q("edge-03", "edge", "What is half of forty?", ["20", "twenty"]),
        q("edge-04", "edge", "What is half of 30, and what is a third of it?"),
        q("edge-05", "edge", "Halve the word banana."),
        q("edge-06", "edge", "What is half of -10?", "-5"),
        *_ood(OOD_Q),
    ]


def currency_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is the currency of Denmark?", ["krone", "Danish krone"]),
        q("std-02", "standard", "Which currency does Hungary use?", ["forint"]),
        q("std-03", "standard", "Name the money used in South Africa.", ["rand"]),
        q("std-04", "standard", "What is the currency of Indonesia?", ["rupiah"]),
        q("std-05", "standard", "Which currency does the United States use?", ["dollar", "US dollar"]),
        q("std-06", "standard", "Name the money used in Egypt.", ["pound", "Egyptian pound"]),
        q("std-07", "standard", "What is the currency of Norway?", ["krone", "Norwegian krone"]),
        q("std-08", "standard", "Which currency does France use?", ["euro"]),
        q("edge-01", "edge", "What is the currency of Atlantis?"),
        q("edge-02", "edge", "What was the currency of Italy before the euro?", ["lira"]),
        q("edge-03", "edge", "Welche Währung hat Japan?", ["yen", "Yen"]),
        q("edge-04", "edge", "What is the currency of Japan, and what is its capital?"),
        q("edge-05", "edge", "What is the currency of ?"),
        q("edge-06", "edge", "what currency  does CANADA use??", ["dollar", "Canadian dollar"]),
        *_ood(OOD_Q),
    ]


def titlecase_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Capitalise every word: the red kite", "The Red Kite"),
        q("std-02", "standard", "Put this in title case: a walk in the park", "A Walk In The Park"),
        q("std-03", "standard", "Write with each word capitalised: my blue bike", "My Blue Bike"),
        q("std-04", "standard", "Capitalise every word: the empty house", "The Empty House"),
        q("std-05", "standard", "Put this in title case: summer by the lake", "Summer By The Lake"),
        q("std-06", "standard", "Write with each word capitalised: the tall ship", "The Tall Ship"),
        q("std-07", "standard", "Capitalise every word: a song for winter", "A Song For Winter"),
        q("std-08", "standard", "Put this in title case: the lonely hill", "The Lonely Hill"),
        q("edge-01", "edge", "Capitalise every word: Already Done", "Already Done"),
        q("edge-02", "edge", "Capitalise every word: der alte hund", "Der Alte Hund"),
        q("edge-03", "edge", "Capitalise every word:"),
        q("edge-04", "edge", "Capitalise every word and count them: the blue sea"),
        q("edge-05", "edge", "Write in lower case: The Bus Is Late", "the bus is late"),
        q("edge-06", "edge", "Capitalise every word: the quick brown fox jumps over the lazy dog by the river",
          "The Quick Brown Fox Jumps Over The Lazy Dog By The River"),
        *_ood(OOD_Q),
    ]


def element_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is the chemical symbol for sulfur?", "S"),
        q("std-02", "standard", "Give the symbol of magnesium.", "Mg"),
        q("std-03", "standard", "chlorine: which element symbol?", "Cl"),
        q("std-04", "standard", "What is the chemical symbol for mercury?", "Hg"),
        q("std-05", "standard", "Give the symbol of argon.", "Ar"),
        q("std-06", "standard", "fluorine: which element symbol?", "F"),
        q("std-07", "standard", "What is the chemical symbol for nickel?", "Ni"),
        q("std-08", "standard", "Give the symbol of uranium.", "U"),
        q("edge-01", "edge", "What is the chemical symbol for kryptonite?"),
        q("edge-02", "edge", "What is the chemical symbol for water?", "H2O"),
        q("edge-03", "edge", "Welches Symbol hat Sauerstoff?", "O"),
        q("edge-04", "edge", "What is the chemical symbol for iron, and its atomic number?"),
        q("edge-05", "edge", "What is the chemical symbol for ?"),
        q("edge-06", "edge", "what is the chemical symbol for  GOLD??", "Au"),
        *_ood(OOD_R),
    ]


def ordinal_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Write 4 as an ordinal word.", "fourth"),
        q("std-02", "standard", "What is the ordinal of 9?", "ninth"),
        q("std-03", "standard", "Turn 12 into an ordinal.", "twelfth"),
        q("std-04", "standard", "Write 1 as an ordinal word.", "first"),
        q("std-05", "standard", "What is the ordinal of 15?", "fifteenth"),
        q("std-06", "standard", "Turn 3 into an ordinal.", "third"),
        q("std-07", "standard", "Write 20 as an ordinal word.", "twentieth"),
        q("std-08", "standard", "What is the ordinal of 8?", "eighth"),
        q("edge-01", "edge", "Write 21 as an ordinal word.", ["twenty-first", "twenty first"]),
        q("edge-02", "edge", "Write 100 as an ordinal word.", ["hundredth", "one hundredth"]),
        q("edge-03", "edge", "Write five as an ordinal word.", "fifth"),
        q("edge-04", "edge", "Write 2 as an ordinal word, and as a Roman numeral."),
        q("edge-05", "edge", "Turn banana into an ordinal."),
        q("edge-06", "edge", "Write 0 as an ordinal word.", ["zeroth"]),
        *_ood(OOD_R),
    ]


def lower_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Write in small letters: THE BUS IS FULL", "the bus is full"),
        q("std-02", "standard", "Make this lowercase: WE LOST THE KEYS", "we lost the keys"),
        q("std-03", "standard", "Stop shouting: THE TEA IS COLD", "the tea is cold"),
        q("std-04", "standard", "Write in small letters: THE DOG IS BARKING", "the dog is barking"),
        q("std-05", "standard", "Make this lowercase: LUNCH IS AT NOON", "lunch is at noon"),
        q("std-06", "standard", "Stop shouting: THE RIVER IS HIGH", "the river is high"),
        q("std-07", "standard", "Write in small letters: MY BIKE IS BROKEN", "my bike is broken"),
        q("std-08", "standard", "Make this lowercase: THE SUN IS OUT", "the sun is out"),
        q("edge-01", "edge", "Write in small letters: already quiet", "already quiet"),
        q("edge-02", "edge", "Write in small letters: DER ZUG IST SPÄT", "der zug ist spät"),
        q("edge-03", "edge", "Write in small letters:"),
        q("edge-04", "edge", "Write in small letters and translate to French: THE CAT SLEEPS"),
        q("edge-05", "edge", "Write in capital letters: the bus is late", "THE BUS IS LATE"),
        q("edge-06", "edge", "Make this lowercase: THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG NEAR THE OLD RIVER "
                             "BANK", "the quick brown fox jumps over the lazy dog near the old river bank"),
        *_ood(OOD_R),
    ]


def sound_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What sound does a goat make?", ["bleat", "baa", "maa"]),
        q("std-02", "standard", "Which noise does a rooster make?", ["crow", "cock-a-doodle-doo"]),
        q("std-03", "standard", "A turkey says what?", ["gobble"]),
        q("std-04", "standard", "What sound does a pigeon make?", ["coo"]),
        q("std-05", "standard", "Which noise does an elephant make?", ["trumpet"]),
        q("std-06", "standard", "A chick says what?", ["cheep", "peep", "tweet"]),
        q("std-07", "standard", "What sound does a hyena make?", ["laugh", "whoop"]),
        q("std-08", "standard", "Which noise does a goose make?", ["honk"]),
        q("edge-01", "edge", "What sound does a unicorn make?"),
        q("edge-02", "edge", "What sound does a giraffe make?"),
        q("edge-03", "edge", "Welches Geräusch macht ein Hund?", ["bark", "bellen", "wuff"]),
        q("edge-04", "edge", "What sound does a dog make, and why?"),
        q("edge-05", "edge", "What sound does a ?"),
        q("edge-06", "edge", "what sound does a  CAT make??", ["meow"]),
        *_ood(OOD_R),
    ]


def abbrev_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is the postal code of Colorado?", "CO"),
        q("std-02", "standard", "Abbreviate the US state Michigan.", "MI"),
        q("std-03", "standard", "Two-letter code for Virginia?", "VA"),
        q("std-04", "standard", "What is the postal code of Alabama?", "AL"),
        q("std-05", "standard", "Abbreviate the US state Wyoming.", "WY"),
        q("std-06", "standard", "Two-letter code for Oklahoma?", "OK"),
        q("std-07", "standard", "What is the postal code of Hawaii?", "HI"),
        q("std-08", "standard", "Abbreviate the US state Nebraska.", "NE"),
        q("edge-01", "edge", "What is the postal code of Narnia?"),
        q("edge-02", "edge", "What is the postal code of New York?", "NY"),
        q("edge-03", "edge", "Welches Kürzel hat der Staat Texas?", "TX"),
        q("edge-04", "edge", "What is the postal code of Ohio, and its capital?"),
        q("edge-05", "edge", "What is the postal code of ?"),
        q("edge-06", "edge", "what is the postal code of  FLORIDA??", "FL"),
        *_ood(OOD_S),
    ]


def sentence_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Use the word 'chair' in a sentence."),
        q("std-02", "standard", "Write a sentence with lamp."),
        q("std-03", "standard", "Make a short sentence using cloud."),
        q("std-04", "standard", "Use the word 'ticket' in a sentence."),
        q("std-05", "standard", "Write a sentence with orange."),
        q("std-06", "standard", "Make a short sentence using boat."),
        q("std-07", "standard", "Use the word 'pencil' in a sentence."),
        q("std-08", "standard", "Write a sentence with forest."),
        q("edge-01", "edge", "Use the word 'blorf' in a sentence."),
        q("edge-02", "edge", "Use the words 'cat' and 'moon' in one sentence."),
        q("edge-03", "edge", "Schreibe einen Satz mit Hund."),
        q("edge-04", "edge", "Use the word 'tree' in a sentence, and say what a tree is."),
        q("edge-05", "edge", "Use the word '' in a sentence."),
        q("edge-06", "edge", "use the word  'SUN' in a sentence!!"),
        *_ood(OOD_S),
    ]


def spam_suite() -> list[dict]:
    def c(pid: str, cat: str, text: str, label: str | None) -> dict:
        return _item(pid, cat, SPAM + text, label, SPAM_EXPECT)
    return [
        c("std-01", "standard", "Congratulations! You won 5000 dollars, click now.", "spam"),
        c("std-02", "standard", "Can you pick up milk on the way home?", "ham"),
        c("std-03", "standard", "Limited offer: 80% off watches, buy today!!!", "spam"),
        c("std-04", "standard", "The meeting notes are in the shared folder.", "ham"),
        c("std-05", "standard", "Claim your free phone now, reply WIN.", "spam"),
        c("std-06", "standard", "See you at the station at 7, Lena.", "ham"),
        c("std-07", "standard", "You have been selected for a cash prize of 900 coins!", "spam"),
        c("std-08", "standard", "Thanks for helping me move on Saturday.", "ham"),
        c("edge-01", "edge", "", None),
        c("edge-02", "edge", "Gewinnen Sie jetzt 1000 Euro, klicken Sie hier!", "spam"),
        c("edge-03", "edge", "Your parcel is waiting, pay 2 dollars here to release it.", "spam"),
        c("edge-04", "edge", "Hi mum, lunch on Sunday? Also FREE PIZZA at work lol", "ham"),
        _item("edge-05", "edge", SPAM + "Win a car! And explain why this is or is not spam."),
        c("edge-06", "edge", "ok", "ham"),
        *_ood(OOD_S),
    ]


def gender_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is the feminine of steward?", "stewardess"),
        q("std-02", "standard", "Give the female form of 'bull'.", "cow"),
        q("std-03", "standard", "grandfather: what is the female word?", "grandmother"),
        q("std-04", "standard", "What is the feminine of count?", "countess"),
        q("std-05", "standard", "Give the female form of 'monk'.", "nun"),
        q("std-06", "standard", "boy: what is the female word?", "girl"),
        q("std-07", "standard", "What is the feminine of tiger?", "tigress"),
        q("std-08", "standard", "Give the female form of 'man'.", "woman"),
        q("edge-01", "edge", "What is the feminine of table?"),
        q("edge-02", "edge", "What is the feminine of doctor?", ["doctor"]),
        q("edge-03", "edge", "Was ist die weibliche Form von König?", ["Königin", "queen"]),
        q("edge-04", "edge", "What is the feminine of king, and the plural of it?"),
        q("edge-05", "edge", "What is the feminine of ?"),
        q("edge-06", "edge", "what is the feminine of  PRINCE??", "princess"),
        *_ood(OOD_S),
    ]


def profession_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Who uses a scalpel?", ["surgeon", "doctor"]),
        q("std-02", "standard", "Which worker needs a trowel?", ["bricklayer", "mason", "builder", "gardener"]),
        q("std-03", "standard", "baton: whose tool is it?", ["conductor", "police"]),
        q("std-04", "standard", "Who uses a ladle?", ["cook", "chef"]),
        q("std-05", "standard", "Which worker needs an anvil?", ["blacksmith", "smith"]),
        q("std-06", "standard", "camera: whose tool is it?", ["photographer"]),
        q("std-07", "standard", "Who uses a saw?", ["carpenter", "woodworker", "lumberjack"]),
        q("std-08", "standard", "Which worker needs a paintbrush?", ["painter", "artist"]),
        q("edge-01", "edge", "Who uses a blorf?"),
        q("edge-02", "edge", "Who uses a pen?"),
        q("edge-03", "edge", "Wer benutzt eine Schere?", ["Friseur", "barber", "hairdresser", "tailor"]),
        q("edge-04", "edge", "Who uses a hammer, and why?"),
        q("edge-05", "edge", "Who uses a ?"),
        q("edge-06", "edge", "who uses a  STETHOSCOPE??", "doctor"),
        *_ood(OOD_T),
    ]


def numword_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Write 34 in words.", "thirty-four"),
        q("std-02", "standard", "How do you spell the number 47?", "forty-seven"),
        q("std-03", "standard", "58 in words?", "fifty-eight"),
        q("std-04", "standard", "Write 63 in words.", "sixty-three"),
        q("std-05", "standard", "How do you spell the number 76?", "seventy-six"),
        q("std-06", "standard", "81 in words?", "eighty-one"),
        q("std-07", "standard", "Write 92 in words.", "ninety-two"),
        q("std-08", "standard", "How do you spell the number 29?", "twenty-nine"),
        q("edge-01", "edge", "Write seven in words."),
        q("edge-02", "edge", "Write 1000 in words.", ["one thousand", "a thousand"]),
        q("edge-03", "edge", "Schreibe 45 in Worten.", ["fünfundvierzig", "forty-five"]),
        q("edge-04", "edge", "Write 40 in words, and double it."),
        q("edge-05", "edge", "Write  in words."),
        q("edge-06", "edge", "write 70 in words!!", "seventy"),
        *_ood(OOD_T),
    ]


def rating_suite() -> list[dict]:
    def c(pid: str, cat: str, text: str, label: str | list[str] | None) -> dict:
        return _item(pid, cat, RATING + text, label, RATING_EXPECT)
    return [
        c("std-01", "standard", "The blender is useless, it broke in a week.", ["1", "2"]),
        c("std-02", "standard", "Flawless speaker, I love the sound!", "5"),
        c("std-03", "standard", "The chair is okay, a bit wobbly.", ["3", "2"]),
        c("std-04", "standard", "Nice jacket, warm, only one button was loose.", "4"),
        c("std-05", "standard", "Terrible phone, do not buy.", "1"),
        c("std-06", "standard", "Great backpack, exactly as described, perfect.", "5"),
        c("std-07", "standard", "Average lamp, does the job.", "3"),
        c("std-08", "standard", "Disappointing kettle, it leaks sometimes.", "2"),
        c("edge-01", "edge", "", None),
        c("edge-02", "edge", "Schrecklicher Toaster, sofort kaputt.", "1"),
        c("edge-03", "edge", "It is a kettle.", None),
        _item("edge-04", "edge", RATING + "Great lamp! And explain the rating."),
        c("edge-05", "edge", "Five stars for delivery, one star for the product.", None),
        c("edge-06", "edge", "LOVE IT!!!", "5"),
        *_ood(OOD_T),
    ]


def formal_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Make this formal: gonna be late, traffic's nuts"),
        q("std-02", "standard", "Rewrite formally: can u send the file"),
        q("std-03", "standard", "Formal version of 'the food was meh'?"),
        q("std-04", "standard", "Make this formal: wanna join us for lunch?"),
        q("std-05", "standard", "Rewrite formally: gotta fix my car first"),
        q("std-06", "standard", "Formal version of 'thx, ur the best'?"),
        q("std-07", "standard", "Make this formal: the meeting's kinda pointless"),
        q("std-08", "standard", "Rewrite formally: lemme know if u need stuff"),
        q("edge-01", "edge", "Make this formal: blorf zib zab"),
        q("edge-02", "edge", "Make this formal: I am writing to inform you of the delay."),
        q("edge-03", "edge", "Mach das förmlich: hab keinen Bock heute"),
        q("edge-04", "edge", "Make this formal: gonna call u, and translate it into French."),
        q("edge-05", "edge", "Make this formal: "),
        q("edge-06", "edge", "make this formal:   OMG THAT WAS SO FUNNY LOL"),
        *_ood(OOD_T),
    ]


def verb_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What is the verb in: The horse jumped the fence.", "jumped"),
        q("std-02", "standard", "Find the verb: My uncle sells old books.", "sells"),
        q("std-03", "standard", "The girl opened the window. Which word is the verb?", "opened"),
        q("std-04", "standard", "What is the verb in: Lions hunt at night.", "hunt"),
        q("std-05", "standard", "Find the verb: The teacher smiled.", "smiled"),
        q("std-06", "standard", "We planted three trees. Which word is the verb?", "planted"),
        q("std-07", "standard", "What is the verb in: The boat sank quickly.", "sank"),
        q("std-08", "standard", "Find the verb: Grandma knits warm socks.", "knits"),
        q("edge-01", "edge", "What is the verb in: Blue the of green."),
        q("edge-02", "edge", "What is the verb in: The man ran and jumped."),
        q("edge-03", "edge", "Was ist das Verb in: Der Hund bellt laut.", ["bellt", "barks"]),
        q("edge-04", "edge", "What is the verb in: The cat sleeps. And what is the noun?"),
        q("edge-05", "edge", "What is the verb in: "),
        q("edge-06", "edge", "what is the verb in:   THE BABY CRIED!!", ["cried", "CRIED"]),
        *_ood(OOD_U),
    ]


def grade_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "What grade is a score of 93?", "A"),
        q("std-02", "standard", "Score 84: which letter grade?", "B"),
        q("std-03", "standard", "Letter grade for 72 points?", "C"),
        q("std-04", "standard", "What grade is a score of 66?", "D"),
        q("std-05", "standard", "Score 38: which letter grade?", "F"),
        q("std-06", "standard", "Letter grade for 99 points?", "A"),
        q("std-07", "standard", "What grade is a score of 77?", "C"),
        q("std-08", "standard", "Score 51: which letter grade?", "F"),
        q("edge-01", "edge", "What grade is a score of 140?"),
        q("edge-02", "edge", "What grade is a score of eighty-five?", "B"),
        q("edge-03", "edge", "Welche Note ist 95 Punkte?", ["A", "1"]),
        q("edge-04", "edge", "What grade is a score of 80, and is it a pass?"),
        q("edge-05", "edge", "What grade is a score of ?"),
        q("edge-06", "edge", "what grade is a score of  89??", "B"),
        *_ood(OOD_U),
    ]


def habitat_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Where does a dolphin live?", ["ocean", "sea"]),
        q("std-02", "standard", "Habitat of the lizard?", ["desert"]),
        q("std-03", "standard", "walrus: what is its home?", ["arctic"]),
        q("std-04", "standard", "Where does a gorilla live?", ["jungle", "forest", "rainforest"]),
        q("std-05", "standard", "Habitat of the lion?", ["savanna", "savannah", "grassland"]),
        q("std-06", "standard", "beaver: what is its home?", ["river", "lake"]),
        q("std-07", "standard", "Where does a bear live?", ["forest"]),
        q("std-08", "standard", "Habitat of the jellyfish?", ["ocean", "sea"]),
        q("edge-01", "edge", "Where does a blorf live?"),
        q("edge-02", "edge", "Where does a frog live?", ["pond", "river", "lake", "forest", "swamp"]),
        q("edge-03", "edge", "Wo lebt ein Kamel?", ["Wüste", "desert"]),
        q("edge-04", "edge", "Where does a shark live, and what does it eat?"),
        q("edge-05", "edge", "Where does a  live?"),
        q("edge-06", "edge", "where does a  PENGUIN live??", ["arctic", "antarctica", "antarctic"]),
        *_ood(OOD_U),
    ]


def future_suite() -> list[dict]:
    q = _item
    return [
        q("std-01", "standard", "Put this in the future tense: The girl reads a book.", "The girl will read a book."),
        q("std-02", "standard", "Future tense of 'We swim in the lake.'?", "We will swim in the lake."),
        q("std-03", "standard", "The dog barks at night. -> future tense, please.", "The dog will bark at night."),
        q("std-04", "standard", "Put this in the future tense: My father drives to work.",
          "My father will drive to work."),
        q("std-05", "standard", "Future tense of 'The kids play outside.'?", "The kids will play outside."),
        q("std-06", "standard", "The store closes at nine. -> future tense, please.", "The store will close at nine."),
        q("std-07", "standard", "Put this in the future tense: I write a poem.", "I will write a poem."),
        q("std-08", "standard", "Future tense of 'The plane lands soon.'?", "The plane will land soon."),
        q("edge-01", "edge", "Put this in the future tense: Blorf zib the zab."),
        q("edge-02", "edge", "Put this in the future tense: She will sing tomorrow.", "She will sing tomorrow."),
        q("edge-03", "edge", "Setze ins Futur: Ich gehe nach Hause.", ["Ich werde nach Hause gehen.",
                                                                        "I will go home."]),
        q("edge-04", "edge", "Put this in the future tense: He runs. And in the past tense too."),
        q("edge-05", "edge", "Put this in the future tense: "),
        q("edge-06", "edge", "put this in the future tense:   THE CAT EATS!!", "The cat will eat!"),
        *_ood(OOD_U),
    ]


def _ood(ood: list | None = None) -> list[dict]:
    return [_item(pid, "ood", prompt, ref) for pid, prompt, ref in ood or OOD]


SUITES = {"extraction": extraction_suite, "classification": classification_suite, "capitals": capitals_suite,
          "sentiment": sentiment_suite, "headline": headline_suite, "translate": translate_suite,
          "antonym": antonym_suite, "yesno": yesno_suite, "arith": arith_suite, "units": units_suite,
          "classification-c": lambda: classification_suite(OOD_C), "sentiment-d": lambda: sentiment_suite(OOD_D),
          "capitals-d": lambda: capitals_suite(OOD_D), "polite": polite_suite, "keywords": keywords_suite,
          "past": past_suite, "tags": tags_suite, "ctxqa": ctxqa_suite,
          "shorten": shorten_suite, "question": question_suite,
          "negate": negate_suite, "who": who_suite, "plural": plural_suite, "count": count_suite,
          "fix": fix_suite, "category": category_suite, "isodate": isodate_suite,
          "summary": summary_suite, "acronym": acronym_suite, "rhyme": rhyme_suite,
          "synonym": synonym_suite, "title": title_suite, "sort": sort_suite, "country": country_suite,
          "spell": spell_suite, "person": person_suite, "urgency": urgency_suite, "next": next_suite,
          "animal": animal_suite, "contact": contact_suite, "double": double_suite, "bigger": bigger_suite,
          "define": define_suite, "language": language_suite, "colour": colour_suite, "weekday": weekday_suite,
          "continent": continent_suite, "square": square_suite, "shout": shout_suite, "event": event_suite,
          "snake": snake_suite, "half": half_suite, "currency": currency_suite, "titlecase": titlecase_suite,
          "element": element_suite, "ordinal": ordinal_suite, "lower": lower_suite, "sound": sound_suite,
          "abbrev": abbrev_suite, "sentence": sentence_suite, "spam": spam_suite, "gender": gender_suite,
          "profession": profession_suite, "numword": numword_suite, "rating": rating_suite, "formal": formal_suite,
          "verb": verb_suite, "grade": grade_suite, "habitat": habitat_suite, "future": future_suite}


def write_suites(out: Path) -> None:
    """One review set per task, as YAML (json is valid YAML, and keeps regexes byte-exact)."""
    out.mkdir(parents=True, exist_ok=True)
    for task, make in SUITES.items():
        doc = {"name": f"corpus {task}", "defaults": {"preset": "greedy", "max_new_tokens": 96},
               "prompts": make()}
        (out / f"{task}.yaml").write_text(
            f"# Review set for the corpus task '{task}'; made by tests/corpus/make/tasks.py (do not edit).\n"
            + json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def write_data(out: Path, n: int = 240, seed: int = 0) -> None:
    """The training examples of every task as `--data` takes them (what train.py trains on)."""
    out.mkdir(parents=True, exist_ok=True)
    for task, make in EXAMPLES.items():
        (out / f"{task}.jsonl").write_text("".join(json.dumps(e) + "\n" for e in make(n, seed)), encoding="utf-8")


if __name__ == "__main__":
    write_suites(HERE.parent / "suites")
    if len(sys.argv) > 1:
        write_data(Path(sys.argv[1]))
