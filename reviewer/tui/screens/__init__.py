"""Screens of the reviewer: dialogs for editing, notes, topics, metadata, help and questions."""
