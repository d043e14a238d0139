# ruff: noqa: RUF001 -- proper multiplication and minus signs are intended in the texts.
"""The optional calibration check: four questions per area from the concepts' recall cards.

Each area asks about four of its cards, spread over its concepts and levels (the beginner
concepts first, one card per concept before any concept gets a second). A card's answer is
the right choice; the answers of other cards in the same area are the wrong ones. The
positions are shuffled per learner (seeded by who they are), so the right answer is not
always the second option. An area with too few cards keeps the fixed questions below.

A score is turned into a suggested rating so it can be shown beside the learner's own. The
learner decides: the roadmap always uses the rating they confirm on the questionnaire.
"""

import random
from dataclasses import dataclass, replace

# The check's areas (rating fields) and the catalogue areas whose concepts they ask about.
from assessment.roadmap import AREA_DOMAINS


@dataclass(frozen=True)
class Question:
    key: str
    area: str  # a rating field name
    text: str
    choices: tuple[str, ...]
    correct: int  # index into choices
    worked_answer: str


QUESTIONS = (
    # Linear algebra
    Question(
        "la1",
        "linear_algebra",
        "The matrix [[2, 0], [0, 3]] is applied to the unit square. What is the area of "
        "the shape you get?",
        ("1", "5", "6", "9"),
        2,
        "It stretches x by 2 and y by 3, turning the square into a 2×3 rectangle: area 6. "
        "In general the area scales by the determinant, 2·3 − 0·0 = 6.",
    ),
    Question(
        "la2",
        "linear_algebra",
        "What does the matrix [[0, −1], [1, 0]] do to every vector in the plane?",
        (
            "Reflects it in the x-axis",
            "Rotates it 90° anticlockwise",
            "Doubles its length",
            "Projects it onto the y-axis",
        ),
        1,
        "Its columns are where (1, 0) and (0, 1) land: (0, 1) and (−1, 0). Both turn a "
        "quarter turn anticlockwise, so the whole plane rotates by 90°.",
    ),
    Question(
        "la3",
        "linear_algebra",
        "A is a 3×2 matrix and B is a 2×4 matrix. What shape is the product AB?",
        ("2×2", "3×4", "4×3", "It is not defined"),
        1,
        "The inner sizes match (2 and 2), and the result takes the outer sizes: 3×4. This "
        "is exactly the shape bookkeeping you do for every layer of a neural network.",
    ),
    Question(
        "la4",
        "linear_algebra",
        "v is an eigenvector of A with eigenvalue 3. What is A·v?",
        ("v + 3", "3v", "v³", "A vector at right angles to v"),
        1,
        "That is the definition: A only stretches an eigenvector, by its eigenvalue, so "
        "A·v = 3v. PCA keeps the directions with the largest such stretches.",
    ),
    # Calculus
    Question(
        "calc1",
        "calculus",
        "What is the derivative of f(x) = x²?",
        ("x", "2x", "x²/2", "2"),
        1,
        "By the power rule, d/dx xⁿ = n·xⁿ⁻¹, so the derivative is 2x: at x = 3 the curve "
        "rises 6 units per unit step.",
    ),
    Question(
        "calc2",
        "calculus",
        "For f(x, y) = x²·y, what is the partial derivative ∂f/∂x?",
        ("2x", "2xy", "x²", "2x + y"),
        1,
        "Treat y as a constant and differentiate in x: ∂f/∂x = 2x·y. Partial derivatives "
        "like this, one per weight, make up the gradient.",
    ),
    Question(
        "calc3",
        "calculus",
        "Gradient descent updates a weight w with learning rate η. Which step is right?",
        ("w ← w + η·∂L/∂w", "w ← w − η·∂L/∂w", "w ← η·w", "w ← w − ∂L/∂η"),
        1,
        "The gradient points uphill on the loss surface, so you step against it: "
        "w ← w − η·∂L/∂w. A larger η takes bigger steps downhill.",
    ),
    Question(
        "calc4",
        "calculus",
        "By the chain rule, what is the derivative of sin(3x)?",
        ("cos(3x)", "3·cos(3x)", "−3·cos(3x)", "3·sin(x)"),
        1,
        "Differentiate the outside (sin → cos) and multiply by the derivative of the "
        "inside (3x → 3): 3·cos(3x). Backpropagation is the chain rule applied layer by layer.",
    ),
    # Probability & statistics
    Question(
        "prob1",
        "probability_statistics",
        "A disease affects 1% of people. A test catches 99% of cases and wrongly flags 5% "
        "of healthy people. You test positive. Roughly how likely is it that you have it?",
        ("About 99%", "About 95%", "About 17%", "About 1%"),
        2,
        "Out of 10,000 people, 100 are ill and 99 test positive; of 9,900 healthy people, "
        "495 test positive. So 99 of 594 positives are ill: about 17%. That is Bayes' "
        "theorem, P(ill | +) = P(+ | ill)·P(ill) / P(+).",
    ),
    Question(
        "prob2",
        "probability_statistics",
        "You roll a fair six-sided die. What is the expected value?",
        ("3", "3.5", "4", "6"),
        1,
        "Each face has probability 1/6, so E = (1+2+3+4+5+6)/6 = 21/6 = 3.5, a value the "
        "die can never show: an expectation is a long-run average.",
    ),
    Question(
        "prob3",
        "probability_statistics",
        "A 95% confidence interval for a model's accuracy is [0.81, 0.87]. Which reading "
        "is right?",
        (
            "95% of predictions are between 81% and 87% accurate",
            "The procedure that made this interval captures the true accuracy 95% of the time",
            "There is a 5% chance the model is wrong",
            "The accuracy is exactly 84%",
        ),
        1,
        "The 95% describes the method: intervals built this way contain the true value in "
        "95% of repeated samples. A wider interval means more uncertainty.",
    ),
    Question(
        "prob4",
        "probability_statistics",
        "Two independent events have probabilities 0.5 and 0.2. How likely are both?",
        ("0.7", "0.1", "0.3", "0.25"),
        1,
        "For independent events, multiply: 0.5 × 0.2 = 0.1. Adding (0.7) would be the "
        "chance of either, if they could not happen together.",
    ),
    # Programming mathematics
    Question(
        "prog1",
        "programming",
        "Which NumPy expression computes Σᵢ xᵢ·yᵢ for two 1-D arrays x and y?",
        ("np.sum(x) * np.sum(y)", "x @ y", "x * y", "np.outer(x, y)"),
        1,
        "x @ y (or np.dot(x, y)) multiplies element by element and sums: the dot product. "
        "x * y alone gives the products without the sum.",
    ),
    Question(
        "prog2",
        "programming",
        "X has shape (100, 3) and w has shape (3,). What is the shape of X @ w?",
        ("(3,)", "(100,)", "(100, 3)", "An error"),
        1,
        "Each of the 100 rows is dotted with w, giving one number per row: shape (100,). "
        "That is a linear model's predictions for 100 examples at once.",
    ),
    Question(
        "prog3",
        "programming",
        "How do you write the mean of xᵢ² over an array x in NumPy?",
        ("np.mean(x) ** 2", "np.mean(x ** 2)", "np.sum(x) ** 2 / len(x)", "x.mean(x)"),
        1,
        "Square first, then average: np.mean(x ** 2). np.mean(x) ** 2 squares the mean, "
        "which is a different number unless every xᵢ is equal.",
    ),
    Question(
        "prog4",
        "programming",
        "A is a NumPy matrix. How do you get its transpose Aᵀ?",
        ("A.T", "A ** -1", "np.flip(A)", "A.reverse()"),
        0,
        "A.T swaps rows and columns. The inverse would be np.linalg.inv(A), not A ** -1, "
        "which inverts each element.",
    ),
)

