//! Every text of the requests capability, in Chinese and English.

use crate::i18n::Locale;

crate::texts! {
    /// The requests capability's texts, named by what they say.
    pub enum RequestText {
    TabRequests => "诉求", "Requests";
    MyRequests => "我的诉求", "My requests";
    RaiseProblem => "提问题", "Raise a problem";
    Slogan => "有问题找楼长：提交后由楼长受理，派给职能部门认领办理，每一步都看得到。", "Problems go to your building manager, who routes them to the departments; you see every step.";
    NoRequestsYet => "您还没有提过问题。", "You have not raised a problem yet.";
    NoRequestsHint => "企业遇到政策、物业、工商、落户等问题，点“提问题”告诉楼长。", "Questions about policy, the building, registration or residence? Tap “Raise a problem”.";
    Inbox => "工作台", "Inbox";
    InboxEmpty => "没有符合条件的诉求。", "No requests match.";
    InboxCount => "诉求数：", "Requests:";
    Filters => "筛选", "Filters";
    ApplyFilters => "筛选", "Apply";
    All => "全部", "All";
    FieldStatus => "状态", "Status";
    FieldDue => "期限", "Deadline";
    StatusOpen => "待办（未办结）", "Open (not resolved)";

    FieldCategory => "问题类别", "Category";
    FieldBuilding => "所在楼宇", "Building";
    FieldCompany => "所在企业", "Company";
    FieldTitle => "标题", "Title";
    FieldDescription => "问题描述", "Description";
    FieldPhotos => "照片", "Photos";
    FieldNote => "说明", "Note";
    FieldRating => "满意度评分", "Rating";
    FieldDepartments => "职能部门", "Departments";
    FieldMergeInto => "合并到诉求编号", "Merge into request number";
    FieldNumber => "诉求编号", "Request number";
    FieldStep => "操作", "Step";
    FieldFilter => "筛选条件", "Filter";
    ChooseCategory => "请选择类别", "Choose a category";
    CompanyHint => "可从列表选择，或直接输入企业名称（新名称由楼长确认）", "Pick from the list or type your company's name (a new name is confirmed by the building manager).";
    TitlePlaceholder => "一句话说明问题，如“地下车库停车位不够”", "One line, e.g. “Not enough parking in the garage”";
    DescriptionPlaceholder => "发生了什么、在哪里、希望怎样解决", "What happened, where, and what you would like done";
    PhotosHint => "最多 3 张，JPEG/PNG/WebP，每张不超过 8 MB；手机上可直接拍照", "Up to 3 photos (JPEG, PNG or WebP, 8 MB each); phones can take one now.";
    SimilarOwn => "相关的历史诉求", "Related earlier requests";
    Submit => "提交给楼长", "Send to the building manager";
    Submitting => "正在提交…", "Sending…";

    StatusSubmitted => "待受理", "Submitted";
    StatusAccepted => "已受理", "Accepted";
    StatusReturned => "已退回", "Returned";
    StatusMerged => "已合并", "Merged";
    StatusRouted => "办理中", "In progress";
    StatusAnswered => "已答复", "Answered";
    StatusResolved => "已办结，待确认", "Resolved, awaiting confirmation";
    StatusClosed => "已关闭", "Closed";
    AssignmentRouted => "待认领", "awaiting claim";
    AssignmentClaimed => "已认领", "claimed";
    AssignmentAnswered => "已答复", "answered";

    Overdue => "已超期", "Overdue";
    DueToday => "今日到期", "Due today";
    DueBy => "办理期限", "Due";
    SubmittedAt => "提交于", "Submitted";
    RaisedBy => "提出人", "Raised by";
    Departments => "办理部门", "Departments";
    MergedInto => "已合并到", "Merged into";
    ResolutionSummary => "办结说明", "Resolution summary";
    Rating => "评价", "Rating";
    Photo => "照片", "Photo";
    Timeline => "办理进度", "Timeline";
    WhatYouCanDo => "可以进行的操作", "What you can do";
    StepDone => "操作成功，进度已更新。", "Done. The timeline is updated.";
    Suggested => "推荐", "Suggested";

    ActionAccept => "受理", "Accept";
    ActionReturn => "退回", "Return";
    ActionMerge => "合并为重复诉求", "Merge as a duplicate";
    ActionRoute => "派给所选部门", "Route to these departments";
    ActionClaim => "认领", "Claim";
    ActionAsk => "请提出人补充", "Ask the requester";
    ActionAnswer => "答复", "Answer";
    ActionResolve => "办结", "Resolve";
    ActionConfirm => "确认解决并评价", "Confirm and rate";
    ActionReopen => "未解决，重新办理", "Not solved: reopen";
    ActionComment => "补充说明", "Add a comment";
    ReturnReason => "退回原因", "Why it is returned";
    QuestionForRequester => "需要补充什么", "What you need to know";
    Answer => "答复内容", "Answer";
    RatingComment => "评价说明（可选）", "Comment (optional)";
    ReopenReason => "哪里还没解决", "What is still not solved";
    Comment => "补充内容", "Comment";

    EventSubmitted => "提交诉求", "Submitted";
    EventAccepted => "楼长受理", "Accepted";
    EventReturned => "退回", "Returned";
    EventMerged => "合并到重复诉求", "Merged into a duplicate";
    EventMergedFrom => "合并了重复诉求", "A duplicate was merged in";
    EventRouted => "派单到部门", "Routed to departments";
    EventClaimed => "部门认领", "Claimed";
    EventInformationRequested => "请提出人补充", "More information requested";
    EventAnswered => "部门答复", "Answered";
    EventResolved => "办结", "Resolved";
    EventConfirmed => "提出人确认并评价", "Confirmed and rated";
    EventReopened => "重新办理", "Reopened";
    EventAutoClosed => "7 天未确认，自动关闭", "Closed automatically after 7 days";
    EventCommented => "补充说明", "Comment";
    EventEscalated => "超期，已提醒街道", "Overdue: escalated to the subdistrict";

    CapacityRequester => "提出人", "requester";
    CapacityManager => "楼长", "building manager";
    CapacityDepartment => "职能部门", "department";
    CapacityAdmin => "街道管理员", "subdistrict admin";
    CapacitySystem => "系统", "system";

    RefusedNotPermitted => "您不能进行这一步操作", "You cannot take this step.";
    RefusedFinished => "这个诉求已经结束，不能再操作", "This request is finished; nothing more can be done.";
    RefusedNotAwaitingTriage => "这个诉求已经处理过受理这一步了", "This request has already been triaged.";
    RefusedNotAccepted => "请先受理，再派给部门", "Accept the request before routing it.";
    RefusedAlreadyRouted => "所选部门都已经在办理这个诉求", "Every chosen department already has this request.";
    RefusedNotRoutedToDepartment => "这个诉求没有派给该部门", "This request is not routed to that department.";
    RefusedAlreadyClaimed => "已经有人认领了这个诉求", "Someone has already claimed this request.";
    RefusedNotClaimed => "请先认领，再答复", "Claim the request before answering it.";
    RefusedAlreadyAnswered => "已经答复过了", "It has already been answered.";
    RefusedNotAllAnswered => "还有部门没有答复，暂时不能办结", "A department has not answered yet, so it cannot be resolved.";
    RefusedNotResolved => "诉求还没有办结", "The request is not resolved yet.";
    RefusedReopenWindowPassed => "办结已超过 7 天，不能重新办理；如仍有问题请提一个新诉求", "It was resolved more than 7 days ago. Raise a new request instead.";
    RefusedConfirmWindowOpen => "还在 7 天确认期内", "The 7-day confirmation period has not ended.";

    CalendarTitle => "工作日历", "Working-day calendar";
    CalendarHint => "默认周一至周五上班、周末休息。在这里录入法定节假日和调休上班日；办理期限按工作时间（9:00–17:00）计算。", "By default Monday to Friday are working days. Enter public holidays and make-up working days here; deadlines count working time (09:00–17:00).";
    FieldDate => "日期", "Date";
    FieldDayKind => "这一天", "This day is";
    DayOff => "放假", "Day off";
    MakeUpDay => "调休上班", "Make-up working day";
    DefaultDay => "恢复默认", "As usual";
    SaveDay => "保存", "Save";
    PendingCompanies => "待确认的企业", "Companies to confirm";
    ConfirmCompany => "确认", "Confirm";
    ProblemUnknownCategory => "请从列表中选择一个类别", "Choose a category from the list.";
    ProblemUnknownBuilding => "请从列表中选择所在楼宇", "Choose your building from the list.";
    ProblemUnknownDepartment => "请从列表中选择部门", "Choose departments from the list.";
    ProblemChooseDepartment => "请至少选择一个部门", "Choose at least one department.";
    ProblemRatingRange => "请选择 1 到 5 星", "Choose 1 to 5 stars.";
    ProblemMergeTargetUnknown => "找不到这个编号的同楼宇未结诉求", "No open request of this building has that number.";
    ProblemMergeIntoItself => "不能合并到自己", "A request cannot be merged into itself.";
    ProblemNumberFormat => "编号格式如 CS2026-000123", "Write the number like CS2026-000123.";
    ProblemUnknownStep => "无法识别的操作或筛选条件，请刷新页面后重试", "Unknown step or filter. Reload the page and try again.";
    }
}

/// Why a department is suggested for routing.
pub fn suggestion_reason(locale: Locale, similar_resolved: i64, department: &str) -> String {
    match (locale, similar_resolved) {
        (Locale::Zh, 0) => "该类别的默认部门".into(),
        (Locale::En, 0) => "The category's default department".into(),
        (Locale::Zh, n) => format!("{n} 个相似诉求由{department}办结"),
        (Locale::En, n) => format!("{department} resolved {n} similar requests"),
    }
}
