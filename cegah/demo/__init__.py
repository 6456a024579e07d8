"""Deterministic synthetic data at small and national scale.

Each app contributes its part in a ``demo_data.py`` module with ``ORDER`` (int) and
``build(ctx)``; ``cegah demo`` runs them in order. Imports every app's demo_data lazily.
"""
