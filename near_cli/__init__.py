"""The `near` command line: thin wrappers over near_core and flows."""
