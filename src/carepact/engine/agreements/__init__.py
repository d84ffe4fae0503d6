"""Agreements as data, without Django: topics and kinds, typed clause parameters, DUO codes,
completeness rules, the negotiation state machine, canonical hashing, diffs, analytics and
the machine-readable data-use terms of a signed data-sharing agreement.

The ``carepact.agreements`` app stores agreements and calls these functions; each one takes
plain values and returns plain values, so each is tested without a database.
"""
