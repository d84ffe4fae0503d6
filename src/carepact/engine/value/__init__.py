"""Value and benefit sharing, computed without a database.

* ``money``: amounts in minor units of an ISO 4217 currency; parsing and formatting.
* ``shares``: each party's share of contributions and benefits, and the gaps between them.
* ``shapley``: exact Shapley values of a cooperative game over up to 12 parties.
"""
