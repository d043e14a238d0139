"""A status change as one PL/pgSQL function (called by assessment.models.set_progress).

It is the busiest write on the site, and as a plain statement PostgreSQL spent more time
planning it than running it. A function's statements are planned once per server connection
and reused, which also holds behind a transaction-mode PgBouncer (where prepared statements
from the client would not).

`written` is the learner's progress row, present only when the status really changed; every
other write keys off it, so repeating the current status writes nothing. All parts see the
same snapshot, so none reads the rows another writes. A later change to this function is a
new migration with CREATE OR REPLACE.
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
    resource_id bigint, resource_slug text, resource_title text,
    previous text,         -- the status before, NULL when there was no row
    flag_moved boolean,    -- the roadmap entry's skip flag moved: reschedule the roadmap
    changed boolean,       -- NULL when the row is neither written nor visible (a race)
    id bigint, status text, skip_reason text,
    started_at timestamptz, finished_at timestamptz, updated_at timestamptz
) LANGUAGE plpgsql AS $$
#variable_conflict use_column
BEGIN
RETURN QUERY
WITH target AS (
    SELECT r.id, r.slug, r.title FROM catalog_resource r
    WHERE r.slug = p_slug AND (r.published OR p_drafts)
), previous AS (
    SELECT p.id, p.status, p.skip_reason, p.started_at, p.finished_at, p.updated_at
    FROM assessment_progress p JOIN target ON p.resource_id = target.id
    WHERE p.user_id = p_user
), written AS (
    INSERT INTO assessment_progress AS p (user_id, resource_id, status, skip_reason,
                                          started_at, finished_at, updated_at)
    SELECT p_user, target.id, p_status, p_reason,
           CASE WHEN p_status IN ('in_progress', 'done') THEN p_now END,
           CASE WHEN p_status = 'done' THEN p_now END,
           p_now
    FROM target
    ON CONFLICT (user_id, resource_id) DO UPDATE SET
        status = EXCLUDED.status,
        skip_reason = EXCLUDED.skip_reason,
        started_at = CASE WHEN EXCLUDED.status = 'not_started' THEN NULL
                          ELSE COALESCE(p.started_at, EXCLUDED.started_at) END,
        finished_at = EXCLUDED.finished_at,
        updated_at = EXCLUDED.updated_at
    WHERE (p.status, p.skip_reason) IS DISTINCT FROM (EXCLUDED.status, EXCLUDED.skip_reason)
    RETURNING p.id, p.resource_id, p.status, p.skip_reason, p.started_at, p.finished_at,
              p.updated_at
), logged AS (
    INSERT INTO assessment_progressevent (user_id, resource_id, status, at)
    SELECT p_user, w.resource_id, w.status, w.updated_at FROM written w
), flagged AS (
    -- The roadmap's skip flag follows the status.
    UPDATE assessment_roadmapentry e
    SET skipped = (p_status = 'skipped'), skip_reason = p_reason
    FROM written w
    WHERE e.user_id = p_user AND e.resource_id = w.resource_id
      AND (e.skipped, e.skip_reason) IS DISTINCT FROM (p_status = 'skipped', p_reason)
    RETURNING e.id
), unscheduled AS (
    -- A resource that is no longer done has nothing to review; rated reviews stay as history.
    DELETE FROM assessment_review r USING written w
    WHERE r.user_id = p_user AND r.resource_id = w.resource_id AND r.done_at IS NULL
), scheduled AS (
    INSERT INTO assessment_review (user_id, resource_id, due, interval_days, rating,
                                   created_at)
    SELECT p_user, w.resource_id, step.due, step.days, '', p_now
    FROM written w, unnest(p_dues, p_days) AS step (due, days)
), suggested AS (
    INSERT INTO assessment_exercisesuggestion AS x (user_id, resource_id, domain, created_at)
    SELECT p_user, w.resource_id, p_domain, p_now FROM written w WHERE w.status = 'done'
    ON CONFLICT (user_id, resource_id) DO UPDATE SET
        domain = EXCLUDED.domain, created_at = EXCLUDED.created_at, dismissed_at = NULL
), redrawn AS (
    -- The learner's cached pages are drawn again (see mathpath/pagecache.py).
    UPDATE accounts_user u SET pages_version = u.pages_version + 1
    WHERE u.id = p_user AND EXISTS (SELECT FROM written)
), outcome AS (
    SELECT true AS changed, w.id, w.status, w.skip_reason, w.started_at, w.finished_at,
           w.updated_at
    FROM written w
    UNION ALL
    SELECT false, p.* FROM previous p WHERE NOT EXISTS (SELECT FROM written)
)
SELECT target.id, target.slug::text, target.title::text, (SELECT p.status FROM previous p)::text,
       EXISTS (SELECT FROM flagged), o.changed, o.id, o.status::text, o.skip_reason::text,
       o.started_at, o.finished_at, o.updated_at
FROM target LEFT JOIN outcome o ON true;
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
