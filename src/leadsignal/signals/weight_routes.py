"""/api/v1/admin/signal-weights: the scoring weight of each signal type, overridable by admins."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends

from leadsignal.auth.access import access
from leadsignal.auth.deps import Principal, require_roles
from leadsignal.core.deps import CtxDep, SessionDep
from leadsignal.core.errors import ApiError
from leadsignal.signals import weights
from leadsignal.signals.schemas import SignalWeightsIn, SignalWeightsOut

router = APIRouter(prefix="/admin/signal-weights", tags=["admin"])

WeightReader = Annotated[Principal, Depends(require_roles("admin", "manager"))]
Admin = Annotated[Principal, Depends(require_roles("admin"))]
_DENIED = {"agent": 403, "compliance": 403, "client": 403}


def _out(found: weights.Weights) -> SignalWeightsOut:
    return SignalWeightsOut(weights=found.effective, defaults=found.defaults, overrides=found.overrides)


@router.get("", response_model=SignalWeightsOut, openapi_extra=access(_DENIED, manager=200, admin=200))
def get_weights(session: SessionDep, ctx: CtxDep, _: WeightReader) -> SignalWeightsOut:
    return _out(weights.current(session, ctx.settings))


@router.put(
    "",
    response_model=SignalWeightsOut,
    openapi_extra=access(_DENIED, manager=403, admin=200, json={"weights": {"award": 0.5}}),
)
def put_weights(body: SignalWeightsIn, session: SessionDep, ctx: CtxDep, principal: Admin) -> SignalWeightsOut:
    """Set or remove (``null``) overrides; all apply, or none. The next monitoring batch scores with them."""
    try:
        weights.set_weights(session, body.weights, actor=principal.actor, user_id=principal.id)
    except weights.WeightError as exc:
        raise ApiError(422, "validation_error", str(exc)) from exc
    return _out(weights.current(session, ctx.settings))
