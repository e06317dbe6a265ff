"""A confidence on every record, from the calibration table bench/calibrate.py writes (nlp/data/confidence.json)."""
import json

from nlp.confidence import TABLE_PATH


def test_every_record_has_a_confidence_and_the_forms_that_are_surer_rank_higher(run):
    res = run("RESOLVED that an update report be presented to the committee in six months.\n\n"
              "Action: WM to circulate the paper to the panel.\n\n"
              "Members requested details of who the team leaders were for their areas.\n\n"
              "The cost will be £177.00 and 75% of residents replied.\n\n"
              "Dr Jane Smith (Director of Children's Services) presented the report.", kind="minutes")
    recs = [(k, r) for k in res for r in res[k]]
    assert recs and all(r["confidence"] is not None and 0 <= r["confidence"] <= 1 for _, r in recs), recs
    conf = {r["cue"]: r["confidence"] for r in res["actions"]}
    assert conf["action line"] > conf["request"]


def test_the_calibration_table_says_how_it_was_measured():
    data = json.loads(TABLE_PATH.read_text())
    assert "share of records that were right" in data["about"]
    for kind in ("metrics", "recommendations", "decisions", "actions", "dates", "people"):
        assert "*" in data["confidence"][kind], kind  # a default for cues not seen when it was measured
