"""Imports every model module, so that ``Base.metadata`` is complete (for Alembic and tests)."""

from app.account import models as account  # noqa: F401
from app.auth import models as auth  # noqa: F401
from app.autorisaties import models as autorisaties  # noqa: F401
from app.berichten import models as berichten  # noqa: F401
from app.correcties import models as correcties  # noqa: F401
from app.inkijk import models as inkijk  # noqa: F401
from app.organisations import models as organisations  # noqa: F401
from app.people import models as people  # noqa: F401
from app.plans import afscherming as plans_afscherming  # noqa: F401
from app.plans import models as plans  # noqa: F401
from app.portaal import leases as portaal  # noqa: F401
from app.portaal import meldingen_models as portaal_meldingen  # noqa: F401
from app.privacy import models as privacy  # noqa: F401
from app.signalen import models as signalen  # noqa: F401
from app.signalen import uitstel as signalen_uitstel  # noqa: F401
from app.signalen import werkvoorraad_groepen as signalen_werkvoorraad  # noqa: F401
from app.sturing import models as sturing  # noqa: F401
from app.teamleider import overdracht as teamleider_overdracht  # noqa: F401
from app.terugmelding import models as terugmelding  # noqa: F401
from app.users import models as users  # noqa: F401
