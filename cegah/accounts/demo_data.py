"""Demo step: one user for every role, with the logins printed at the end."""

from cegah.core.scope import Roles
from cegah.regions.models import Office
from cegah.sites.models import Site

from .models import User
from .services import create_user

ORDER = 30

# username, role, office code, (prevention, empowerment), site name, full name
DEMO_USERS = [
    ("nasional", Roles.NATIONAL_ADMIN, "BNN-RI", (False, False), None, "Admin Nasional"),
    ("analis", Roles.NATIONAL_ANALYST, "BNN-RI", (False, False), None, "Analis Nasional"),
    ("jatim", Roles.MANAGER, "BNNP-35", (True, True), None, "Kabid P2M Jawa Timur"),
    ("surabaya", Roles.MANAGER, "BNNK-35.78", (True, True), None, "Kasi P2M Kota Surabaya"),
    ("malang", Roles.MANAGER, "BNNK-35.73", (True, True), None, "Kasi P2M Kota Malang"),
    ("cegah.surabaya", Roles.OFFICER, "BNNK-35.78", (True, False), None, "Petugas Pencegahan"),
    (
        "dayamas.surabaya",
        Roles.OFFICER,
        "BNNK-35.78",
        (False, True),
        None,
        "Petugas Pemberdayaan Masyarakat",
    ),
    (
        "sekolah.surabaya",
        Roles.FOCAL_POINT,
        None,
        (False, False),
        "SMP Negeri Demo 1 Surabaya",
        "Kepala Sekolah (focal point)",
    ),
    ("tamu", Roles.VIEWER, "BNNP-35", (False, False), None, "Tamu Jawa Timur"),
]


def build(ctx):
    offices = {o.code: o for o in Office.objects.all()}
    for username, role, office_code, fields, site_name, full_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            first, _sep, last = full_name.partition(" ")
            user = create_user(
                None,
                username=username,
                password=ctx.password,
                role=role,
                office=offices.get(office_code),
                site=Site.objects.get(name=site_name) if site_name else None,
                field_prevention=fields[0],
                field_empowerment=fields[1],
                first_name=first,
                last_name=last,
            )
        else:  # re-running the demo keeps the users, with the password asked for now
            user.set_password(ctx.password)
            user.save(update_fields=["password"])
        where = str(user.site) if user.site_id else str(user.office)
        ctx.logins.append((username, User.Role(role).label, where))
