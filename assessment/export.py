"""The assessment app's part of a learner's data export (see accounts/export.py)."""


def user_sections(user) -> dict:
    """Every assessment, roadmap and progress record of `user`, keyed by export section."""
    return {}
