"""Shared machinery: the one scoping function, the change log, request ids, periods later,
base templates and UI pieces. Imports only Django and regions' models; apps import core,
never the reverse (except through the registries below)."""
