"""A status change as one PL/pgSQL function (called by assessment.models.set_progress).

It is the busiest write on the site, and as a plain statement PostgreSQL spent more time
planning it than running it. A function's statements are planned once per server connection
and reused, which also holds behind a transaction-mode PgBouncer (where prepared statements
from the client would not).

Only a real change (the row's status or skip reason differs) writes anything beyond the
learner's row, so repeating the current status writes nothing. A later change to this
function is a new migration with CREATE OR REPLACE.
"""

from django.db import migrations

CREATE = r"""
CREATE OR REPLACE FUNCTION assessment_change_status(
    p_user bigint,
    p_slug text,
    p_drafts boolean,      -- may the resource be an unpublished draft (staff)?
    p_status text,
    p_reason text,         -- the skip reason, '' for any other status
    p_now timestamptz,
    p_dues date[],         -- "done": the first reviews' due dates and gaps; else empty
    p_days integer[],
    p_domain text          -- "done": the domain of the exercise to suggest
) RETURNS TABLE (
    out_resource_id bigint, out_resource_slug text, out_resource_title text,
    out_previous text,     -- the status before, NULL when there was no row
    out_flag_moved boolean, -- the roadmap entry's skip flag moved: reschedule the roadmap
    out_changed boolean,
    out_id bigint, out_status text, out_skip_reason text,
    out_started_at timestamptz, out_finished_at timestamptz, out_updated_at timestamptz
) LANGUAGE plpgsql AS $$
DECLARE
    v_resource bigint;
    v_row assessment_progress%ROWTYPE;
    v_skipped boolean := p_status = 'skipped';
BEGIN
    SELECT r.id, r.slug, r.title INTO v_resource, out_resource_slug, out_resource_title
    FROM catalog_resource r
    WHERE r.slug = p_slug AND (r.published OR p_drafts);
    IF NOT FOUND THEN
        RETURN;  -- no such resource for this learner: no row
    END IF;
    out_resource_id := v_resource;

    -- Lock the learner's row first: a change to it in flight makes this wait, and since
    -- each statement here takes a fresh snapshot, everything below sees what it wrote.
    SELECT p.status INTO out_previous FROM assessment_progress p
    WHERE p.user_id = p_user AND p.resource_id = v_resource
    FOR UPDATE;

    INSERT INTO assessment_progress AS p (user_id, resource_id, status, skip_reason,
                                          started_at, finished_at, updated_at)
    VALUES (p_user, v_resource, p_status, p_reason,
            CASE WHEN p_status IN ('in_progress', 'done') THEN p_now END,
            CASE WHEN p_status = 'done' THEN p_now END,
            p_now)
    ON CONFLICT (user_id, resource_id) DO UPDATE SET
        status = EXCLUDED.status,
        skip_reason = EXCLUDED.skip_reason,
        started_at = CASE WHEN EXCLUDED.status = 'not_started' THEN NULL
                          ELSE COALESCE(p.started_at, EXCLUDED.started_at) END,
        finished_at = EXCLUDED.finished_at,
        updated_at = EXCLUDED.updated_at
    WHERE (p.status, p.skip_reason) IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.skip_reason)
    RETURNING p.* INTO v_row;
    out_changed := FOUND;
    out_flag_moved := false;

    IF out_changed THEN
        WITH logged AS (
            INSERT INTO assessment_progressevent (user_id, resource_id, status, at)
            VALUES (p_user, v_resource, p_status, p_now)
        ), flagged AS (
            -- The roadmap's skip flag follows the status.
            UPDATE assessment_roadmapentry e SET skipped = v_skipped, skip_reason = p_reason
            WHERE e.user_id = p_user AND e.resource_id = v_resource
              AND (e.skipped, e.skip_reason) IS DISTINCT FROM (v_skipped, p_reason)
            RETURNING e.id
        ), unscheduled AS (
            -- A resource no longer done has nothing to review; rated reviews stay as history.
            DELETE FROM assessment_review r
            WHERE r.user_id = p_user AND r.resource_id = v_resource AND r.done_at IS NULL
        ), scheduled AS (
            INSERT INTO assessment_review (user_id, resource_id, due, interval_days, rating,
                                           created_at)
            SELECT p_user, v_resource, step.due, step.days, '', p_now
            FROM unnest(p_dues, p_days) AS step (due, days)
        ), suggested AS (
            INSERT INTO assessment_exercisesuggestion AS x (user_id, resource_id, domain,
                                                            created_at)
            SELECT p_user, v_resource, p_domain, p_now WHERE p_status = 'done'
            ON CONFLICT (user_id, resource_id) DO UPDATE SET
                domain = EXCLUDED.domain, created_at = EXCLUDED.created_at,
                dismissed_at = NULL
        ), redrawn AS (
            -- The learner's cached pages are drawn again (see mathpath/pagecache.py).
            UPDATE accounts_user u SET pages_version = u.pages_version + 1
            WHERE u.id = p_user
        )
        SELECT EXISTS (SELECT FROM flagged) INTO out_flag_moved;
    ELSE
        SELECT * INTO v_row FROM assessment_progress p
        WHERE p.user_id = p_user AND p.resource_id = v_resource;
    END IF;

    out_id := v_row.id;
    out_status := v_row.status;
    out_skip_reason := v_row.skip_reason;
    out_started_at := v_row.started_at;
    out_finished_at := v_row.finished_at;
    out_updated_at := v_row.updated_at;
    RETURN NEXT;
END
$$;
"""

DROP = """
DROP FUNCTION IF EXISTS assessment_change_status(
    bigint, text, boolean, text, text, timestamptz, date[], integer[], text
);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("assessment", "0003_assessment_submission_key"),
        ("accounts", "0003_pages_version"),
        ("catalog", "0003_level_order"),
    ]

    operations = [migrations.RunSQL(CREATE, DROP)]
