"""The register of processing activities (verwerkingsregister, AVG art. 30) as the functioneel
beheerder maintains it: every change adds a version; logboek lines keep pointing at theirs."""
