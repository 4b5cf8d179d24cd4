"""Prefect tasks: thin wrappers over near_core with cache policies, retries and persistence.

Every task takes the run directory, the batch of image ids it works on (when it works on
images) and the resolved :class:`near_core.config.NearConfig`; its cache key is derived from
that content (image hashes, model ids, prompt version, config hashes), never from the flow
run id, so a rerun of the same data finds the results of an earlier run.
"""
