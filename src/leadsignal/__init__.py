"""leadsignal: positive-financial-signal monitoring for second-chance borrowers."""

__version__ = "0.1.0"
