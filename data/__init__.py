"""Data tools of Wisdom CRM: the large-data generator for benchmarks (``python3 -m data.generate``)."""
