"""The Kemendagri region hierarchy (wilayah) and BNN offices (satker) with their jurisdictions.

A region's code is its path (35 → 35.78 → 35.78.01 → 35.78.01.1001), so hierarchy
queries are code-prefix queries. Imports core only; never imports accounts or later apps.
"""
