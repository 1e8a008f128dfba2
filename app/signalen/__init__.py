"""Vroegsignalen and the afwegingskader: intake from people and systems, combination, weighing,
forgetting (SPEC "Vroegsignaal", "The afwegingskader", rules 5, 13, 14, 15)."""
