"""Reading Python source without importing or running it: decoding, scanning, facts, cache."""
