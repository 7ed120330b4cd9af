"""``python -m store``: where the history is, and its schema (for whoever runs a shared server).

python -m store where            # the database URL in use (password hidden)
python -m store upgrade [URL]    # apply migrations up to the newest schema
python -m store current [URL]    # the database's schema revision and the newest known
"""

from __future__ import annotations

import argparse
import sys

from store import migrate
from store.config import display_url, resolve_url
from store.engine import make_engine


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m store", description=__doc__.splitlines()[0])
    parser.add_argument("command", choices=["where", "upgrade", "current"])
    parser.add_argument("url", nargs="?", help="database URL or SQLite path (default: configured)")
    args = parser.parse_args(argv)
    url = resolve_url(args.url)
    if args.command == "where":
        print(display_url(url))
        return 0
    engine = make_engine(url)
    try:
        if args.command == "upgrade":
            migrate.upgrade(engine)
        current = migrate.current_revision(engine)
        print(f"{display_url(url)}: schema {current or 'empty'} (newest {migrate.head_revision()})")
    finally:
        engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
