-- Demo data for problems to the building manager: the categories' default departments and
-- a few hundred companies spread over the 48 buildings. Run once, inside the demo loader's
-- transaction, after the departments and places exist.

UPDATE request_categories c SET default_department_id = d.id
  FROM (VALUES ('policy', '街道营商服务办公室'),
               ('business', '市场监督管理所'),
               ('property', '房屋管理办事处'),
               ('talent', '社区事务受理服务中心'),
               ('party', '街道营商服务办公室'),
               ('safety', '城市管理执法中队'),
               ('consultation', '街道营商服务办公室'),
               ('other', '街道营商服务办公室')) AS m (code, department),
       departments d
 WHERE c.code = m.code AND d.name_zh = m.department;

-- Six companies a building, named from plausible parts.
INSERT INTO companies (building_id, name, confirmed, is_demo)
SELECT b.id,
       (ARRAY['长寿', '苏河', '沪西', '申普', '蓝湾', '星澜', '华曜', '云帆', '启明', '景行',
              '中岚', '晨曦', '博远', '青禾', '恒信', '天衡', '明德', '锦程', '海纳', '知行'])
           [1 + (b.n * 7 + k * 3) % 20]
       || (ARRAY['信息科技有限公司', '文化传媒有限公司', '企业管理咨询有限公司', '律师事务所',
                 '建筑设计有限公司', '网络科技有限公司'])[k],
       true, true
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM places
         WHERE 'building' = ANY (kinds)) AS b,
       generate_series(1, 6) AS k
ON CONFLICT (building_id, name) DO NOTHING;
