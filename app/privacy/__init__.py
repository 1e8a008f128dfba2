"""The privacy officer's screens: search the logboek, indicators of misuse, reviews."""
