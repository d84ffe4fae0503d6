"""Pure computations with plain inputs and outputs: no Django, no database.

Each module here can be used, tested and benchmarked on its own, and a data steward can
run it from the command line on a file.
"""
