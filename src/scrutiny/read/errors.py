"""The error every reader raises for a file it cannot read."""
from ..errors import InputError


class ReadError(InputError):
    pass
