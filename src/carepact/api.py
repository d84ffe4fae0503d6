"""The JSON API under /api/v1/: the same services as the pages, behind tokens or sessions."""

from __future__ import annotations

from ninja import NinjaAPI

from carepact import __version__
from carepact.accounts.api import router as accounts_router
from carepact.accounts.services import user_for_token
from carepact.agreements.api import router as agreements_router
from carepact.consent.api import router as consent_router
from carepact.core.api import CsrfSessionAuth, TokenAuth, install_error_handlers
from carepact.data.api import router as data_router
from carepact.governance.api import router as governance_router
from carepact.health.api import router as health_router
from carepact.outcomes.api import router as outcomes_router
from carepact.partnerships.api import router as partnerships_router
from carepact.portfolio.api import router as portfolio_router
from carepact.public.api import router as public_router
from carepact.value.api import router as value_router

api = NinjaAPI(
    title="carepact API",
    version=__version__,
    description=(
        "Everything the carepact pages do, as JSON. Authenticate with a personal API token "
        "(`Authorization: Bearer cp_...`) or a signed-in session (with the CSRF token on "
        "writes). Errors are RFC 9457 problem bodies. A partnership you may not see answers "
        "404, an action your role does not allow answers 403 with the reason."
    ),
    urls_namespace="api",
    auth=[TokenAuth(user_for_token), CsrfSessionAuth()],
    docs_url=None,  # the interactive page would load third-party script from a CDN
)
install_error_handlers(api)
api.add_router("", accounts_router)
for router in (
    partnerships_router,
    agreements_router,
    consent_router,
    data_router,
    outcomes_router,
    value_router,
    health_router,
    governance_router,
    portfolio_router,
    public_router,
):
    api.add_router("", router)
