"""Helpers shared by the algorithms: validation, random draws, small array routines."""
