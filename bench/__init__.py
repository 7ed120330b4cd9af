"""Benchmarks: seeded instances at any size and a runner that reports against the targets."""
