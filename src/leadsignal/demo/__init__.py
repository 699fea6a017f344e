"""Synthetic data so the product runs with no client data and no credentials."""
