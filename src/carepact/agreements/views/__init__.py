"""Agreement pages: each view parses input, calls one service, renders the result."""

from carepact.agreements.views.agreements import (  # noqa: F401
    agreement_detail,
    agreement_list,
    diff,
    export,
    mine,
    obligation_met,
)
from carepact.agreements.views.clauses import (  # noqa: F401
    clause,
    clause_add,
    clause_add_form,
    clause_remove,
    open_negotiation,
)
from carepact.agreements.views.library import (  # noqa: F401
    library,
    library_clause,
    library_new,
    library_version_edit,
    library_version_new,
)
from carepact.agreements.views.negotiation import (  # noqa: F401
    amend,
    counter,
    recall,
    respond,
    send,
    sign,
    withdraw,
)
