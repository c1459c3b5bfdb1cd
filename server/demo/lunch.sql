-- Demo data for lunch: the merchants of the source article, the ten station lunch points
-- and 盒马's delivery, three set meals a point on every working day from ten weeks ago to
-- two weeks ahead (lunch_history.sql orders the past ones), and the demo office worker's
-- company (so they get the subsidy). Orders open six days ahead, close at 10:30 (盒马 at
-- 10:00), pickup 11:30–13:30 in Shanghai time.
-- Run once, inside the demo loader's transaction, after places, users and companies exist.

INSERT INTO merchants (name_zh, name_en, phone, is_demo) VALUES
    ('红子鸡美食总汇', 'Hongziji Restaurant', '021-62980000', true),
    ('顺风大酒店', 'Shunfeng Restaurant', '021-62770000', true),
    ('澳门陈光记', 'Chan Kwong Kee', '021-62550000', true),
    ('盒马鲜生', 'Hema Fresh', '021-62330000', true);

-- 盒马 delivers to buildings, so its store is a lunch point too.
UPDATE places SET kinds = kinds || '{lunch_point}'
 WHERE name_zh = '盒马鲜生（长寿路店）' AND NOT 'lunch_point' = ANY (kinds);

INSERT INTO lunch_points (place_id, merchant_id, fulfilment, payment)
SELECT p.id, m.id, 'pickup', 'at_pickup'
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM places
         WHERE 'lunch_point' = ANY (kinds) AND 'service_station' = ANY (kinds)) AS p
  JOIN merchants m
    ON m.name_zh = (ARRAY['红子鸡美食总汇', '顺风大酒店', '澳门陈光记'])[1 + p.n % 3];
INSERT INTO lunch_points (place_id, merchant_id, fulfilment, payment)
SELECT p.id, m.id, 'delivery', 'prepaid'
  FROM places p, merchants m
 WHERE p.name_zh = '盒马鲜生（长寿路店）' AND m.name_zh = '盒马鲜生';

-- (merchant, name, description, tags, allergens, list, discount) in fen.
CREATE TEMPORARY TABLE demo_dishes (merchant text, k int, name_zh text, name_en text,
    description text, tags text[], allergens text[], list_fen int, discount_fen int)
    ON COMMIT DROP;
INSERT INTO demo_dishes VALUES
    ('红子鸡美食总汇', 1, '红子鸡套餐', 'Hongzi chicken set', '招牌红子鸡配时蔬、米饭、例汤', '{spicy}', '{soy}', 2800, 300),
    ('红子鸡美食总汇', 2, '番茄牛腩饭', 'Tomato beef brisket rice', '慢炖牛腩，番茄汤汁拌饭', '{}', '{}', 2600, 300),
    ('红子鸡美食总汇', 3, '清炒时蔬素食餐', 'Vegetable set', '三样时令蔬菜、豆腐、杂粮饭', '{vegetarian,low_fat}', '{soy}', 2000, 200),
    ('顺风大酒店', 1, '本帮红烧肉套餐', 'Braised pork set', '红烧肉、炒青菜、米饭、罗宋汤', '{}', '{soy}', 3000, 400),
    ('顺风大酒店', 2, '葱油鸡腿饭', 'Scallion chicken rice', '葱油鸡腿配两样素菜', '{}', '{sesame}', 2600, 300),
    ('顺风大酒店', 3, '轻食鸡胸沙拉', 'Chicken breast salad', '鸡胸肉、藜麦、坚果碎', '{low_fat}', '{nuts,egg}', 2400, 200),
    ('澳门陈光记', 1, '烧鹅饭', 'Roast goose rice', '招牌烧鹅、例汤、青菜', '{}', '{soy}', 3200, 400),
    ('澳门陈光记', 2, '蜜汁叉烧饭', 'Char siu rice', '蜜汁叉烧、荷包蛋、青菜', '{}', '{egg,soy}', 2800, 300),
    ('澳门陈光记', 3, '咖喱鱼蛋河粉', 'Curry fish ball noodles', '港式咖喱，微辣', '{spicy}', '{fish,gluten}', 2200, 200),
    ('盒马鲜生', 1, '盒马日日鲜便当', 'Hema daily bento', '当日现做，两荤一素', '{}', '{soy}', 2500, 300),
    ('盒马鲜生', 2, '清真牛肉拉面', 'Halal beef noodles', '清真牛肉、手工拉面', '{halal}', '{gluten}', 2400, 200),
    ('盒马鲜生', 3, '鲜虾沙拉轻食盒', 'Shrimp salad box', '鲜虾、牛油果、时蔬', '{low_fat}', '{shellfish}', 2800, 300);

