from ninja import Router, Schema

from cegah.api.schemas import ERRORS
from cegah.regions.queries import jurisdiction_label

router = Router(tags=["accounts"])


class OfficeRef(Schema):
    code: str
    name: str
    kind: str
    region: str | None


class MeOut(Schema):
    username: str
    full_name: str
    role: str
    office: OfficeRef | None
    fields: list[str]
    site_id: int | None
    jurisdiction: str
    language: str


@router.get("/me", response={200: MeOut, **ERRORS}, summary="The calling user")
def me(request):
    user = request.auth
    office = user.office
    fields = [
        f
        for f, on in (
            ("pencegahan", user.field_prevention),
            ("pemberdayaan", user.field_empowerment),
        )
        if on
    ]
    return {
        "username": user.username,
        "full_name": user.get_full_name(),
        "role": user.role,
        "office": (
            {
                "code": office.code,
                "name": office.name,
                "kind": office.kind,
                "region": office.region_id,
            }
            if office
            else None
        ),
        "fields": fields,
        "site_id": user.site_id,
        "jurisdiction": jurisdiction_label(user),
        "language": request.LANGUAGE_CODE,
    }
