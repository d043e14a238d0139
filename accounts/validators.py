"""Password validators of our own, alongside Django's (AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MinimumDistinctCharactersValidator:
    """Refuse passwords made of too few different characters, such as "aaaaaaaaaaaa".

    Length alone lets twelve copies of one key through; Django's common-password list
    catches only some of them. Case is ignored, so "aAaAaAaAaAaA" counts as one character.
    """

    def __init__(self, min_distinct: int = 5):
        self.min_distinct = min_distinct

    def validate(self, password, user=None):
        if len(set(password.casefold())) < self.min_distinct:
            raise ValidationError(
                ngettext(
                    "This password has too few different characters. "
                    "It must use at least %(min_distinct)d different character.",
                    "This password has too few different characters. "
                    "It must use at least %(min_distinct)d different characters.",
                    self.min_distinct,
                ),
                code="password_too_few_distinct_characters",
                params={"min_distinct": self.min_distinct},
            )

    def get_help_text(self):
        return ngettext(
            "Your password must use at least %(min_distinct)d different character.",
            "Your password must use at least %(min_distinct)d different characters.",
            self.min_distinct,
        ) % {"min_distinct": self.min_distinct}
