"""The registry's pages: an NHS number goes in a form body and comes back as a hash."""

from django.urls import reverse

from carepact.consent import registry
from carepact.consent.models import ConsentRecord
from carepact.core.models import AuditEvent
from tests.integration.consent.nhs import invalid, valid


def test_search_posts_the_number_and_redirects_to_the_hash(world, client_for):
    client = client_for(world.lead)
    url = reverse("consent:registry", kwargs={"slug": world.trust.slug})
    response = client.post(url, {"nhs_number": valid(3)})
    patient = registry.patient_hash(world.trust, valid(3))
    assert response.status_code == 302 and response["Location"].endswith(f"/patients/{patient}/")
    assert valid(3) not in response["Location"]
    page = client.get(response["Location"])
    assert b"No choices recorded" in page.content and b"Record a withdrawal" in page.content
    refused = client.post(url, {"nhs_number": invalid(3)})
    assert refused.status_code == 200 and b"check digit" in refused.content
    assert AuditEvent.objects.filter(action="consent.search").count() == 1


def test_staff_record_a_choice_and_a_withdrawal_from_the_pages(world, client_for):
    client = client_for(world.lead)
    slug = world.trust.slug
    response = client.post(
        reverse("consent:record_new", kwargs={"slug": slug}),
        {"nhs_number": valid(4), "decision": "permit", "recipients": "all",
         "partnership": world.partnership.slug, "purposes": ["HMB"]},
    )  # fmt: skip
    record = ConsentRecord.objects.get()
    assert response.status_code == 302 and record.purposes == ["HMB"]
    assert record.partnership == world.partnership
    response = client.post(
        reverse("consent:withdraw", kwargs={"slug": slug, "patient": record.patient}),
        {"scope": "partnership", "partnership": world.partnership.slug},
    )
    assert response.status_code == 302
    assert ConsentRecord.objects.filter(decision="deny").count() == 1
    code = client.post(
        reverse("consent:issue_code", kwargs={"slug": slug, "patient": record.patient})
    )
    assert code.status_code == 200 and b"Give the patient this code" in code.content
    assert code["Cache-Control"].startswith("max-age=0")
