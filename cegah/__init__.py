"""Cegah: the information system for P4GN prevention and community-empowerment work."""

__version__ = "0.1.0"
