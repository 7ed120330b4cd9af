"""The command line ``ntm``: parsing, printing and exit codes around the application layer.

``cli.main`` holds the parser and the solving commands, ``cli.history`` the history store's
commands and ``cli.output`` what every command shares (the console, exit codes, summaries).
"""
