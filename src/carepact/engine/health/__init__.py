"""Partnership health checks: the instrument, scoring, statistics, rules and the report.

Pure Python (NumPy for the arithmetic, PyYAML for the instrument and playbook files); no
Django. ``report.build`` turns one round's answers (by pseudonymous token, party and level
only) into the JSON the pages, the API and ``carepact health report`` show.
"""
