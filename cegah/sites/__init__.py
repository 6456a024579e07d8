"""Sites (kawasan / lembaga sasaran) where prevention systems are built.

The foundation ships the registry's core (identity, type, region, focal points); standards,
assessments and drug-prone areas build on it. Imports core and regions only.
"""
