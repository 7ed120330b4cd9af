"""``python -m cli``: the same as the ``ntm`` command."""

import sys

from cli.main import main

sys.exit(main())
