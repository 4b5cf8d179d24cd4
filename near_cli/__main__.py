"""``python -m near_cli ARGS``: the same as the ``near`` console script."""

import sys

from near_cli.main import main

sys.exit(main())
