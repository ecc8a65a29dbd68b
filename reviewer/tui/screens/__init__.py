"""Screens: the review screen (one letter) and the dialogs, one module each."""
