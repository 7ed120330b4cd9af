"""``python -m cli``: the same as the ``ntm`` command."""

import sys

from cli.entry import main

sys.exit(main())
