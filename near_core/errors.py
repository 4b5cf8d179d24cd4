"""Exception hierarchy and exit codes: every error a user can cause derives from NearError.

Each class carries the process exit status it stands for (``exit_code``, documented in the
README); the CLI and the training entry point print the message and return that status
without a traceback. A new error class picks its kind by deriving from one of these.
"""

#: exit codes, documented in the README ("Exit codes")
EXIT_OK = 0
EXIT_PARTIAL = 1  # the stage finished but some items failed and were recorded for a rerun
EXIT_USAGE = 2  # bad arguments, config or input
EXIT_UNAVAILABLE = 3  # a required service (MLLM server, Prefect API) cannot be reached
EXIT_INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)


class NearError(Exception):
    """Base class: bad arguments, config or input (the message names the file or field)."""

    exit_code: int = EXIT_USAGE


class PartialError(NearError):
    """The stage finished but some items failed; they are recorded and retried by a rerun."""

    exit_code = EXIT_PARTIAL


class UnavailableError(NearError):
    """A required service (MLLM server, Prefect API, weights hub) cannot be reached."""

    exit_code = EXIT_UNAVAILABLE


class PrefectUnavailable(UnavailableError):
    """The Prefect API in PREFECT_API_URL does not answer."""
