"""The indicator spine (DESIGN §3): data elements, indicators, data sets, data values,
validation rules, approvals and targets. Periods live in core.periods. Imports core,
regions and sites; the analytics and exchange apps import this one, never the reverse."""
