"""Inspection rounds and the roll-up statistics over their cases."""
