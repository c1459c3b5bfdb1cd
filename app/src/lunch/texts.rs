//! Every text of the lunch capability, in Chinese and English.

crate::texts! {
    /// The lunch capability's texts, named by what they say.
    pub enum LunchText {
    TabLunch => "午餐", "Lunch";
    Lunch => "白领午餐", "Lunch";
    Slogan => "政府补贴一点、商户让利一点、白领自费一点。截单前下单，到站凭取餐码取餐。", "The subdistrict, the merchant and you share the price. Order before the cutoff, pick up with your code.";
    MyOrders => "我的订单", "My orders";
    OrderLunch => "去订餐", "Order lunch";
    TodaysMenu => "今日午餐", "Today's lunch";
    NoMenuToday => "今天这里没有午餐菜单。", "No lunch menu here today.";
    ChooseDay => "选择日期", "Choose a day";
    Today => "今天", "Today";
    Tomorrow => "明天", "Tomorrow";
    NoMenus => "这一天还没有菜单。", "No menus for this day yet.";
    SignIn => "登录", "Sign in";
    SignInToOrder => "登录后即可订餐。", "Sign in to order.";
    YourCompany => "我的企业", "My company";
    YourCompanyHint => "填写您所在的楼宇和企业：长寿路街道楼宇内企业的员工每天可享受一份午餐的政府补贴。", "Tell us your building and company: workers of companies in the subdistrict's buildings get one subsidised lunch a day.";
    ChooseBuilding => "请选择楼宇", "Choose a building";
    SaveCompany => "保存", "Save";
    CompanyWaiting => "企业待楼长确认，确认后享受政府补贴。", "Waiting for the building manager to confirm your company; the subsidy starts then.";
    SubsidyYes => "您享受政府补贴（每天一份）", "You get the subsidy (one meal a day)";
    PickupAtStation => "到站自取", "Pick up at the station";
    Delivery => "配送到楼", "Delivered to your building";
    ListPrice => "原价", "List";
    MerchantDiscount => "商户让利", "Merchant discount";
    Subsidy => "政府补贴", "Subsidy";
    YouPay => "实付", "You pay";
    Cutoff => "截单", "cutoff";
    Pickup => "取餐", "pickup";
    SoldOut => "已售罄", "Sold out";
    NotOpenYet => "尚未开始预订。", "Ordering has not opened yet.";
    OrdersClosed => "已截单。", "Ordering is closed.";
    Contains => "含：", "Contains: ";
    Order => "下单", "Order";
    Ordering => "正在下单…", "Ordering…";
    PickupCode => "取餐码", "Pickup code";
    QrAlt => "取餐二维码", "Pickup QR code";
    DeliverTo => "送至：", "Deliver to: ";
    CancelOrder => "取消订单", "Cancel order";
    History => "历史订单", "Past orders";
    NoOrdersYet => "您还没有订过午餐。", "You have not ordered lunch yet.";
    NoShow => "未取餐", "Not picked up";
    StatusOrdered => "待取餐", "To pick up";
    StatusCancelled => "已取消", "Cancelled";
    StatusPickedUp => "已取餐", "Picked up";
    Status => "状态", "Status";
    Rate => "评价", "Rate";
    StationConsole => "站点取餐台", "Station console";
    NoPointsToOperate => "您没有可管理的午餐点。", "You do not operate a lunch point.";
    HandOver => "核销取餐", "Hand over";
    HandedOver => "已取餐：", "Handed over: ";
    ToPrepare => "份数", "Portions";
    Orders => "订单", "Orders";
    Waiting => "单待取", "waiting";
    NoOrdersYetToday => "今天还没有订单。", "No orders yet today.";
    NoShows => "未取餐（取餐时间已过）", "Not picked up (pickup is over)";
    Customer => "订餐人", "Customer";
    PayWechat => "微信", "WeChat Pay";
    PayAlipay => "支付宝", "Alipay";
    PayCash => "现金", "Cash";
    PayCard => "银行卡", "Card";
    PayPrepaid => "已预付", "Prepaid";
    Settlement => "午餐结算", "Lunch settlement";
    Merchant => "商户", "Merchant";
    PortionsSold => "售出份数", "Portions sold";
    Total => "合计", "Total";
    Show => "查看", "Show";
    NoSales => "这个月没有午餐订单。", "No lunch orders this month.";
    DownloadCsv => "下载 CSV", "Download CSV";
    MenuEditor => "菜单管理", "Menus";
    ScanQr => "扫码", "Scan";
    ScanHint => "把取餐二维码对准摄像头。", "Hold the pickup QR code up to the camera.";
    CameraView => "摄像头画面", "Camera view";
    CloseCamera => "关闭摄像头", "Close the camera";
    CameraDenied => "无法使用摄像头：请在浏览器设置中允许本网站使用摄像头，或直接输入取餐码。", "The camera is not allowed: allow it for this site in the browser settings, or type the code.";
    CameraUnavailable => "这台设备无法扫码，请直接输入取餐码。", "This device cannot scan; type the code instead.";
    LunchSurvey => "午餐调查", "Lunch survey";
    TakeSurvey => "参加午餐调查，帮我们把午餐做得更好 →", "Take the lunch survey and help us make lunch better →";
    NoSurvey => "目前没有进行中的调查。", "No survey is open now.";
    SurveyThanks => "您已填写这份调查，谢谢！", "You have answered this survey. Thank you!";
    ChooseAny => "（可多选）", " (choose any)";
    SubmitSurvey => "提交", "Submit";
    Surveys => "午餐调查管理", "Lunch surveys";
    NoSurveysYet => "还没有调查。", "No surveys yet.";
    SurveyOpen => "进行中", "open";
    SurveyClosed => "已结束", "closed";
    CloseSurvey => "结束调查", "Close";
    NewSurvey => "新建调查", "New survey";
    QuestionKind => "题型", "Question type";
    KindSingle => "单选", "Single choice";
    KindMultiple => "多选", "Multiple choice";
    KindText => "填空", "Free text";
    AddQuestion => "添加题目", "Add a question";
    QuestionPlaceholder => "题目，如：今天的午餐满意吗？", "The question, e.g. Was lunch good today?";
    SurveyPublished => "调查已发布。", "The survey is published.";
    PublishSurvey => "发布调查", "Publish";
    Option => "选项", "Option";
    Count => "人数", "People";
    NoAnswersYet => "还没有回答。", "No answers yet.";
    SubsidyNow => "当前每份补贴", "Subsidy per meal now";
    RemoveMeal => "删除套餐", "Remove meal";
    NewMeal => "新增套餐", "New meal";
    CopyMenu => "复制菜单", "Copy the menu";
    CopyWholeWeek => "复制整周（周一至周日）", "The whole week (Monday to Sunday)";
    Copy => "复制", "Copy";
    Saved => "已保存。", "Saved.";
    SaveMeal => "保存", "Save";
    AddMeal => "添加套餐", "Add meal";
    SubsidyRule => "午餐补贴规则", "Lunch subsidy rule";
    SubsidyRuleHint => "长寿路街道楼宇内已确认企业的员工享受补贴。修改后，今天及以后尚无订单的套餐按新补贴计价；已下单的价格不变。", "Workers of confirmed companies in the subdistrict's buildings get the subsidy. A change applies to meals from today on that nobody has ordered yet; ordered meals keep their price.";

    FieldMeal => "套餐", "Meal";
    FieldQuantity => "份数", "Portions";
    FieldAttempt => "下单请求", "Order attempt";
    FieldDay => "日期", "Day";
    FieldDeliveryBuilding => "送达楼宇", "Deliver to building";
    FieldOrder => "订单", "Order";
    FieldPickupCode => "取餐码", "Pickup code";
    FieldPayment => "付款方式", "Payment";
    FieldRating => "评分", "Rating";
    FieldComment => "评价内容", "Comment";
    FieldBuilding => "所在楼宇", "Building";
    FieldCompany => "企业名称", "Company";
    FieldMonth => "月份", "Month";
    FieldMealName => "套餐名称", "Meal name";
    FieldMealNameEn => "英文名称（可选）", "English name (optional)";
    FieldDescription => "说明", "Description";
    FieldTags => "标签", "Tags";
    FieldAllergens => "过敏原", "Allergens";
    FieldListPrice => "原价（元）", "List price (yuan)";
    FieldDiscount => "商户让利（元）", "Merchant discount (yuan)";
    FieldPortions => "供应份数", "Portions";
    FieldPerPersonLimit => "每人限购", "Limit per person";
    FieldCutoff => "截单时间", "Cutoff";
    FieldPickupFrom => "取餐开始", "Pickup from";
    FieldPickupUntil => "取餐结束", "Pickup until";
    FieldPhoto => "照片", "Photo";
    FieldCopyTo => "复制到", "Copy to";
    FieldSubsidyPerMeal => "每份补贴（元）", "Subsidy per meal (yuan)";
    FieldSubsidyMealsPerDay => "每人每天补贴份数", "Subsidised meals per person a day";
    FieldSurveyTitle => "调查标题", "Survey title";
    FieldSurveyIntro => "说明（可选）", "Introduction (optional)";
    FieldQuestion => "题目", "Question";
    FieldOptions => "选项（每行一个）", "Options (one per line)";
    FieldAnswer => "回答", "Answer";

    ProblemUnknownMeal => "没有这个套餐，请刷新菜单后重选。", "There is no such meal; reload the menu and choose again.";
    ProblemAttemptFormat => "下单请求无效，请刷新页面后重试。", "The order attempt is not valid; reload the page and try again.";
    ProblemDayFormat => "日期格式应为 2026-11-27。", "Dates look like 2026-11-27.";
    ProblemUnknownBuilding => "请从列表中选择楼宇。", "Choose a building from the list.";
    ProblemUnknownOrder => "没有这个订单。", "There is no such order.";
    ProblemCodeFormat => "取餐码是 4 位数字。", "A pickup code is four digits.";
    ProblemCodeNotHere => "本站点今天没有这个取餐码的订单，请核对取餐码和站点。", "No order of today at this station has this code; check the code and the station.";
    ProblemUnknownPayment => "请选择付款方式。", "Choose how it was paid.";
    ProblemRatingRange => "评分为 1 到 5 星。", "Ratings are 1 to 5 stars.";
    ProblemMonthFormat => "月份格式应为 2026-11。", "Months look like 2026-11.";
    ProblemPriceFormat => "请填写金额，如 25 或 25.50。", "Enter an amount, e.g. 25 or 25.50.";
    ProblemDiscountOverPrice => "让利不能超过原价。", "The discount cannot be more than the list price.";
    ProblemClockFormat => "时间格式应为 10:30。", "Times look like 10:30.";
    ProblemPickupBeforeCutoff => "取餐开始不能早于截单时间。", "Pickup cannot start before the cutoff.";
    ProblemPickupEndsBeforeStart => "取餐结束要晚于取餐开始。", "Pickup must end after it starts.";
    ProblemDayInPast => "不能修改已经过去的日期。", "Days in the past cannot change.";
    ProblemSameDay => "请选择另一天。", "Choose another day.";
    ProblemUnknownChoice => "请从列表中选择。", "Choose from the list.";
    ProblemTooFewOptions => "选择题至少要有 2 个选项，最多 10 个。", "A choice question needs 2 to 10 options.";

    SoldOutMessage => "这个套餐已售罄。", "This meal is sold out.";
    NotOpenYetMessage => "这个套餐还没开始预订。", "Ordering for this meal has not opened yet.";
    PastCutoffMessage => "已过截单时间，订单不能再下或更改。", "Past the cutoff: orders can no longer be placed or changed.";
    AlreadyCancelledMessage => "这个订单已取消。", "This order was cancelled.";
    AlreadyPickedUpMessage => "这个订单已取过餐。", "This order has been picked up already.";
    PickupOverMessage => "取餐时间已过。", "The pickup time is over.";
    NotPickedUpMessage => "取餐后才能评价。", "You can rate a meal once you have picked it up.";
    PriceFixedMessage => "已有人下单，价格不能再改。", "Workers have ordered at this price; it cannot change now.";

    HasOrdersMessage => "这个套餐已有订单，不能删除；可以把份数改为已订份数来停售。", "This meal has orders and cannot be removed; set its portions to what is ordered to stop sales.";
    SurveyAnsweredMessage => "您已经填过这份调查了，谢谢！", "You have answered this survey already. Thank you!";
    SurveyClosedMessage => "这份调查已结束。", "This survey is closed.";

    TagSpicy => "辣", "Spicy";
    TagVegetarian => "素", "Vegetarian";
    TagHalal => "清真", "Halal";
    TagLowFat => "低脂", "Low fat";
    AllergenGluten => "麸质", "gluten";
    AllergenPeanut => "花生", "peanut";
    AllergenNuts => "坚果", "nuts";
    AllergenMilk => "奶", "milk";
    AllergenEgg => "蛋", "egg";
    AllergenFish => "鱼", "fish";
    AllergenShellfish => "贝类", "shellfish";
    AllergenSoy => "大豆", "soy";
    AllergenSesame => "芝麻", "sesame";
    Unknown => "其他", "Other";
    }
}

impl LunchText {
    /// A meal tag's words (`spicy` → 辣).
    pub fn tag(code: &str) -> LunchText {
        lookup(code, &super::menus::TAGS)
    }

    /// An allergen's words (`peanut` → 花生).
    pub fn allergen(code: &str) -> LunchText {
        lookup(code, &super::menus::ALLERGENS)
    }
}

fn lookup(code: &str, list: &[(&str, LunchText)]) -> LunchText {
    list.iter()
        .find(|(c, _)| *c == code)
        .map_or(LunchText::Unknown, |(_, text)| *text)
}
