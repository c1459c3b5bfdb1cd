-- One resolved and confirmed demo request with its whole timeline, so that "similar
-- requests" and the routing suggestions have a history to draw on. Parameters: $1 number,
-- $2 requester, $3 building, $4 category (Chinese name), $5 title, $6 description,
-- $7 bigrams, $8 submitted at (unix seconds), $9 the building manager (or NULL), $10 the answer.
WITH r AS (
    INSERT INTO requests (number, requester_id, building_id, category_id, title, description,
                          status, bigrams, submitted_at, first_response_due, resolution_due,
                          responded_at, resolved_at, closed_at, summary, rating, is_demo)
    SELECT $1, $2, $3, c.id, $5, $6, 'closed', $7, to_timestamp($8), to_timestamp($8) + interval '4 hours',
           to_timestamp($8) + interval '3 days', to_timestamp($8) + interval '2 hours',
           to_timestamp($8) + interval '1 day', to_timestamp($8) + interval '2 days', $10, 5, true
      FROM request_categories c WHERE c.name_zh = $4
    RETURNING id, category_id, submitted_at AS t
), a AS (
    INSERT INTO request_assignments (request_id, department_id, status, routed_at,
                                     claimed_at, answered_at)
    SELECT r.id, c.default_department_id, 'answered', r.t + interval '1 hour',
           r.t + interval '2 hours', r.t + interval '20 hours'
      FROM r JOIN request_categories c ON c.id = r.category_id
    RETURNING request_id, department_id
)
INSERT INTO request_events (request_id, actor_id, actor_role, department_id, kind, note,
                            detail, at)
SELECT r.id, e.actor, e.role, e.department, e.kind, e.note, e.detail, r.t + e.after
  FROM r JOIN a ON a.request_id = r.id,
       LATERAL (VALUES
           ($2::bigint, 'requester', NULL::bigint, 'submitted', '', '{}'::jsonb, interval '0'),
           ($9::bigint, 'manager', NULL, 'accepted', '', '{}', interval '30 minutes'),
           ($9::bigint, 'manager', NULL, 'routed', '',
            jsonb_build_object('departments', jsonb_build_array(a.department_id)), interval '1 hour'),
           (NULL, 'department', a.department_id, 'claimed', '', '{}', interval '2 hours'),
           (NULL, 'department', a.department_id, 'answered', $10, '{}', interval '20 hours'),
           (NULL, 'department', a.department_id, 'resolved', $10, '{}', interval '1 day'),
           ($2::bigint, 'requester', NULL, 'confirmed', '', '{"rating": 5}', interval '2 days')
       ) AS e (actor, role, department, kind, note, detail, after);
