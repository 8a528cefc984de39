"""Datasets, trainers, metrics and plots for the OCR classifiers."""
