//! Every text of the knowledge capability (cases), in Chinese and English.

crate::texts! {
    /// The knowledge capability's texts, named by what they say.
    pub enum KnowledgeText {
    Cases => "案例查询", "Solved cases";
    CasesHint => "看看类似问题是怎么解决的，也许不用再提诉求。", "See how problems like yours were solved; you may not need to ask.";
    Search => "搜索", "Search";
    SearchPlaceholder => "如：空调不制冷、落户材料", "e.g. air conditioning, residence papers";
    AllCategories => "全部类别", "All categories";
    AllDepartments => "全部部门", "All departments";
    NoCases => "没有找到相关案例。可以换个说法，或直接向楼长提诉求。", "No case matches. Try other words, or raise it with the building manager.";
    RaiseInstead => "向楼长提诉求", "Ask the building manager";
    Problem => "问题", "The problem";
    Solution => "解决办法", "How it was solved";
    Departments => "承办部门", "Departments";
    Building => "楼宇", "Building";
    PublishedOn => "发布于", "Published";
    Related => "相关案例", "Related cases";
    WasItHelpful => "这个案例对您有帮助吗？", "Did this case help?";
    Helpful => "有帮助", "Yes";
    NotHelpful => "没帮助", "No";
    AnsweredNoNeed => "解决了我的问题，不用再提诉求", "It answered my question; no need to ask";
    ThanksVote => "谢谢您的反馈。", "Thank you for telling us.";
    PeopleHelped => "人觉得有帮助", "found it helpful";
    SignInToVote => "登录后可以评价。", "Sign in to answer.";

    PublishCase => "发布为案例", "Publish as a case";
    EditorHint => "系统已自动隐去手机号、电话、身份证号、邮箱、车牌、银行卡号，以及提出人的姓名和单位。请核对右侧内容，必要时补充要隐去的词。原文只保留在诉求中。", "Mobile and landline numbers, ID and bank card numbers, e-mail addresses, plates and the requester's name and company are hidden. Check the right-hand side and add words to hide; the original stays with the request.";
    Original => "原文（仅内部可见）", "Original (staff only)";
    Masked => "发布内容", "What will be published";
    FoundData => "已隐去：", "Hidden: ";
    NothingFound => "没有发现个人信息。", "No personal data found.";
    MaskMore => "还要隐去的词（每行一个）", "More words to hide (one a line)";
    Preview => "预览", "Preview";
    Publish => "发布", "Publish";
    CasePublished => "案例已发布。", "The case is published.";
    ViewCase => "查看案例", "View the case";

    FieldTitle => "标题", "Title";
    FieldProblem => "问题描述", "Problem";
    FieldSolution => "解决办法", "Solution";
    FieldByHand => "还要隐去的词", "More words to hide";
    FieldRequest => "诉求编号", "Request number";
    FieldCategory => "类别", "Category";
    FieldSummary => "简介", "Summary";
    FieldSteps => "办理步骤（每行一步）", "Steps (one a line)";
    FieldMaterials => "所需材料（每行一项）", "Materials (one a line)";
    FieldPlace => "办理地点", "Where";
    FieldHours => "办理时间", "Hours";
    FieldFees => "收费", "Fees";
    FieldTimeLimit => "办理时限", "Time limit";
    FieldOnlineUrl => "网上办理", "Online";
    FieldContact => "咨询", "Contact";
    HttpsLink => "请填写以 https:// 开头的完整网址，或留空。", "Enter a full address starting with https://, or leave it empty.";
    ServiceHall => "办事大厅", "Service hall";
    ServiceHallHint => "常见企业事务怎么办：步骤、材料、地点、时间和收费。", "How to get common company affairs done: steps, materials, where, when and fees.";
    NoGuides => "还没有办事指南。", "No guides yet.";
    Steps => "办理步骤", "Steps";
    Materials => "所需材料", "Materials";
    NoMaterials => "无需材料。", "No documents needed.";
    OpenOnline => "去网上办理", "Do it online";
    EditGuide => "编辑指南", "Edit the guide";
    NewGuide => "新增指南", "New guide";
    SaveGuide => "保存", "Save";
    GuideSaved => "已保存。", "Saved.";
    NoPlace => "不指定地点", "No place";
    GuidesHere => "可在此办理", "Affairs handled here";
    UpdatedOn => "更新于", "Updated";

    NotAQuestion => "只有“咨询”类诉求可以发布到你问我答。", "Only a consultation can become a Q&A entry.";
    Questions => "你问我答", "Questions and answers";
    QuestionsHint => "常见问题的解答。没有找到？向楼长提问，答复后会公开在这里（个人信息已隐去）。", "Answers to common questions. Not here? Ask the building manager; answers are published here with personal data hidden.";
    Ask => "我要提问", "Ask a question";
    NoQuestions => "没有找到相关问答。可以换个说法，或直接提问。", "No entry matches. Try other words, or ask.";
    Question => "问", "Question";
    Answer => "答", "Answer";
    PublishQuestion => "发布到你问我答", "Publish as a Q&A entry";
    QuestionPublished => "已发布到你问我答。", "Published as a Q&A entry.";
    MaybeAnswered => "这些解答也许有帮助", "These answers may help";
    QaTag => "问答", "Q&A";
    NotResolved => "诉求办结后才能发布为案例。", "A request can be published as a case once it is resolved.";
    AlreadyPublished => "这个诉求已经发布过案例了。", "This request has been published as a case already.";
    }
}
