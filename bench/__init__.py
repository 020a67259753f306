"""Benchmarks (``make bench``): figures and ratios against baselines measured in the same run.

Nothing here asserts absolute times; the suite's tests never do either.
"""