-- Working days (the 2026 schedule, make-up Saturdays included) around today in Shanghai.
INSERT INTO meals (lunch_point_id, day, name_zh, name_en, description, tags, allergens,
                   list_fen, discount_fen, subsidy_fen, portions, portions_left,
                   per_person_limit, orders_open, cutoff, pickup_from, pickup_until, is_demo)
SELECT lp.place_id, d.day, dish.name_zh, dish.name_en, dish.description, dish.tags,
       dish.allergens, dish.list_fen, dish.discount_fen, s.per_meal_fen,
       40 + 10 * dish.k, 40 + 10 * dish.k, 2,
       (d.day - 6)::timestamp AT TIME ZONE 'Asia/Shanghai',
       (d.day + CASE lp.fulfilment WHEN 'delivery' THEN time '10:00' ELSE time '10:30' END)
           AT TIME ZONE 'Asia/Shanghai',
       (d.day + time '11:30') AT TIME ZONE 'Asia/Shanghai',
       (d.day + CASE lp.fulfilment WHEN 'delivery' THEN time '12:30' ELSE time '13:30' END)
           AT TIME ZONE 'Asia/Shanghai',
       true
  FROM lunch_points lp
  JOIN merchants m ON m.id = lp.merchant_id
  JOIN demo_dishes dish ON dish.merchant = m.name_zh
  CROSS JOIN lunch_subsidy s
  CROSS JOIN (SELECT g::date AS day
                FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date - 70,
                                     (now() AT TIME ZONE 'Asia/Shanghai')::date + 14,
                                     interval '1 day') AS g) AS d
  LEFT JOIN calendar_days c ON c.day = d.day
 WHERE coalesce(c.kind = 'work', extract(isodow FROM d.day) < 6);

-- The demo office worker is from a confirmed company in 平高国际大厦.
INSERT INTO worker_companies (user_id, company_id)
SELECT u.id, c.id
  FROM users u, companies c JOIN places b ON b.id = c.building_id
 WHERE u.phone = '13900000007' AND b.name_zh = '平高国际大厦' AND c.confirmed
 ORDER BY c.id LIMIT 1;

-- An open lunch survey (午餐调查) the admin wrote, answered by two demo workers.
WITH s AS (
    INSERT INTO lunch_surveys (title, intro, created_by, is_demo)
    SELECT '十一月午餐满意度调查', '花一分钟告诉我们午餐怎么样，我们会和商户一起改进。', id, true
      FROM users WHERE phone = '13900000006'
    RETURNING id)
INSERT INTO lunch_survey_questions (survey_id, position, kind, prompt, options)
SELECT s.id, q.position, q.kind, q.prompt, q.options
  FROM s, (VALUES
    (1, 'single', '总体满意吗？', ARRAY['满意', '一般', '不满意']),
    (2, 'multiple', '希望增加哪些餐品？', ARRAY['面食', '轻食沙拉', '清真餐', '素食']),
    (3, 'text', '还有什么建议？', ARRAY[]::text[])) AS q (position, kind, prompt, options);

INSERT INTO lunch_survey_responses (survey_id, user_id)
SELECT s.id, u.id FROM lunch_surveys s, users u
 WHERE s.is_demo AND u.phone IN ('13900000003', '13900000005');
INSERT INTO lunch_survey_answers (survey_id, user_id, question_id, choices, text)
SELECT r.survey_id, r.user_id, q.id,
       CASE q.position
           WHEN 1 THEN CASE u.phone WHEN '13900000003' THEN '{0}' ELSE '{1}' END
           WHEN 2 THEN CASE u.phone WHEN '13900000003' THEN '{0,3}' ELSE '{1}' END
           ELSE '{}' END::smallint[],
       CASE WHEN q.position = 3 AND u.phone = '13900000003' THEN '希望取餐点多开一个窗口。' ELSE '' END
  FROM lunch_survey_responses r
  JOIN users u ON u.id = r.user_id
  JOIN lunch_survey_questions q ON q.survey_id = r.survey_id;
