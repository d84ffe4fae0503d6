"""carepact: a platform on which healthcare organisations and their partners form, govern
and run partnerships, above all partnerships that share patient data."""

__version__ = "0.1.0"