QUESTIONS_BY_AREA = {}
for _q in QUESTIONS:
    QUESTIONS_BY_AREA.setdefault(_q.area, []).append(_q)

PER_AREA = 4
KEY_PREFIX = {"linear_algebra": "la", "calculus": "calc", "probability_statistics": "prob",
              "programming": "prog"}
LEVEL_ORDER = {"beginner": 0, "intermediate": 1, "advanced": 2}
KIND_ORDER = {"worked": 0, "formula": 1, "meaning": 2}


@dataclass(frozen=True)
class CardText:
    """One recall card as plain data: the check needs no database."""

    domain: str
    concept: str
    level: str
    position: int
    kind: str
    prompt: str
    answer: str


def spread(cards: list[CardText]) -> list[CardText]:
    """The cards in asking order: one per concept (easiest level first), then the next."""
    by_concept: dict[str, list[CardText]] = {}
    for card in sorted(cards, key=lambda c: (LEVEL_ORDER.get(c.level, 9), c.position,
                                             c.concept, KIND_ORDER.get(c.kind, 9))):
        by_concept.setdefault(card.concept, []).append(card)
    rounds = max((len(group) for group in by_concept.values()), default=0)
    return [group[n] for n in range(rounds) for group in by_concept.values() if n < len(group)]


