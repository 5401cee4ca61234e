"""What the benchmark scripts share; not a benchmark itself."""
