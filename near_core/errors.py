"""Exception hierarchy: every error a user can cause derives from NearError."""


class NearError(Exception):
    """Base class; the CLI prints the message and exits non-zero without a traceback."""
