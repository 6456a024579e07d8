"""Users, roles, offices they belong to, personal API tokens and login security.

Imports core and regions; never imports later domain apps except sites for focal points.
"""
