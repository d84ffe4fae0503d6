"""Demo organisations and their people, created through the same services as the pages."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Q

from carepact.accounts import services
from carepact.accounts.models import Level, Membership, Organisation, User
from carepact.core import audit, clock
from carepact.core.demos import DemoContext, Login

DEMO_DOMAINS = (
    "northfield.nhs.example",
    "helix.example",
    "lumenhealth.example",
    "eastmoor.ac.example",
)

# (organisation fields, [(name, e-mail local part, level, job title, administrator)])
ORGANISATIONS = [
    (
        {
            "name": "Northfield Teaching Hospitals NHS Foundation Trust",
            "kind": "nhs_trust",
            "country": "GB",
            "ods_code": "RZZ",
            "website": "https://northfield.nhs.example",
        },
        "northfield.nhs.example",
        [
            ("Tom Okafor", "tom.okafor", Level.MANAGER, "Head of Research and Innovation", True),
            ("Priya Raman", "priya.raman", Level.EXECUTIVE, "Chief Medical Officer", True),
            (
                "Dr Sarah Lindqvist",
                "sarah.lindqvist",
                Level.CLINICIAN,
                "Consultant Radiologist",
                False,
            ),
            ("Mei Chen", "mei.chen", Level.SPECIALIST, "Information Governance Lead", False),
            (
                "Dr James Whitlow",
                "james.whitlow",
                Level.CLINICIAN,
                "Consultant Cardiologist",
                False,
            ),
        ],
    ),
    (
        {
            "name": "Helix Therapeutics Ltd",
            "kind": "pharma_biotech",
            "country": "GB",
            "companies_house_number": "09876543",
            "lei": "9845002HELIXTHRP0075",
            "website": "https://helix.example",
        },
        "helix.example",
        [
            ("Laura Bennett", "laura.bennett", Level.EXECUTIVE, "VP Real-World Evidence", True),
            ("Ravi Desai", "ravi.desai", Level.MANAGER, "Alliance Manager", False),
            ("Anna Kowalski", "anna.kowalski", Level.SPECIALIST, "Epidemiologist", False),
        ],
    ),
    (
        {
            "name": "Lumen Health AI Ltd",
            "kind": "health_tech",
            "country": "GB",
            "companies_house_number": "11223344",
            "website": "https://lumenhealth.example",
        },
        "lumenhealth.example",
        [
            ("Daniel Reyes", "daniel.reyes", Level.EXECUTIVE, "Chief Executive", True),
            ("Grace Mensah", "grace.mensah", Level.MANAGER, "Clinical Partnerships Manager", False),
            (
                "Oliver Hughes",
                "oliver.hughes",
                Level.SPECIALIST,
                "Machine Learning Engineer",
                False,
            ),
            ("Dr Fiona Hart", "fiona.hart", Level.CLINICIAN, "Clinical Safety Officer", False),
        ],
    ),
    (
        {
            "name": "University of Eastmoor",
            "kind": "academia",
            "country": "GB",
            "ror_id": "0ea5tm812",
            "website": "https://eastmoor.ac.example",
        },
        "eastmoor.ac.example",
        [
            (
                "Prof Alan Brooks",
                "alan.brooks",
                Level.EXECUTIVE,
                "Pro-Vice-Chancellor for Research",
                True,
            ),
            ("Dr Nadia Farouk", "nadia.farouk", Level.MANAGER, "Research Programme Manager", False),
            ("Sam Taylor", "sam.taylor", Level.SPECIALIST, "Research Software Engineer", False),
        ],
    ),
]

PLATFORM_ADMIN = ("admin@carepact.example", "Platform Administrator")
START = timedelta(days=400)


def load(ctx: DemoContext) -> None:
    """Four organisations with people at every level; each joins by invitation."""
    with clock.travel(clock.now() - START):
        email, name = PLATFORM_ADMIN
        admin = User.objects.create_superuser(email, ctx.password, full_name=name)
        audit.record(
            None, action="user.create_admin", obj=admin, message=f"{admin} created (demo)."
        )
        for fields, domain, people in ORGANISATIONS:
            first_name, first_local, first_level, first_title, _ = people[0]
            founder = User.objects.create_user(
                f"{first_local}@{domain}", ctx.password, full_name=first_name
            )
            audit.record(
                founder, action="user.create", obj=founder, message=f"{founder} signed up (demo)."
            )
            organisation = services.register_organisation(
                founder, level=first_level, job_title=first_title, **fields
            )
            clock.tick(timedelta(hours=2))
            for person_name, local, level, title, is_admin in people[1:]:
                issued = services.invite_person(
                    founder,
                    organisation=organisation,
                    email=f"{local}@{domain}",
                    level=level,
                    is_admin=is_admin,
                )
                clock.tick(timedelta(hours=5))
                user = services.create_account_from_invitation(
                    token=issued.token, full_name=person_name, password=ctx.password
                )
                membership = Membership.objects.get(user=user, organisation=organisation)
                services.update_membership(
                    founder, membership, level=level, is_admin=is_admin, job_title=title
                )
            clock.tick(timedelta(days=3))


def logins() -> list[Login]:
    """One line per demo person, with the roles that make them worth signing in as."""
    rows = [Login(PLATFORM_ADMIN[0], PLATFORM_ADMIN[1], "—", "platform administrator")]
    in_demo = Q()
    for domain in DEMO_DOMAINS:
        in_demo |= Q(user__email__endswith=f"@{domain}")
    memberships = (
        Membership.objects.filter(in_demo)
        .select_related("user", "organisation")
        .prefetch_related("user__partnership_roles__partnership")
        .order_by("organisation__name", "-is_admin", "user__full_name")
    )
    for m in memberships:
        roles = sorted(
            {
                f"{r.get_role_display().lower()} in {r.partnership.title.split()[0]}"
                for r in m.user.partnership_roles.all()
            }
        )
        admin = ["organisation admin"] if m.is_admin else []
        what = ", ".join([m.get_level_display().lower(), *admin, *roles])
        rows.append(Login(m.user.email, m.user.full_name, m.organisation.name, what))
    return rows


def organisation(slug_start: str) -> Organisation:
    return Organisation.objects.get(slug__startswith=slug_start)


def person(local: str) -> User:
    return User.objects.get(email__startswith=f"{local}@")
