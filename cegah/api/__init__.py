"""The /api/v1 router. Each app contributes its endpoints in its own ``api.py``; this package
holds the NinjaAPI object, authentication and error shapes. Imports every app's api module."""
