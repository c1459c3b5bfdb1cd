//! Every text of the numbers, in Chinese and English.

crate::texts! {
    /// The numbers' texts, named by what they say.
    pub enum NumbersText {
    Numbers => "数据看板", "The numbers";
    NumbersHint => "诉求按月统计，口径与 12345 热线一致：响应率、解决率、满意率。", "Requests by month, measured as the 12345 hotlines are: response, resolution and satisfaction rates.";
    Overview => "街道总览", "Subdistrict overview";
    OverviewHint => "本月至今与上月对比。", "This month so far, against last month.";
    GroupBy => "分组", "Group by";
    ByDepartment => "按部门", "By department";
    ByBuilding => "按楼宇", "By building";
    ByCategory => "按类别", "By category";
    Month => "月份", "Month";
    WholeYear => "近 12 个月", "Last 12 months";
    Show => "查看", "Show";
    ComputedAt => "数据计算于", "Computed at";
    ScopeAll => "全部诉求", "All requests";
    ScopeDepartments => "仅含派给本部门的诉求", "Only requests routed to your departments";
    Received => "受理量", "Received";
    ResponseRate => "响应率", "Response rate";
    ResolutionRate => "解决率", "Resolution rate";
    OnTimeRate => "按时办结率", "On-time rate";
    SatisfactionRate => "满意率", "Satisfaction rate";
    MedianResponse => "首次响应中位数（工作小时）", "Median first response (working hours)";
    MedianResolution => "办结中位数（工作小时）", "Median resolution (working hours)";
    OverdueNow => "当前超期", "Overdue now";
    AnsweredWithoutDispatch => "直接答复（无需派单）", "Answered without dispatch";
    Definitions => "口径：响应率 = 首次响应期限内签收的诉求 ÷ 受理诉求（合并的重复诉求不计）；解决率 = 已解决 ÷ 受理；按时办结率 = 办结期限内解决 ÷ 受理；满意率 = 4–5 星评价 ÷ 全部评价。时间按工作时间（工作日 9:00–17:00）计。", "Response rate = requests signed for within the first-response deadline ÷ requests received (merged duplicates aside); resolution rate = resolved ÷ received; on-time rate = resolved within the deadline ÷ received; satisfaction rate = 4–5 star ratings ÷ all ratings. Times count working hours (09:00–17:00 on working days).";
    Ranking => "部门排名", "Department ranking";
    Formula => "综合得分 = 30% × 响应率 + 35% × 解决率 + 35% × 满意率（无评价时按前两项折算）", "Score = 30% × response rate + 35% × resolution rate + 35% × satisfaction rate (without ratings, the first two reweighted)";
    Score => "综合得分", "Score";
    Rank => "名次", "Rank";
    Trend => "近 12 个月趋势", "Trend over 12 months";
    TrendChart => "响应率、解决率、满意率的月度变化", "Response, resolution and satisfaction rates by month";
    ReceivedChart => "受理量", "Requests received";
    Department => "部门", "Department";
    Building => "楼宇", "Building";
    Category => "类别", "Category";
    Total => "合计", "Total";
    NoRequests => "这段时间没有诉求。", "No requests in this period.";
    ExportNumbers => "导出本表（CSV）", "Export this table (CSV)";
    ExportRequests => "导出诉求（CSV）", "Export requests (CSV)";
    Requests => "诉求", "Requests";
    Lunch => "午餐", "Lunch";
    Volunteers => "志愿服务", "Volunteering";
    ThisMonth => "本月至今", "This month so far";
    LastMonth => "上月", "Last month";
    Change => "变化", "Change";
    OrdersPerDay => "日均订单", "Orders a day";
    PortionsPerDay => "日均份数", "Portions a day";
    SubsidySpent => "补贴支出", "Subsidy spent";
    NoShowRate => "未取餐率", "No-show rate";
    AverageRating => "平均评分", "Average rating";
    ActiveVolunteers => "活跃志愿者", "Active volunteers";
    HoursServed => "服务时长（小时）", "Hours served";
    PointsIssued => "发放积分", "Points issued";
    PointsRedeemed => "兑换积分", "Points redeemed";
    SeeNumbers => "查看数据看板", "See the numbers";
    Unassigned => "未派单（楼长处理）", "Not routed (manager)";
    }
}
