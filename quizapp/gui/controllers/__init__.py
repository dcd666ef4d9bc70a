"""Behaviour of the GUI: the glue between widgets and the Qt-free core."""
