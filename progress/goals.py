"""The key concepts of each goal: "A computer vision engineer needs different mathematical
foundations than someone developing recommendation systems."

Plain data keyed by the goal values (accounts.models.Goal) and the catalogue's concept slugs.
A learner's card session shows the cards of their goal's key concepts first. Research names
no slugs: its key concepts are the proofs-level ones, every concept at the advanced level.
"""

KEY_CONCEPTS = {
    "computer-vision": (
        "convolution-as-linear-map",
        "linear-transformations",
        "matrix-multiplication",
        "gradients",
    ),
    "recommender-systems": ("matrix-factorisation", "similarity", "graphs"),
    "nlp": ("probability-distributions", "embeddings", "vectors"),
    "general-ml": (),
    "research": (),
}
# Goals whose key concepts are a level rather than a list.
KEY_LEVEL = {"research": "advanced"}


def key_concepts(goal: str) -> tuple[str, ...]:
    return KEY_CONCEPTS.get(goal or "", ())


def key_level(goal: str) -> str | None:
    return KEY_LEVEL.get(goal or "")


def is_key(goal: str, slug: str, level: str) -> bool:
    """Whether the concept `slug` at `level` is one of the goal's key concepts."""
    return slug in key_concepts(goal) or (key_level(goal) is not None and level == key_level(goal))
