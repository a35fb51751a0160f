"""The case page, grading through the form, and endorsing."""

from tests.builders import report
from tests.web.conftest import text
from vigil.audit.models import ReadLog
from vigil.cases.models import Grading, GradingEndorsement


def grade_data(**changes) -> dict:
    data = {
        "grade": "high",
        "rationale": "Diabetic without insulin; out of character.",
        "answer_health_or_medication": "Needs insulin twice a day; left it at home.",
        "source_health_or_medication": "Rose Marsh (mother)",
        "obtained_date_health_or_medication-day": "10",
        "obtained_date_health_or_medication-month": "6",
        "obtained_date_health_or_medication-year": "2024",
        "obtained_time_health_or_medication": "11:40",
    }
    data.update(changes)
    return data


def test_the_grading_form_offers_the_policy_grades_and_questions(as_user, world):
    case = report(world, grade=None)
    page = text(as_user(world.constable).get(f"/cases/{case.reference}/grade/"))
    for label in ["No apparent risk", "Low risk", "Medium risk", "High risk"]:
        assert label in page
    assert "The risk of serious harm to the subject or the public is very likely." in page
    assert "Is the behaviour out of character?" in page
    assert "Does the person need medication or care they do not have with them?" in page


def test_grading_is_recorded_and_shown_on_the_case_page_with_facts_and_sources(as_user, world):
    case = report(world, grade=None)
    client = as_user(world.constable)
    response = client.post(f"/cases/{case.reference}/grade/", grade_data())
    assert response.status_code == 302
    assert response["Location"] == f"/cases/{case.reference}/"
    grading = Grading.objects.get(case=case)
    assert grading.grade == "high"
    fact = grading.facts.get()
    assert fact.source == "Rose Marsh (mother)"

    page = text(client.get(response["Location"]))
    assert "Grading recorded: High risk." in page
    assert "Grading 1: High risk (current)" in page
    assert "Diabetic without insulin; out of character." in page
    assert "Does the person need medication or care they do not have with them?" in page
    assert "Needs insulin twice a day; left it at home." in page
    assert "Rose Marsh (mother)" in page
    assert "10 Jun 2024 11:40" in page  # when the fact was obtained, London time
    assert "PC " in page and "Pat Constable" in page  # the assessor
    assert "Graded" in page and "Grade High risk" in page  # the timeline
    assert "1 fact recorded" in page


def test_a_re_grading_shows_from_and_to_in_the_timeline(as_user, world):
    case = report(world)  # medium
    client = as_user(world.constable)
    client.post(
        f"/cases/{case.reference}/grade/",
        {"grade": "low", "rationale": "Seen on CCTV buying food; calmer."},
    )
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "Re-graded" in page
    assert "From Medium risk to Low risk" in page
    assert "Grading 2: Low risk (current)" in page
    assert "Grading 1: Medium risk" in page


def test_grading_errors_are_linked_to_their_fields_and_keep_the_answers(as_user, world):
    case = report(world, grade=None)
    response = as_user(world.constable).post(
        f"/cases/{case.reference}/grade/",
        grade_data(grade="", rationale="", obtained_time_health_or_medication=""),
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#grade"' in body
    assert 'href="#rationale"' in body
    assert 'href="#obtained_time_health_or_medication"' in body
    assert "Needs insulin twice a day; left it at home." in body
    assert 'value="Rose Marsh (mother)"' in body
    assert not Grading.objects.filter(case=case).exists()


def test_an_answer_without_a_source_is_refused_by_the_service_against_the_source(as_user, world):
    case = report(world, grade=None)
    response = as_user(world.constable).post(
        f"/cases/{case.reference}/grade/", grade_data(source_health_or_medication="")
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert 'href="#source_health_or_medication"' in body
    assert "Say who supplied the answer to" in body
    assert not Grading.objects.filter(case=case).exists()


def test_a_fact_obtained_in_the_future_is_refused(as_user, world):
    case = report(world, grade=None)
    response = as_user(world.constable).post(
        f"/cases/{case.reference}/grade/",
        grade_data(obtained_time_health_or_medication="18:00"),
    )
    assert response.status_code == 400
    assert 'href="#obtained_time_health_or_medication"' in response.content.decode()


def test_a_sergeant_can_endorse_the_current_grading(as_user, world):
    case = report(world)  # graded medium by the constable
    client = as_user(world.sergeant)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert f'action="/cases/{case.reference}/gradings/1/endorse/"' in page
    response = client.post(
        f"/cases/{case.reference}/gradings/1/endorse/", {"comment": "Agree: medium."}
    )
    assert response.status_code == 302
    endorsement = GradingEndorsement.objects.get()
    assert endorsement.endorsed_by == world.sergeant
    page = text(client.get(f"/cases/{case.reference}/"))
    assert "You endorsed grading 1." in page
    assert "Endorsed by PS" in page and "Sam Archer" in page
    assert "Agree: medium." in page
    assert "Grading endorsed" in page  # the timeline


def test_endorsing_twice_is_refused_with_a_message(as_user, world):
    case = report(world)
    client = as_user(world.sergeant)
    client.post(f"/cases/{case.reference}/gradings/1/endorse/", {})
    response = client.post(f"/cases/{case.reference}/gradings/1/endorse/", {})
    assert response.status_code == 409
    assert "You have already endorsed this grading." in text(response)
    assert GradingEndorsement.objects.count() == 1


def test_a_constable_cannot_endorse(as_user, world):
    case = report(world, actor=world.sergeant)
    client = as_user(world.constable)
    page = client.get(f"/cases/{case.reference}/").content.decode()
    assert "/gradings/1/endorse/" not in page
    response = client.post(f"/cases/{case.reference}/gradings/1/endorse/", {})
    assert response.status_code == 403
    assert "Only a sergeant or above can endorse a grading." in text(response)
    assert "There is a problem" in text(response)
    assert not GradingEndorsement.objects.exists()


def test_endorsing_a_grading_that_does_not_exist_is_not_found(as_user, world):
    case = report(world)
    response = as_user(world.sergeant).post(f"/cases/{case.reference}/gradings/9/endorse/", {})
    assert response.status_code == 404


def test_case_page_views_are_logged(as_user, world):
    case = report(world)
    client = as_user(world.inspector)
    client.get(f"/cases/{case.reference}/")
    client.get(f"/cases/{case.reference}/grade/")
    reads = list(ReadLog.objects.filter(case=case).order_by("pk"))
    assert [(r.user, r.channel, r.what) for r in reads] == [
        (world.inspector, "page", f"/cases/{case.reference}/"),
        (world.inspector, "page", f"/cases/{case.reference}/grade/"),
    ]


def test_a_case_of_another_force_is_not_logged_and_not_shown(as_user, world):
    from tests.builders import build_world

    other = build_world(code="other", name="Other Constabulary")
    foreign = report(other)
    response = as_user(world.sergeant).get(f"/cases/{foreign.reference}/")
    assert response.status_code == 404
    assert "Amy Example" not in text(response)
    assert not ReadLog.objects.exists()
