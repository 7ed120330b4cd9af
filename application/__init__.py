"""The application layer: what a front end asks for, from files to recorded and reported plans.

Sits above the engine (``optimizer``), the history store (``store``) and the report writers
(``reports``), and below the interfaces (``cli``, ``ui``). ``workflow`` loads a scenario with its
data package, checks it and solves it; it prints nothing.
"""
