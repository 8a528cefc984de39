"""Shipped model weights (``*.pt``, ``*.npz``), installed as package data; see README.md here."""