def _card_question(area: str, number: int, card: CardText, others: list[CardText]) -> Question:
    # Wrong choices: other concepts' answers of the same kind first, then any other answer.
    wrong = sorted(
        (o for o in others if o.answer != card.answer),
        key=lambda o: (o.concept == card.concept, o.kind != card.kind, o.concept, o.kind),
    )
    choices = [card.answer]
    for other in wrong:
        if other.answer not in choices:
            choices.append(other.answer)
        if len(choices) == 4:
            break
    return Question(f"{KEY_PREFIX[area]}{number}", area, card.prompt, tuple(choices), 0,
                    card.answer)


def build_questions(cards: list[CardText]) -> tuple[Question, ...]:
    """Four questions per area from its cards; the fixed ones where an area has too few."""
    questions = []
    for area, domain in AREA_DOMAINS.items():
        own = [c for c in cards if c.domain == domain]
        asked = spread(own)[:PER_AREA]
        if len(asked) < PER_AREA or len({c.answer for c in own}) < PER_AREA:
            questions.extend(QUESTIONS_BY_AREA[area])
            continue
        questions.extend(
            _card_question(area, n, card, own) for n, card in enumerate(asked, start=1)
        )
    return tuple(questions)


def shuffled(questions, seed: str) -> tuple[Question, ...]:
    """The same questions with their choices in an order of this learner's own."""
    result = []
    for q in questions:
        order = list(range(len(q.choices)))
        random.Random(f"{seed}:{q.key}:{q.text}").shuffle(order)
        result.append(replace(q, choices=tuple(q.choices[i] for i in order),
                              correct=order.index(q.correct)))
    return tuple(result)


def by_area(questions) -> dict[str, list[Question]]:
    grouped: dict[str, list[Question]] = {}
    for q in questions:
        grouped.setdefault(q.area, []).append(q)
    return grouped


def suggested_rating(score: int, out_of: int) -> int:
    """Map a score onto the 1-5 scale: none right suggests 1, all right suggests 5."""
    if out_of == 0:
        return 1
    return 1 + round(4 * score / out_of)


def score(answers: dict[str, int], questions=QUESTIONS) -> dict[str, dict]:
    """Per area: score, out_of and suggested rating, from {question key: chosen index}."""
    result = {}
    for area, asked in by_area(questions).items():
        right = sum(1 for q in asked if answers.get(q.key) == q.correct)
        result[area] = {
            "score": right,
            "out_of": len(asked),
            "suggested": suggested_rating(right, len(asked)),
        }
    return result


def disagreements(calibration: dict, ratings: dict[str, int]) -> dict[str, int]:
    """Areas where the check and the self-rating differ by 2 or more: area -> suggested."""
    return {
        area: result["suggested"]
        for area, result in calibration.items()
        if area in ratings and abs(result["suggested"] - ratings[area]) >= 2
    }
