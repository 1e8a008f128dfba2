"""The teamleider: handles the citizens' requests for another regisseur (rule 7) of their
organisation and hands plans over, seeing of a plan only its buitenkant (name, regisseur,
status) and the request itself."""
