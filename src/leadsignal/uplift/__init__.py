"""Outcomes and proof of uplift: the hold-out experiment, its report, agents' precision, a simulator."""
