"""The committee's translations of each version, and reading a version in another language."""
