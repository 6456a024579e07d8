"""Analytics: the one aggregation engine behind dashboards, reports and the API.

Owns ``engine.analytics(user, dx, pe, ou)`` (data elements and indicators × periods × org
units → rows of value, numerator and denominator, DHIS2 semantics), the aggregate table
that keeps it fast at national scale (``cube``: kept current by the data-value write path
through ``cegah.indicators.signals.data_values_changed``), ``GET /api/v1/analytics`` and the
national benchmark dataset (``national``).

Imports core, regions, sites and indicators. Must not be imported by them (the write path
reaches the cube only through the signal), nor import dashboards, reports or exchange.
"""
