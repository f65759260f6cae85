"""Messages of the ``zip.*`` diagnostics: kept with the validator's catalogue."""

from efop_author.messages.validate import MESSAGES

__all__ = ["MESSAGES"]
