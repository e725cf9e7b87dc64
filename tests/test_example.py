"""The example network in content/ is complete enough to be the README demo and the e2e fixture."""

from collections import Counter

from conftest import NOW


def test_example_network_covers_what_the_demo_promises(example_site):
    from conftest import check_site
    site = check_site(example_site).site
    kinds = Counter(i.get("kind") for i in site.institutions)
    assert len(site.institutions) >= 6 and kinds["kindergarten"] >= 3
    assert kinds["library"] and kinds["school"] and kinds["museum"]
    assert len(site.events) >= 12 and len(site.news) >= 12 and len(site.practices) >= 10
    events = site.events
    assert any(e.all_day for e in events)
    assert any(not e.all_day and e.end.date() > e.start.date() for e in events) or \
        any(e.all_day and (e.end - e.start).days > 1 for e in events)  # multi-day
    assert any(e.get("online") for e in events)
    assert any(e.status == "cancelled" for e in events)
    assert any(len(e.institutions) > 1 for e in events)
    assert {a for e in events for a in e.get("audience", ())} == {"teachers", "parents", "children"}
    assert any(len(e.occurrences) > 1 for e in events)  # recurring
    assert any(e.zone != site.config.timezone for e in events)  # another zone
    assert {g for p in site.practices for g in p.get("age_groups", ())} == \
        {"early", "junior", "middle", "senior", "preparatory"}
    assert {a for p in site.practices for a in p.get("areas", ())} == \
        {"social", "cognitive", "speech", "artistic", "physical"}
    assert {"about", "agreement", "plan"} <= {p.slug for p in site.pages}
    assert site.upcoming and site.past, f"both upcoming and past events around {NOW}"


def test_example_network_builds_without_warnings_under_strict(example_site):
    from conftest import check_site
    assert check_site(example_site, strict=True).diagnostics == ()
