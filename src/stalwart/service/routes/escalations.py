"""Escalations: report a bad prediction (ingest), list and read them and their SLAs (read),
move their status (admin). Every route is one call of :class:`stalwart.rca.EscalationDesk`.

Reporting needs only the ``ingest`` scope: the people and systems that see a bad prediction
are rarely admins. The SLA clock follows the default :class:`~stalwart.rca.SLAPolicy`
(critical 4 h, high 24 h, medium 72 h, low 168 h). There is no root-cause analysis route:
it needs the training reference rows, which the server does not hold; an analysis made
elsewhere (``RCAReport.to_dict()``) can be stored with the status route.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from ...exceptions import DataError
from ...rca.desk import EscalationDesk
from ...store import Store
from ..deps import MAX_ROW_ID, get_store, require_scope
from ..schemas import EscalationIn, EscalationStatusIn

__all__ = ["router"]

router = APIRouter(prefix="/api/v1", tags=["escalations"])


def get_desk(store: Store = Depends(get_store)) -> EscalationDesk:
    return EscalationDesk(store)


@router.post("/escalations", status_code=201, summary="Report a bad prediction")
def report(body: EscalationIn, desk: EscalationDesk = Depends(get_desk),
           _: str = Depends(require_scope("ingest"))) -> dict[str, Any]:
    """Stores an open escalation whose SLA clock starts at ``reported_at`` (default now).
    An unknown ``event_id``, an event of another model, a bad severity or neither
    ``event_id`` nor ``payload`` is a 400 and nothing is stored."""
    esc = desk.report(body.model, severity=body.severity, event_id=body.event_id,
                      payload=body.payload, customer=body.customer, expected=body.expected,
                      reported_at=body.reported_at, note=body.note)
    return esc.to_dict()


@router.get("/escalations", summary="Escalations in the order reported")
def list_escalations(model: str | None = None,
                     status: str | None = Query(None, description="open, analysed, fixed or "
                                                "closed"),
                     customer: str | None = None,
                     severity: str | None = Query(None, description="low, medium, high or "
                                                  "critical"),
                     desk: EscalationDesk = Depends(get_desk),
                     _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    items = desk.list(model=model, status=status, customer=customer, severity=severity)
    return {"escalations": [e.to_dict() for e in items]}


# declared before /escalations/{escalation_id}: "sla" must not be read as an id
@router.get("/escalations/sla", summary="Open escalations by SLA state: breached, at risk, "
                                        "on track")
def sla_report(now: str | None = Query(None, description="ISO time to judge at (default: "
                                       "now)"),
               model: str | None = None, desk: EscalationDesk = Depends(get_desk),
               _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    """The SLA report of ``check_slas``: each breach also as an alert (not sent: the
    ``stalwart escalate sla`` command or the library's ``desk.notify`` sends them)."""
    return desk.check_slas(now, model=model).to_dict()


@router.get("/escalations/{escalation_id}", summary="One escalation")
def get_escalation(escalation_id: int = Path(ge=1, le=MAX_ROW_ID),
                   desk: EscalationDesk = Depends(get_desk),
                   _: str = Depends(require_scope("read"))) -> dict[str, Any]:
    try:
        return desk.get(escalation_id).to_dict()
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None


@router.post("/escalations/{escalation_id}/status",
             summary="Move an escalation along open -> analysed -> fixed -> closed")
def set_status(body: EscalationStatusIn, escalation_id: int = Path(ge=1, le=MAX_ROW_ID),
               desk: EscalationDesk = Depends(get_desk),
               _: str = Depends(require_scope("admin"))) -> dict[str, Any]:
    """404 for an unknown id; 409 for a move the status does not allow (or to 'analysed'
    without an analysis), and nothing changes."""
    try:
        desk.get(escalation_id)
    except DataError as exc:
        raise HTTPException(404, detail=str(exc)) from None
    changes: dict[str, Any] = {"status": body.status}
    for name in ("note", "analysis"):
        if name in body.model_fields_set:
            changes[name] = getattr(body, name)
    try:
        return desk.update(escalation_id, **changes).to_dict()
    except DataError as exc:
        raise HTTPException(409, detail=str(exc)) from None
