"""The one error the partnership services raise."""


class PartnershipsError(Exception):
    """A request the partnership hub refuses, with a message for the person who made it.

    ``field`` names the form field at fault, when there is one, so a view can show the
    message next to it.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
