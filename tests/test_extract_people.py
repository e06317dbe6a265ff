"""People with roles."""


def test_name_comma_role(run):
    res = run("The Chair welcomed Priya Raman, Assistant Director for Early Help, and Tom Okafor, "
              "Head of Virtual School, to the meeting.")
    people = {p["name"]: p for p in res["people"]}
    assert people["Priya Raman"]["role"] == "Assistant Director for Early Help"
    assert people["Tom Okafor"]["role"] == "Head of Virtual School"
    assert people["Priya Raman"]["organisation"] == "Northshire County Council"


def test_councils_role_before_name(run):
    res = run("The Chair welcomed the Council's Service Manager, in Youth Justice Daniel Ferreira to the meeting.")
    people = {p["name"]: p for p in res["people"]}
    assert "Daniel Ferreira" in people
    assert "Service Manager" in people["Daniel Ferreira"]["role"]


def test_appointed_to_role(run):
    res = run("Grace Whitfield appointed to the role of Participation Lead", kind="report")
    assert [(p["name"], p["role"]) for p in res["people"]] == [("Grace Whitfield", "Participation Lead")]


def test_external_organisation_kept(run):
    res = run("Contact: Alan Pryce, Designated Nurse for Safeguarding, NHS Northshire ICB")
    assert res["people"] and res["people"][0]["name"] == "Alan Pryce"


def test_no_people_from_department_names(run):
    res = run("Children's Social Care, Director's Office, will respond. Family Safeguarding, Head Office.")
    assert res["people"] == []
