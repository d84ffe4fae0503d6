"""Objectives and outcomes, computed without a database.

* ``periods``: a KPI's reporting periods and the ones that went unmeasured.
* ``status``: on track, at risk or off track from the trajectory to target.
* ``equity``: the gap between population groups and whether it is widening.
* ``csvimport``: measurements from a CSV file, with every bad row reported.
"""
