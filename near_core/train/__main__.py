"""``python -m near_core.train``: see :mod:`near_core.train.entry`."""

import sys

from near_core.train.entry import main

sys.exit(main())
