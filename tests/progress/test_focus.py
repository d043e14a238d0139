"""Focus: one resource for two weeks, days left, and how it went."""

import datetime as dt

from progress.models import Focus, Progress

D = dt.date


def choose(client, entry):
    return client.post("/focus/", {"resource": entry.resource.slug})


def test_choosing_a_focus_commits_for_two_weeks_and_starts_the_resource(
    user_client, user, first_entry, frozen_clock
):
    response = choose(user_client, first_entry)
    assert response.status_code == 302
    focus = Focus.objects.get(user=user)
    assert (focus.starts_on, focus.ends_on) == (D(2026, 3, 10), D(2026, 3, 24))
    assert Progress.objects.get(user=user).status == "in_progress"
    html = user_client.get("/").content.decode()
    assert first_entry.resource.title in html and "14 days left" in html


def test_days_left_count_down_and_the_end_asks_how_it_went(user_client, user, first_entry,
                                                           frozen_clock):
    choose(user_client, first_entry)
    frozen_clock.advance(days=10)
    assert "4 days left" in user_client.get("/").content.decode()
    frozen_clock.advance(days=4)
    html = user_client.get("/").content.decode()
    assert "How did it go?" in html
    assert 'name="outcome" value="extended"' in html


def test_answering_done_marks_the_resource_done(user_client, user, first_entry, frozen_clock):
    choose(user_client, first_entry)
    frozen_clock.advance(days=14)
    user_client.post("/focus/answer/", {"outcome": "done"})
    focus = Focus.objects.get(user=user)
    assert focus.outcome == "done" and focus.answered_at is not None
    assert Progress.objects.get(user=user).status == "done"
    assert user.exercise_suggestions.count() == 1


def test_extending_adds_a_week(user_client, user, first_entry, frozen_clock):
    choose(user_client, first_entry)
    frozen_clock.advance(days=14)
    user_client.post("/focus/answer/", {"outcome": "extended"})
    old, new = Focus.objects.filter(user=user).order_by("created_at", "id")
    assert old.outcome == "extended"
    assert new.answered_at is None and new.ends_on == D(2026, 3, 31)
    assert "7 days left" in user_client.get("/").content.decode()


def test_switching_closes_the_focus_and_offers_a_new_choice(user_client, user, first_entry,
                                                            frozen_clock):
    choose(user_client, first_entry)
    frozen_clock.advance(days=14)
    user_client.post("/focus/answer/", {"outcome": "switched"})
    assert Focus.objects.get(user=user).outcome == "switched"
    assert "Commit for two weeks" in user_client.get("/").content.decode()


def test_choosing_another_focus_switches_from_the_open_one(user_client, user, roadmap):
    first, second = list(user.roadmap_entries.for_roadmap_page())[:2]
    choose(user_client, first)
    choose(user_client, second)
    assert Focus.objects.filter(user=user, answered_at__isnull=True).get().resource == \
        second.resource
    assert Focus.objects.get(user=user, resource=first.resource).outcome == "switched"


def test_a_bad_answer_is_a_400_and_no_focus_is_a_404(user_client, user, first_entry):
    assert user_client.post("/focus/answer/", {"outcome": "done"}).status_code == 404
    choose(user_client, first_entry)
    assert user_client.post("/focus/answer/", {"outcome": "meh"}).status_code == 400
    assert user_client.post("/focus/", {"resource": "nope"}).status_code == 404


def test_another_users_focus_is_theirs(client, other_user, user, first_entry):
    client.force_login(user)
    choose(client, first_entry)
    client.force_login(other_user)
    assert client.post("/focus/answer/", {"outcome": "done"}).status_code == 404
    assert Focus.objects.get(user=user).answered_at is None


def test_the_same_answer_sent_twice_extends_once(user_client, user, first_entry, frozen_clock):
    choose(user_client, first_entry)
    frozen_clock.advance(days=14)
    html = user_client.get("/").content.decode()
    focus = Focus.objects.get(user=user)
    assert f'name="focus" value="{focus.pk}"' in html
    for _ in range(2):  # a double click
        response = user_client.post("/focus/answer/", {"outcome": "extended", "focus": focus.pk})
        assert response.status_code == 302
    assert Focus.objects.filter(user=user).count() == 2
    assert "You already answered" in user_client.get("/").content.decode()


def test_answering_a_focus_that_is_not_yours_is_a_404(client, other_user, user, first_entry,
                                                      frozen_clock):
    choose_as = Focus.objects.create(user=user, resource=first_entry.resource,
                                     starts_on=D(2026, 3, 1), ends_on=D(2026, 3, 2))
    client.force_login(other_user)
    response = client.post("/focus/answer/", {"outcome": "done", "focus": choose_as.pk})
    assert response.status_code == 404
    assert Focus.objects.get(pk=choose_as.pk).answered_at is None


def test_an_empty_choice_is_a_400_that_says_choose_a_resource(user_client, user, roadmap):
    response = user_client.post("/focus/", {"resource": ""})
    assert response.status_code == 400
    assert "Choose a resource to focus on." in response.content.decode()
    assert not user.focuses.exists()
