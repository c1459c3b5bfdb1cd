-- Demo data for volunteer points: activities at the stations around today (Shanghai time),
-- one from last week that the demo resident served (points and a badge), and rewards from
-- 盒马 (whose demo partner account verifies the codes).
-- Run once, inside the demo loader's transaction, after places and users exist.

CREATE TEMPORARY TABLE demo_activities (title text, description text, station text,
    day_offset int, starts time, ends time, capacity int, fixed int, per_hour int, cap int,
    geofence int, tags text[]) ON COMMIT DROP;
INSERT INTO demo_activities VALUES
    ('垃圾分类宣传', '在小区门口向居民讲解垃圾分类，发放宣传册。', '新会片区党群服务站',
     0, '14:00', '16:00', 20, 20, NULL, NULL, NULL, '{environment,community}'),
    ('苏州河畔清洁', '沿苏州河步道捡拾垃圾，工具由服务站提供。', '苏河党群服务站',
     1, '09:00', '11:30', 15, NULL, 10, 30, 300, '{environment}'),
    ('助老陪伴', '陪社区老人聊天、读报，帮助使用智能手机。', '谈家28党群服务站',
     2, '14:30', '16:30', 10, NULL, 12, 40, NULL, '{elderly}'),
    ('文明交通引导', '早高峰在长寿路路口协助引导行人文明过街。', '长寿湾党群服务站',
     -7, '07:30', '09:00', 12, 40, NULL, NULL, NULL, '{traffic}');

INSERT INTO activities (title, description, venue_id, starts_at, ends_at, signup_until, capacity,
                        points_fixed, points_per_hour, points_cap, geofence_m, tags,
                        organiser_id, is_demo)
SELECT d.title, d.description, p.id,
       ((now() AT TIME ZONE 'Asia/Shanghai')::date + d.day_offset + d.starts) AT TIME ZONE 'Asia/Shanghai',
       ((now() AT TIME ZONE 'Asia/Shanghai')::date + d.day_offset + d.ends) AT TIME ZONE 'Asia/Shanghai',
       ((now() AT TIME ZONE 'Asia/Shanghai')::date + d.day_offset + d.starts) AT TIME ZONE 'Asia/Shanghai',
       d.capacity, d.fixed, d.per_hour, d.cap, d.geofence, d.tags,
       (SELECT id FROM users WHERE phone = '13900000004'), true
  FROM demo_activities d JOIN places p ON p.name_zh = d.station;

-- The demo resident served last week's activity.
INSERT INTO activity_signups (activity_id, user_id, status, checked_in_at, checked_out_at,
                              check_in_how, check_out_how, minutes, points)
SELECT a.id, u.id, 'signed_up', a.starts_at, a.ends_at, 'scan', 'scan', 90, 40
  FROM activities a, users u WHERE a.title = '文明交通引导' AND u.phone = '13900000001';
UPDATE activities SET signed_up = 1 WHERE title = '文明交通引导';
INSERT INTO points_ledger (user_id, kind, points, minutes, reason, activity_id, created_at)
SELECT u.id, 'earn', 40, 90, a.title, a.id, a.ends_at
  FROM activities a, users u WHERE a.title = '文明交通引导' AND u.phone = '13900000001';
INSERT INTO volunteer_badges (user_id, badge, earned_at)
SELECT u.id, 'first', a.ends_at
  FROM activities a, users u WHERE a.title = '文明交通引导' AND u.phone = '13900000001';

INSERT INTO rewards (partner_id, title, description, cost, stock, valid_until, code_days,
                     collect_at, is_demo)
SELECT p.id, r.title, r.description, r.cost, r.stock, now() + interval '90 days', 14, r.collect_at, true
  FROM places p, (VALUES
    ('现磨咖啡一杯', '任选中杯现磨咖啡一杯。', 30, 100, '盒马鲜生（长寿路店）服务台'),
    ('20 元购物券', '满 50 元可用。', 100, 50, '盒马鲜生（长寿路店）服务台')
  ) AS r (title, description, cost, stock, collect_at)
 WHERE p.name_zh = '盒马鲜生（长寿路店）';
