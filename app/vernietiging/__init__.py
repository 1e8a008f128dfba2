"""Retention and destruction (vernietiging): the register's structured bewaartermijn enforced.

``flask retention run`` destroys what has passed its term, keeping a content-free tombstone
(:class:`~app.vernietiging.models.Vernietiging`) and a "delete" line in the logboek; the privacy
officer sees the tombstones at ``/privacy/vernietigingen``. See docs/privacy.md.
"""
