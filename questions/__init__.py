"""Exam-style questions generated from the knowledge graph."""
