"""Reading files people bring from elsewhere (rosters kept in Excel) into plain results.

Importers never touch the database: they return people and row errors, and a service
decides what to save.
"""
