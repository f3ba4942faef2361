"""Spaced repetition, study sessions and the progress store."""
