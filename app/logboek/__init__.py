"""The app side of the logboek."""
