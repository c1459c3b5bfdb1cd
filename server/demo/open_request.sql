-- An open demo request, so that the demo building manager's and department's inboxes are
-- not empty. Parameters: $1 number, $2 requester, $3 building, $4 category (code), $5 title,
-- $6 description, $7 bigrams, $8 submitted at, $9 first-response due, $10 resolution due
-- (unix seconds), $11 a department to route it to (or NULL: left for the manager), $12 the
-- building manager.
WITH r AS (
    INSERT INTO requests (number, requester_id, building_id, category_id, title, description,
                          status, bigrams, submitted_at, first_response_due, resolution_due,
                          is_demo)
    SELECT $1, $2, $3, c.id, $5, $6, CASE WHEN $11::bigint IS NULL THEN 'submitted' ELSE 'routed' END,
           $7, to_timestamp($8), to_timestamp($9), to_timestamp($10), true
      FROM request_categories c WHERE c.code = $4
    RETURNING id, submitted_at AS t
), a AS (
    INSERT INTO request_assignments (request_id, department_id, status, routed_at)
    SELECT r.id, $11, 'routed', r.t + interval '20 minutes' FROM r WHERE $11::bigint IS NOT NULL
    RETURNING request_id
)
INSERT INTO request_events (request_id, actor_id, actor_role, kind, detail, at)
SELECT r.id, e.actor, e.role, e.kind, e.detail, r.t + e.after
  FROM r, LATERAL (VALUES
           ($2::bigint, 'requester', 'submitted', '{}'::jsonb, interval '0', true),
           ($12::bigint, 'manager', 'accepted', '{}', interval '10 minutes', $11::bigint IS NOT NULL),
           ($12::bigint, 'manager', 'routed', jsonb_build_object('departments', jsonb_build_array($11::bigint)),
            interval '20 minutes', $11::bigint IS NOT NULL)
       ) AS e (actor, role, kind, detail, after, wanted)
 WHERE e.wanted;
