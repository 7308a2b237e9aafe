"""A small generated sentiment corpus: templated positive and negative sentences, seeded."""

import numpy as np
import pytest

POSITIVE = ["great", "wonderful", "excellent", "lovely", "fantastic", "superb"]
NEGATIVE = ["awful", "terrible", "boring", "dreadful", "horrible", "dull"]
THINGS = ["movie", "book", "meal", "hotel", "concert", "show", "phone", "game"]
NAMES_A = ["Emma", "James", "Olivia", "William", "Sophie", "Thomas"]
TEMPLATES = ["{name} said the {thing} was {adj}.", "The {thing} was {adj}, said {name}.",
             "{name} thinks this {thing} is {adj}", "I found the {thing} {adj}, like {name} did."]


def make_corpus(n, seed, names=NAMES_A):
    """``n`` sentences with labels (1 positive, 0 negative) and the name each holds."""
    rng = np.random.default_rng(seed)
    texts, labels, used = [], [], []
    for _ in range(n):
        label = int(rng.integers(2))
        adj = rng.choice(POSITIVE if label else NEGATIVE)
        name = str(rng.choice(names))
        template = TEMPLATES[int(rng.integers(len(TEMPLATES)))]
        texts.append(template.format(name=name, thing=rng.choice(THINGS), adj=adj))
        labels.append(label)
        used.append(name)
    return texts, np.array(labels), used


@pytest.fixture(scope="module")
def corpus():
    texts, labels, _ = make_corpus(300, seed=0)
    return texts, labels


@pytest.fixture(scope="module")
def make():
    return make_corpus
