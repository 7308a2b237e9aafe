"""Word lists for CheckList tests, and the edits built on them: name, place and neutral
word swaps (invariance), negation and intensifiers (directional expectation).

- :data:`NAMES`: 48 first names of diverse origins (West/East African, Arabic, Chinese,
  Indian, Japanese, Korean, Latin American, Slavic, Nordic, English, French, Turkish...),
  women's and men's; :data:`PLACES`: 48 one-word cities and countries on every continent.
  A model whose sentiment moves when "Emma" becomes "Oluwaseun" or "Paris" becomes "Lagos"
  has learnt something it should not (Ribeiro et al. 2020, section 3).
- :data:`NEUTRAL_GROUPS`: words whose swap changes no sentiment (weekdays, months,
  colours, "this" / "that", "yesterday" / "today").
- :func:`negate` inserts "not" after the first auxiliary or copula ("is", "was", "can",
  "will", "it's"...), or returns None when there is none (the case is then not applicable,
  and counted as such); :func:`intensify` puts an intensifier after the first copula.

>>> negate("The food was good."), negate("Loved it")
('The food was not good.', None)
>>> intensify("This film is good", "really")
'This film is really good'
>>> negate("John's car is red")  # a possessive is not "is"
"John's car is not red"
>>> swap(r"Emma liked Paris", NAMES, ["Wei"])
['Wei liked Paris']
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from .base import WORD, match_case

__all__ = ["AUXILIARIES", "COPULAS", "INTENSIFIERS", "NAMES", "NEUTRAL_GROUPS", "PLACES",
           "intensify", "negate", "swap"]

NAMES: tuple[str, ...] = (
    "Emma", "James", "Olivia", "William", "Sophie", "Thomas", "Chloe", "Lucas",
    "Amara", "Kwame", "Chidi", "Oluwaseun", "Aisha", "Fatima", "Omar", "Youssef",
    "Layla", "Hassan", "Wei", "Mei", "Jun", "Xiu", "Hiroshi", "Yuki",
    "Haruto", "Sakura", "Minji", "Seojun", "Priya", "Arjun", "Ananya", "Rahul",
    "Diego", "Camila", "Mateo", "Valentina", "Santiago", "Lucia", "Dmitri", "Olga",
    "Ivan", "Katarzyna", "Lars", "Ingrid", "Sven", "Zeynep", "Emre", "Noa")
PLACES: tuple[str, ...] = (
    "Paris", "London", "Berlin", "Madrid", "Rome", "Warsaw", "Oslo", "Lisbon",
    "Lagos", "Nairobi", "Accra", "Cairo", "Casablanca", "Dakar", "Kinshasa", "Johannesburg",
    "Mumbai", "Delhi", "Karachi", "Dhaka", "Beijing", "Shanghai", "Tokyo", "Seoul",
    "Jakarta", "Manila", "Hanoi", "Bangkok", "Tehran", "Istanbul", "Baghdad", "Riyadh",
    "Lima", "Bogota", "Quito", "Caracas", "Havana", "Toronto", "Chicago", "Houston",
    "Sydney", "Auckland", "Brazil", "Nigeria", "Kenya", "India", "Mexico", "Vietnam")
NEUTRAL_GROUPS: tuple[tuple[str, ...], ...] = (
    ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
    ("january", "february", "march", "april", "june", "july", "august", "september",
     "october", "november", "december"),
    ("red", "blue", "green", "yellow", "white", "black", "brown", "grey"),
    ("this", "that"), ("these", "those"), ("yesterday", "today"),
    ("morning", "afternoon", "evening"), ("week", "month", "year"))
AUXILIARIES: tuple[str, ...] = (
    "is", "was", "are", "were", "am", "do", "does", "did", "can", "could", "will",
    "would", "should", "has", "have", "had", "must", "may", "might")
COPULAS: tuple[str, ...] = ("is", "was", "are", "were", "am")
INTENSIFIERS: tuple[str, ...] = ("very", "really", "extremely", "incredibly", "truly")
# "'re" and "'m" are always "are" / "am"; "'s" is "is" only after a pronoun or the like
# ("it's", "there's"): after a noun it is mostly the possessive ("John's car is red")
_CONTRACTED = re.compile(
    r"^(?:\w+['\u2019](?:re|m)|(?:it|that|this|he|she|there|here|what|who|where|how|"
    r"everything|nothing|something|everyone|someone|nobody)['\u2019]s)$", re.IGNORECASE)
_NEGATED = ("not", "never", "no")


def _next_word(text: str, end: int) -> str:
    m = WORD.search(text, end)
    return m.group().lower() if m else ""


def negate(text: str) -> str | None:
    """``text`` with "not" after its first auxiliary (or a contraction such as "it's"),
    or None when it has none or is already negated there."""
    for m in WORD.finditer(text):
        word = m.group().lower().replace("\u2019", "'")
        if word.endswith("n't"):
            return None
        if word in AUXILIARIES or _CONTRACTED.search(word):
            if _next_word(text, m.end()) in _NEGATED:
                return None
            return text[:m.end()] + " not" + text[m.end():]
    return None


def intensify(text: str, intensifier: str = "very") -> str | None:
    """``text`` with ``intensifier`` after its first copula ("is", "was", "it's"...), or
    None when it has none, or when "not" or an intensifier already follows it."""
    for m in WORD.finditer(text):
        word = m.group().lower()
        if word in COPULAS or _CONTRACTED.search(word):
            after = _next_word(text, m.end())
            if not after or after in _NEGATED or after in INTENSIFIERS:
                return None
            return text[:m.end()] + " " + intensifier + text[m.end():]
    return None


def swap(text: str, words: Sequence[str], replacements: Sequence[str], *,
         ignore_case: bool = False) -> list[str]:
    """One variant of ``text`` per replacement: every occurrence of any of ``words`` (whole
    words) replaced by it; an empty list when ``text`` holds none of ``words`` (or the
    replacement is the word itself)."""
    if not words:
        return []
    flags = re.IGNORECASE if ignore_case else 0
    pattern = re.compile(r"(?<!\w)(" + "|".join(map(re.escape, words)) + r")(?!\w)", flags)
    found = {m.group().lower() for m in pattern.finditer(text)}
    if not found:
        return []
    out = []
    for new in replacements:
        if new.lower() in found:
            continue
        out.append(pattern.sub(lambda m, new=new: match_case(new, m.group()), text))
    return out
