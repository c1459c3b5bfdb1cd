-- Two months of past lunches, for the numbers' lunch figures (orders and portions a day,
-- subsidy spent, no-shows, ratings): lunch.sql's menus reach ten weeks back, and every past
-- meal is ordered by the demo history account. Run after lunch.sql.

-- Orders for every past meal: 3 to 12 portions each, one in twenty cancelled, one in
-- twenty-five never picked up, a third of those picked up rated (mostly 4 and 5); the
-- subsidy on the first portion of most orders.
WITH h AS (SELECT id FROM users WHERE phone = '13900000099'),
     o AS (
    SELECT m.id AS meal_id, m.lunch_point_id, m.day, m.list_fen, m.discount_fen, m.subsidy_fen,
           k, abs(hashtext(m.id::text || '-' || k::text)) AS r,
           row_number() OVER (PARTITION BY m.lunch_point_id, m.day ORDER BY m.id, k) AS n
      FROM meals m,
           generate_series(1, 3 + abs(hashtext(m.id::text)) % 10) AS k
     WHERE m.day < (now() AT TIME ZONE 'Asia/Shanghai')::date AND m.is_demo)
INSERT INTO lunch_orders (user_id, meal_id, lunch_point_id, day, quantity, list_fen,
                          discount_fen, subsidy_fen, pay_fen, subsidised_meals, pickup_code,
                          idempotency_key, status, ordered_at, cancelled_at, picked_up_at,
                          rating, rated_at, is_demo)
SELECT h.id, o.meal_id, o.lunch_point_id, o.day, 1, o.list_fen, o.discount_fen,
       CASE WHEN o.r % 5 > 0 THEN o.subsidy_fen ELSE 0 END,
       o.list_fen - o.discount_fen - CASE WHEN o.r % 5 > 0 THEN o.subsidy_fen ELSE 0 END,
       CASE WHEN o.r % 5 > 0 THEN 1 ELSE 0 END,
       lpad(o.n::text, 4, '0'), 'demo-history-' || o.meal_id || '-' || o.k,
       CASE WHEN o.r % 20 = 0 THEN 'cancelled' WHEN o.r % 25 = 1 THEN 'ordered' ELSE 'picked_up' END,
       (o.day - 1 + time '15:00') AT TIME ZONE 'Asia/Shanghai',
       CASE WHEN o.r % 20 = 0 THEN (o.day + time '09:00') AT TIME ZONE 'Asia/Shanghai' END,
       CASE WHEN o.r % 20 <> 0 AND o.r % 25 <> 1 THEN (o.day + time '12:05') AT TIME ZONE 'Asia/Shanghai' END,
       CASE WHEN o.r % 20 <> 0 AND o.r % 25 <> 1 AND o.r % 3 = 0
            THEN (ARRAY[5, 5, 4, 4, 4, 3, 5, 2])[1 + o.r % 8] END,
       CASE WHEN o.r % 20 <> 0 AND o.r % 25 <> 1 AND o.r % 3 = 0
            THEN (o.day + time '13:00') AT TIME ZONE 'Asia/Shanghai' END,
       true
  FROM o, h;

UPDATE meals m SET portions_left = m.portions - t.taken
  FROM (SELECT meal_id, sum(quantity) AS taken FROM lunch_orders
         WHERE status <> 'cancelled' AND is_demo GROUP BY meal_id) t
 WHERE t.meal_id = m.id;
