"""The guide's "code it within 24 hours": one small exercise per area of mathematics.

"Read about gradient descent? Open Jupyter Notebook and code it from scratch within 24
hours." When a learner finishes a resource the dashboard suggests the exercise for its area,
so the idea meets code while it is fresh. Plain data, keyed by the catalogue's domain slugs.
"""

from dataclasses import dataclass

GENERAL = "general"


@dataclass(frozen=True)
class Exercise:
    title: str
    task: str


EXERCISES = {
    "linear-algebra": Exercise(
        title="Transform the unit square with NumPy",
        task=(
            "Draw the unit square's four corners as the columns of a 2-by-2 NumPy array and "
            "apply a rotation, a shear and a scaling matrix to it, plotting each result with "
            "Matplotlib. Then multiply two of the matrices and check that applying the "
            "product equals applying them one after the other — and that the order matters."
        ),
    ),
    "calculus": Exercise(
        title="Gradient descent from scratch in a notebook",
        task=(
            "In a Jupyter notebook, minimise f(x, y) = (x - 3)² + 2(y + 1)² with gradient "
            "descent written by hand: compute the partial derivatives yourself, update the "
            "point in a loop and plot the path it takes. Try a learning rate that is too "
            "large and watch it diverge."
        ),
    ),
    "probability-statistics": Exercise(
        title="Simulate Bayes with a disease test",
        task=(
            "Simulate 100,000 people where 1% have a disease and a test is 95% sensitive and "
            "90% specific. Count how many positives are really ill and compare it with the "
            "answer from Bayes' theorem. Change the base rate and see how the answer moves."
        ),
    ),
    "discrete-math": Exercise(
        title="Build a decision-tree classifier on a toy dataset",
        task=(
            "Write a tiny decision tree for a made-up dataset (say, which coffee you want "
            "given mood and weather): compute the entropy of each split by hand in Python "
            "and pick the best one. Then fit scikit-learn's DecisionTreeClassifier to the "
            "same data and compare the first split it chooses."
        ),
    ),
    "programming-math": Exercise(
        title="Turn the notation into NumPy",
        task=(
            "Take three formulas from your last resource — a summation, a dot product and a "
            "mean squared error — and write each twice: once with a Python loop, once as a "
            "single NumPy expression. Check that both give the same number on random data "
            "and time them."
        ),
    ),
    "deep-learning": Exercise(
        title="A two-layer network with hand-written backpropagation",
        task=(
            "Train a network with one hidden layer on a toy dataset such as two interleaving "
            "moons, using only NumPy: the forward pass, the loss, the gradients by the chain "
            "rule and the update step. Check one gradient numerically with a finite "
            "difference before you trust the rest."
        ),
    ),
    "research": Exercise(
        title="Reproduce one equation from a paper",
        task=(
            "Pick a paper you read and find its central equation. Implement just that piece "
            "in a notebook on made-up inputs, and write one paragraph in your own words on "
            "which of linear algebra, calculus or probability it rests on."
        ),
    ),
    GENERAL: Exercise(
        title="Code the idea you just learned",
        task=(
            "Choose the one concept from this resource that surprised you most and implement "
            "it from scratch in a notebook on a small example. Then change a parameter, break "
            "it on purpose and write down what happened and why."
        ),
    ),
}


def exercise_for(domain_slug):
    """The exercise for an area, or the general one for an area without its own."""
    return EXERCISES.get(domain_slug or GENERAL, EXERCISES[GENERAL])


def domain_for_exercise(domain_slugs):
    """The first of a resource's domain slugs that has its own exercise, else 'general'."""
    for slug in domain_slugs:
        if slug in EXERCISES and slug != GENERAL:
            return slug
    return GENERAL
