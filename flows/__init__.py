"""Prefect flows: one per stage (label, refine, train, relabel) and ``near-pipeline`` end to end.

Flows only sequence tasks (tasks/) and batch image ids; all stage logic lives in near_core.
"""
