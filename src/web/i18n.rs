//! The pages' languages and every label in each: English, Chinese (Simplified) and
//! Thai. The three tables live here side by side so that a missing translation shows in
//! one diff; a test checks that they hold the same keys. Names of GIs are never
//! translated: they are shown as registered, in their own scripts.

use actix_web::http::header;
use actix_web::HttpRequest;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    En,
    Zh,
    Th,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Zh, Lang::Th];

    /// The value of `?lang=`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
            Lang::Th => "th",
        }
    }

    /// The BCP 47 tag for `<html lang>`: Chinese labels are in Simplified characters.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-Hans",
            Lang::Th => "th",
        }
    }

    /// The language's own name, for the switch.
    pub fn own_name(self) -> &'static str {
        match self {
            Lang::En => "English",
            Lang::Zh => "中文",
            Lang::Th => "ไทย",
        }
    }

    /// A language tag's language, if it is one of ours (`zh-TW`, `th-TH`, `EN` …).
    pub fn of_tag(tag: &str) -> Option<Lang> {
        let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        Lang::ALL.into_iter().find(|l| l.code() == primary)
    }

    /// `?lang=` when it names one of ours, else the best of `Accept-Language`, else
    /// English.
    pub fn of_request(req: &HttpRequest) -> Lang {
        let asked = form_urlencoded::parse(req.query_string().as_bytes())
            .find(|(k, _)| k == "lang")
            .and_then(|(_, v)| Lang::of_tag(&v));
        asked
            .or_else(|| {
                req.headers()
                    .get(header::ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(Lang::of_accept_language)
            })
            .unwrap_or(Lang::En)
    }

    /// The highest-weighted of our languages in an `Accept-Language` value (RFC 9110
    /// §12.5.4); the first listed wins a tie; `q=0` means "not this one".
    pub fn of_accept_language(value: &str) -> Option<Lang> {
        let mut best: Option<(Lang, f32)> = None;
        for item in value.split(',') {
            let mut parts = item.split(';');
            let Some(lang) = parts.next().and_then(Lang::of_tag) else {
                continue;
            };
            let q = parts
                .filter_map(|p| p.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            if q > 0.0 && best.is_none_or(|(_, b)| q > b) {
                best = Some((lang, q));
            }
        }
        best.map(|(lang, _)| lang)
    }

    /// The label for `key`; the key itself when it has none (a test keeps that from
    /// happening for any key the pages use).
    pub fn t(self, key: &str) -> &'static str {
        let table = match self {
            Lang::En => EN,
            Lang::Zh => ZH,
            Lang::Th => TH,
        };
        table
            .iter()
            .find(|(k, _)| *k == key)
            .or_else(|| EN.iter().find(|(k, _)| *k == key))
            .map(|(_, v)| *v)
            .unwrap_or("?")
    }

    /// The label of a value from a closed list (`status.protected`, `gi_type.pdo` …);
    /// the raw value when the list grew and the table did not.
    pub fn value(self, prefix: &str, value: &str) -> String {
        let key = format!("{prefix}.{value}");
        if EN.iter().any(|(k, _)| *k == key) {
            self.t(&key).to_string()
        } else {
            value.to_string()
        }
    }
}

type Table = &'static [(&'static str, &'static str)];

const EN: Table = &[
    ("site.name", "Terroir"),
    (
        "site.tagline",
        "Geographical indications and where they are protected",
    ),
    ("nav.search", "Search"),
    ("nav.api", "API"),
    ("nav.language", "Language"),
    ("search.title", "Search the register"),
    ("search.q", "Name, in any script"),
    (
        "search.q_hint",
        "Chinese, Thai or Latin letters; pinyin and RTGS work too",
    ),
    ("search.submit", "Search"),
    ("search.filters", "Filters"),
    ("search.any", "Any"),
    ("search.results", "Results"),
    ("search.none", "No GI matches."),
    ("search.more", "More results follow; narrow the search."),
    ("field.origin", "Origin office"),
    ("field.country", "Country"),
    ("field.gi_type", "GI type"),
    ("field.product_class", "Product class"),
    ("field.status", "Status"),
    ("field.names", "Names"),
    ("field.name", "Name"),
    ("field.script", "Script"),
    ("field.kind", "Kind"),
    ("field.language", "Language"),
    ("field.home_status", "Status at home"),
    ("field.territories", "Territories protected"),
    ("field.file_number", "File number"),
    ("field.registration_number", "Registration number"),
    ("field.filed_on", "Filed on"),
    ("field.registered_on", "Registered on"),
    ("field.product_type", "Product type"),
    ("field.area", "Area"),
    ("field.area_description", "Description of the area"),
    ("field.legal_instrument", "Legal instrument"),
    ("field.version", "Version"),
    ("field.date", "Date"),
    ("field.event", "Event"),
    ("field.partner", "Partner office"),
    ("field.jurisdiction", "Territory"),
    ("field.programme", "Programme"),
    ("field.since", "Since"),
    ("field.limitations", "Limitations"),
    ("field.excluded_names", "Excluded names"),
    ("field.phase_out", "Phase-out until"),
    ("field.submitted_on", "Submitted on"),
    ("field.decision_deadline", "Decision deadline"),
    ("field.gi", "GI"),
    ("field.parties", "Parties"),
    ("field.signed_on", "Signed on"),
    ("field.in_force_on", "In force on"),
    ("field.decision_period", "Decision period"),
    ("field.tacit_protection", "Protected unless refused in time"),
    (
        "field.requires_origin_registration",
        "Only GIs registered at home",
    ),
    ("field.refusal_after_deadline", "Refusal after the deadline"),
    ("field.max_phase_out", "Longest phase-out"),
    ("field.effective_on", "Effective on"),
    ("field.decision_reference", "Decision"),
    ("gi.specification", "Specification"),
    ("gi.current_specification", "Current specification"),
    ("gi.versions", "Versions"),
    ("gi.product_description", "Product"),
    ("gi.raw_materials", "Raw materials"),
    ("gi.production_method", "Production method"),
    ("gi.link_with_area", "Link with the area"),
    ("gi.labelling", "Labelling"),
    ("gi.control_body", "Control body"),
    ("gi.events", "Events"),
    ("gi.no_events", "No events yet."),
    ("gi.territories", "Protection by territory"),
    ("gi.home", "At home"),
    ("gi.as_of", "As of"),
    ("gi.as_of_submit", "Show"),
    (
        "gi.as_of_note",
        "The table shows the register as it stood on this date.",
    ),
    (
        "gi.no_territories",
        "Not submitted to any partner office on this date.",
    ),
    ("gi.no_area", "No area recorded."),
    ("gi.permalink", "Permanent link"),
    ("gi.not_yet", "not yet filed"),
    ("programme.title", "Programme"),
    ("programme.terms", "Terms"),
    ("programme.history", "Amendments of the terms"),
    ("programme.submissions", "Submissions"),
    ("programme.submitted_by", "Submitted by"),
    ("programme.none", "Nothing submitted yet."),
    ("yes", "yes"),
    ("no", "no"),
    ("none", "—"),
    ("error.not_found", "Not found"),
    (
        "error.not_found_text",
        "There is no such page in the register.",
    ),
    ("error.bad_request", "Bad request"),
    (
        "error.bad_request_text",
        "The request cannot be answered as asked:",
    ),
    ("error.unavailable", "Unavailable"),
    (
        "error.unavailable_text",
        "The register cannot answer right now; try again shortly.",
    ),
    ("error.back", "Back to the search"),
    ("event.create", "application drafted"),
    ("event.file", "filed"),
    ("event.start_examination", "examination started"),
    ("event.publish", "published"),
    ("event.register", "registered"),
    ("event.refuse", "refused"),
    ("event.withdraw", "withdrawn"),
    ("event.cancel", "cancelled"),
    ("event.opposition_filed", "opposition filed"),
    ("event.opposition_upheld", "opposition upheld"),
    ("event.opposition_rejected", "opposition rejected"),
    ("event.opposition_withdrawn", "opposition withdrawn"),
    ("event.amendment_proposed", "amendment proposed"),
    ("event.amendment_approved", "amendment approved"),
    ("event.amendment_rejected", "amendment rejected"),
    ("spec.current", "current"),
    ("spec.pending", "pending"),
    ("spec.superseded", "superseded"),
    ("spec.rejected", "rejected"),
    ("nav.desk", "Desk"),
    ("nav.sign_in", "Sign in"),
    ("login.title", "Sign in"),
    ("login.username", "Username"),
    ("login.password", "Password"),
    ("login.submit", "Sign in"),
    ("login.failed", "Wrong username or password."),
    (
        "login.too_many",
        "Too many failed attempts; try again later.",
    ),
    (
        "login.expired",
        "The form has expired; please submit it again.",
    ),
    ("login.missing", "Enter your username and password."),
    ("desk.title", "Desk"),
    ("desk.signed_in_as", "Signed in as"),
    ("desk.sign_out", "Sign out"),
    ("desk.worklist", "Work list, by deadline"),
    ("desk.empty", "Nothing awaits your office."),
    ("desk.overdue", "overdue"),
    ("desk.deadline", "Deadline"),
    ("desk.what", "Task"),
    ("desk.next_step", "Next step"),
    (
        "desk.forbidden",
        "The work list is for examiners and administrators of an office.",
    ),
    ("error.forbidden", "Not allowed"),
    ("work.examine_application", "examine an application"),
    ("work.decide_application", "decide an application"),
    ("work.decide_recognition", "decide a recognition"),
    ("work.decide_opposition", "decide an opposition"),
    ("work.decide_amendment", "decide an amendment"),
    ("work.decision_received", "a partner's decision"),
    ("step.start_examination", "start the examination"),
    ("step.publish_or_refuse", "publish or refuse"),
    (
        "step.await_opposition_deadline",
        "wait for the opposition deadline",
    ),
    ("step.register_or_refuse", "register or refuse"),
    ("step.protect_or_refuse", "protect or refuse"),
    ("step.tacit_protection", "protected unless refused in time"),
    ("step.decide_opposition", "decide the opposition"),
    ("step.decide_amendment", "decide the amendment"),
    ("step.consider_remedies", "consider the remedies"),
    ("step.note_decision", "note the decision"),
    ("status.pending", "pending"),
    ("desk.recognition", "Recognition"),
    ("desk.actions", "Actions"),
    (
        "desk.no_actions",
        "No action on this recognition is open to you.",
    ),
    ("desk.open", "Open"),
    ("action.start_examination", "Start the examination"),
    ("action.publish", "Publish"),
    ("action.protect", "Protect"),
    ("action.refuse", "Refuse"),
    ("action.withdraw_refusal", "Withdraw the refusal"),
    ("action.invalidate", "Invalidate"),
    ("action.appeal", "Appeal"),
    ("action.appeal_allowed", "Allow the appeal"),
    ("action.appeal_dismissed", "Dismiss the appeal"),
    ("action.withdraw", "Withdraw"),
    ("field.publication_reference", "Publication reference"),
    ("field.grounds", "Grounds"),
    ("field.remedies", "Remedies"),
    ("field.remedy_deadline", "Remedy deadline"),
    ("field.deciding_authority", "Deciding authority"),
    ("status.draft", "draft"),
    ("status.filed", "filed"),
    ("status.under_examination", "under examination"),
    ("status.published", "published"),
    ("status.registered", "registered"),
    ("status.refused", "refused"),
    ("status.under_appeal", "under appeal"),
    ("status.withdrawn", "withdrawn"),
    ("status.cancelled", "cancelled"),
    ("status.submitted", "submitted"),
    ("status.protected", "protected"),
    ("status.invalidated", "invalidated"),
    ("status.cancelled_at_origin", "cancelled at origin"),
    ("gi_type.pdo", "Protected designation of origin"),
    ("gi_type.pgi", "Protected geographical indication"),
    ("gi_type.gi", "Geographical indication"),
    ("gi_type.ao", "Appellation of origin"),
    ("gi_type.collective_mark", "Collective mark"),
    ("gi_type.certification_mark", "Certification mark"),
    ("gi_type.tsg", "Traditional speciality guaranteed"),
    ("product_type.food", "food"),
    ("product_type.wine", "wine"),
    ("product_type.spirit", "spirit"),
    ("product_type.aromatised_wine", "aromatised wine"),
    ("product_type.handicraft", "handicraft"),
    ("product_type.other", "other"),
    ("kind.original", "original"),
    ("kind.transliteration", "transliteration"),
    ("kind.translation", "translation"),
    ("kind.synonym", "synonym"),
    ("field.opposition_deadline", "Opposition deadline"),
    ("gi.public_page", "Public page"),
    ("desk.no_gi_actions", "No action on this GI is open to you."),
    ("desk.conflicts", "Name conflicts reported at filing"),
    ("desk.no_conflicts", "None reported."),
    ("desk.conflict_kind", "Conflicts with"),
    ("desk.score", "Score"),
    ("desk.acknowledge", "Already protected under the same name: acknowledge each as a homonym, and say in the grounds what distinguishes this GI"),
    ("conflict_kind.gi", "a GI"),
    ("conflict_kind.trademark", "an earlier trademark"),
    ("conflict_kind.generic_term", "a generic term"),
    ("status.generic", "generic"),
    ("action.file", "File"),
    ("action.register", "Register"),
    ("action.cancel", "Cancel"),
    ("field.romanization", "Romanization"),
    ("desk.create_draft", "Save the draft"),
    ("desk.own_gis", "Your GIs and drafts"),
    ("desk.no_gis", "No GI or draft yet."),
    ("desk.new_draft", "Draft a new application"),
    ("desk.audit_chain", "Audit chain"),
    ("desk.entries", "Entries"),
    ("desk.head_hash", "Hash of the last entry"),
    ("desk.first_broken", "First broken entry"),
    ("desk.export", "Export the recognitions"),
    ("desk.export_programme", "Programme code"),
    ("desk.export_partner", "Partner office code"),
    ("desk.export_origin", "Origin office code"),
    ("desk.format", "Format"),
    ("desk.export_submit", "Issue the export"),
    ("desk.export_done", "Export issued"),
    ("desk.export_id", "Export number"),
    ("desk.rows", "Rows"),
    ("desk.signature", "Signature (Ed25519)"),
    ("desk.key_id", "Key id"),
    ("desk.download", "Download the file"),
    ("admin.offices", "Offices"),
    ("admin.code", "Code"),
    ("admin.associations", "Associations"),
    ("admin.new_association", "New association"),
    ("admin.users", "Users"),
    ("admin.active", "Active"),
    ("admin.new_user", "New user"),
    ("admin.create_association", "Create the association"),
    ("admin.create_user", "Create the user"),
    ("admin.name", "Name"),
    ("admin.office", "Office code"),
    ("admin.contact_email", "Contact e-mail"),
    ("admin.contact_phone", "Contact telephone"),
    ("admin.address", "Address"),
    ("admin.username", "Username"),
    ("admin.display_name", "Display name"),
    ("admin.password", "Password"),
    ("admin.role", "Role"),
    ("admin.association_id", "Association number"),
    ("desk.edit_draft", "Edit the draft"),
    ("desk.save_draft", "Save the changes"),
];

const ZH: Table = &[
    ("site.name", "Terroir"),
    ("site.tagline", "地理标志及其保护地域"),
    ("nav.search", "检索"),
    ("nav.api", "API"),
    ("nav.language", "语言"),
    ("search.title", "检索登记簿"),
    ("search.q", "名称（任何文字）"),
    (
        "search.q_hint",
        "中文、泰文或拉丁字母；亦可用拼音或皇家泰语转写",
    ),
    ("search.submit", "检索"),
    ("search.filters", "筛选"),
    ("search.any", "不限"),
    ("search.results", "结果"),
    ("search.none", "没有符合条件的地理标志。"),
    ("search.more", "结果还有更多；请缩小检索范围。"),
    ("field.origin", "原属国主管局"),
    ("field.country", "国家"),
    ("field.gi_type", "地理标志类型"),
    ("field.product_class", "产品类别"),
    ("field.status", "状态"),
    ("field.names", "名称"),
    ("field.name", "名称"),
    ("field.script", "文字"),
    ("field.kind", "类别"),
    ("field.language", "语言"),
    ("field.home_status", "原属国状态"),
    ("field.territories", "受保护地域数"),
    ("field.file_number", "申请号"),
    ("field.registration_number", "注册号"),
    ("field.filed_on", "申请日"),
    ("field.registered_on", "注册日"),
    ("field.product_type", "产品种类"),
    ("field.area", "地理区域"),
    ("field.area_description", "区域描述"),
    ("field.legal_instrument", "法律文件"),
    ("field.version", "版本"),
    ("field.date", "日期"),
    ("field.event", "事件"),
    ("field.partner", "伙伴主管局"),
    ("field.jurisdiction", "地域"),
    ("field.programme", "互认项目"),
    ("field.since", "起始日"),
    ("field.limitations", "限制"),
    ("field.excluded_names", "排除的名称"),
    ("field.phase_out", "过渡期至"),
    ("field.submitted_on", "提交日"),
    ("field.decision_deadline", "决定期限"),
    ("field.gi", "地理标志"),
    ("field.parties", "缔约方"),
    ("field.signed_on", "签署日"),
    ("field.in_force_on", "生效日"),
    ("field.decision_period", "决定期限"),
    ("field.tacit_protection", "期限内未驳回即予保护"),
    (
        "field.requires_origin_registration",
        "仅限已在原属国注册的地理标志",
    ),
    ("field.refusal_after_deadline", "期限届满后驳回"),
    ("field.max_phase_out", "最长过渡期"),
    ("field.effective_on", "生效日"),
    ("field.decision_reference", "决定"),
    ("gi.specification", "产品规范"),
    ("gi.current_specification", "现行产品规范"),
    ("gi.versions", "各版本"),
    ("gi.product_description", "产品"),
    ("gi.raw_materials", "原料"),
    ("gi.production_method", "生产方法"),
    ("gi.link_with_area", "与产地的关联"),
    ("gi.labelling", "标签"),
    ("gi.control_body", "检查机构"),
    ("gi.events", "事件记录"),
    ("gi.no_events", "尚无事件。"),
    ("gi.territories", "各地域保护状态"),
    ("gi.home", "原属国"),
    ("gi.as_of", "截至日期"),
    ("gi.as_of_submit", "显示"),
    ("gi.as_of_note", "下表显示登记簿在该日期的状态。"),
    ("gi.no_territories", "该日期尚未向任何伙伴主管局提交。"),
    ("gi.no_area", "未记录地理区域。"),
    ("gi.permalink", "永久链接"),
    ("gi.not_yet", "尚未申请"),
    ("programme.title", "互认项目"),
    ("programme.terms", "条款"),
    ("programme.history", "条款修订"),
    ("programme.submissions", "提交清单"),
    ("programme.submitted_by", "提交方"),
    ("programme.none", "尚无提交。"),
    ("yes", "是"),
    ("no", "否"),
    ("none", "—"),
    ("error.not_found", "未找到"),
    ("error.not_found_text", "登记簿中没有此页面。"),
    ("error.bad_request", "请求有误"),
    ("error.bad_request_text", "无法按所请求的方式答复："),
    ("error.unavailable", "暂不可用"),
    ("error.unavailable_text", "登记簿暂时无法答复，请稍后再试。"),
    ("error.back", "返回检索"),
    ("event.create", "起草申请"),
    ("event.file", "提出申请"),
    ("event.start_examination", "开始审查"),
    ("event.publish", "公告"),
    ("event.register", "注册"),
    ("event.refuse", "驳回"),
    ("event.withdraw", "撤回"),
    ("event.cancel", "撤销"),
    ("event.opposition_filed", "提出异议"),
    ("event.opposition_upheld", "异议成立"),
    ("event.opposition_rejected", "异议不成立"),
    ("event.opposition_withdrawn", "撤回异议"),
    ("event.amendment_proposed", "提出修改"),
    ("event.amendment_approved", "批准修改"),
    ("event.amendment_rejected", "驳回修改"),
    ("spec.current", "现行"),
    ("spec.pending", "待决"),
    ("spec.superseded", "已被取代"),
    ("spec.rejected", "已驳回"),
    ("nav.desk", "工作台"),
    ("nav.sign_in", "登录"),
    ("login.title", "登录"),
    ("login.username", "用户名"),
    ("login.password", "密码"),
    ("login.submit", "登录"),
    ("login.failed", "用户名或密码错误。"),
    ("login.too_many", "失败次数过多，请稍后再试。"),
    ("login.expired", "表单已过期，请重新提交。"),
    ("login.missing", "请输入用户名和密码。"),
    ("desk.title", "工作台"),
    ("desk.signed_in_as", "当前用户"),
    ("desk.sign_out", "退出"),
    ("desk.worklist", "待办事项（按期限排列）"),
    ("desk.empty", "贵局暂无待办事项。"),
    ("desk.overdue", "已逾期"),
    ("desk.deadline", "期限"),
    ("desk.what", "事项"),
    ("desk.next_step", "下一步"),
    ("desk.forbidden", "待办事项仅供主管局的审查员和管理员使用。"),
    ("error.forbidden", "不允许"),
    ("work.examine_application", "审查申请"),
    ("work.decide_application", "对申请作出决定"),
    ("work.decide_recognition", "对互认申请作出决定"),
    ("work.decide_opposition", "对异议作出决定"),
    ("work.decide_amendment", "对修改作出决定"),
    ("work.decision_received", "伙伴主管局的决定"),
    ("step.start_examination", "开始审查"),
    ("step.publish_or_refuse", "公告或驳回"),
    ("step.await_opposition_deadline", "等待异议期届满"),
    ("step.register_or_refuse", "注册或驳回"),
    ("step.protect_or_refuse", "给予保护或驳回"),
    ("step.tacit_protection", "期限内未驳回即受保护"),
    ("step.decide_opposition", "对异议作出决定"),
    ("step.decide_amendment", "对修改作出决定"),
    ("step.consider_remedies", "考虑救济途径"),
    ("step.note_decision", "知悉该决定"),
    ("status.pending", "待决"),
    ("desk.recognition", "互认申请"),
    ("desk.actions", "可采取的行动"),
    ("desk.no_actions", "您对该互认申请无可采取的行动。"),
    ("desk.open", "打开"),
    ("action.start_examination", "开始审查"),
    ("action.publish", "公告"),
    ("action.protect", "给予保护"),
    ("action.refuse", "驳回"),
    ("action.withdraw_refusal", "撤回驳回"),
    ("action.invalidate", "宣告无效"),
    ("action.appeal", "提起复审"),
    ("action.appeal_allowed", "复审成立"),
    ("action.appeal_dismissed", "驳回复审"),
    ("action.withdraw", "撤回"),
    ("field.publication_reference", "公告出处"),
    ("field.grounds", "理由"),
    ("field.remedies", "救济途径"),
    ("field.remedy_deadline", "救济期限"),
    ("field.deciding_authority", "决定机关"),
    ("status.draft", "草稿"),
    ("status.filed", "已申请"),
    ("status.under_examination", "审查中"),
    ("status.published", "已公告"),
    ("status.registered", "已注册"),
    ("status.refused", "已驳回"),
    ("status.under_appeal", "复审中"),
    ("status.withdrawn", "已撤回"),
    ("status.cancelled", "已撤销"),
    ("status.submitted", "已提交"),
    ("status.protected", "受保护"),
    ("status.invalidated", "已宣告无效"),
    ("status.cancelled_at_origin", "原属国已撤销"),
    ("gi_type.pdo", "受保护的原产地名称"),
    ("gi_type.pgi", "受保护的地理标志"),
    ("gi_type.gi", "地理标志"),
    ("gi_type.ao", "原产地名称"),
    ("gi_type.collective_mark", "集体商标"),
    ("gi_type.certification_mark", "证明商标"),
    ("gi_type.tsg", "传统特产保证"),
    ("product_type.food", "食品"),
    ("product_type.wine", "葡萄酒"),
    ("product_type.spirit", "烈酒"),
    ("product_type.aromatised_wine", "加香葡萄酒"),
    ("product_type.handicraft", "手工艺品"),
    ("product_type.other", "其他"),
    ("kind.original", "原名"),
    ("kind.transliteration", "音译"),
    ("kind.translation", "意译"),
    ("kind.synonym", "别名"),
    ("field.opposition_deadline", "异议期限"),
    ("gi.public_page", "公开页面"),
    ("desk.no_gi_actions", "您无权对此地理标志采取任何行动。"),
    ("desk.conflicts", "申请时报告的名称冲突"),
    ("desk.no_conflicts", "未报告任何冲突。"),
    ("desk.conflict_kind", "冲突对象"),
    ("desk.score", "相似度"),
    (
        "desk.acknowledge",
        "已有同名地理标志受保护：请逐一确认为同名，并在理由中说明本地理标志的区别",
    ),
    ("conflict_kind.gi", "地理标志"),
    ("conflict_kind.trademark", "在先商标"),
    ("conflict_kind.generic_term", "通用名称"),
    ("status.generic", "通用"),
    ("action.file", "提交申请"),
    ("action.register", "注册"),
    ("action.cancel", "撤销"),
    ("field.romanization", "罗马化方案"),
    ("desk.create_draft", "保存草稿"),
    ("desk.own_gis", "本协会的地理标志及草稿"),
    ("desk.no_gis", "尚无地理标志或草稿。"),
    ("desk.new_draft", "起草新申请"),
    ("desk.audit_chain", "审计链"),
    ("desk.entries", "条目数"),
    ("desk.head_hash", "最新条目的哈希值"),
    ("desk.first_broken", "首个损坏的条目"),
    ("desk.export", "导出互认记录"),
    ("desk.export_programme", "互认项目代码"),
    ("desk.export_partner", "伙伴主管局代码"),
    ("desk.export_origin", "原属国主管局代码"),
    ("desk.format", "格式"),
    ("desk.export_submit", "生成导出文件"),
    ("desk.export_done", "导出文件已生成"),
    ("desk.export_id", "导出编号"),
    ("desk.rows", "行数"),
    ("desk.signature", "签名（Ed25519）"),
    ("desk.key_id", "密钥标识"),
    ("desk.download", "下载文件"),
    ("admin.offices", "主管局"),
    ("admin.code", "代码"),
    ("admin.associations", "协会"),
    ("admin.new_association", "新建协会"),
    ("admin.users", "用户"),
    ("admin.active", "有效"),
    ("admin.new_user", "新建用户"),
    ("admin.create_association", "创建协会"),
    ("admin.create_user", "创建用户"),
    ("admin.name", "名称"),
    ("admin.office", "主管局代码"),
    ("admin.contact_email", "联系邮箱"),
    ("admin.contact_phone", "联系电话"),
    ("admin.address", "地址"),
    ("admin.username", "用户名"),
    ("admin.display_name", "显示名称"),
    ("admin.password", "密码"),
    ("admin.role", "角色"),
    ("admin.association_id", "协会编号"),
    ("desk.edit_draft", "编辑草稿"),
    ("desk.save_draft", "保存修改"),
];

const TH: Table = &[
    ("site.name", "Terroir"),
    ("site.tagline", "สิ่งบ่งชี้ทางภูมิศาสตร์และดินแดนที่ได้รับความคุ้มครอง"),
    ("nav.search", "ค้นหา"),
    ("nav.api", "API"),
    ("nav.language", "ภาษา"),
    ("search.title", "ค้นหาในทะเบียน"),
    ("search.q", "ชื่อ (อักษรใดก็ได้)"),
    (
        "search.q_hint",
        "อักษรจีน ไทย หรือละติน; ใช้พินอินหรือการถอดอักษรแบบราชบัณฑิตยสถานได้",
    ),
    ("search.submit", "ค้นหา"),
    ("search.filters", "ตัวกรอง"),
    ("search.any", "ทั้งหมด"),
    ("search.results", "ผลการค้นหา"),
    ("search.none", "ไม่พบสิ่งบ่งชี้ทางภูมิศาสตร์ที่ตรงกัน"),
    ("search.more", "ยังมีผลลัพธ์อีก โปรดระบุการค้นหาให้แคบลง"),
    ("field.origin", "สำนักงานประเทศแหล่งกำเนิด"),
    ("field.country", "ประเทศ"),
    ("field.gi_type", "ประเภทสิ่งบ่งชี้"),
    ("field.product_class", "หมวดสินค้า"),
    ("field.status", "สถานะ"),
    ("field.names", "ชื่อ"),
    ("field.name", "ชื่อ"),
    ("field.script", "อักษร"),
    ("field.kind", "ชนิด"),
    ("field.language", "ภาษา"),
    ("field.home_status", "สถานะในประเทศแหล่งกำเนิด"),
    ("field.territories", "จำนวนดินแดนที่คุ้มครอง"),
    ("field.file_number", "เลขที่คำขอ"),
    ("field.registration_number", "เลขทะเบียน"),
    ("field.filed_on", "วันยื่นคำขอ"),
    ("field.registered_on", "วันจดทะเบียน"),
    ("field.product_type", "ชนิดสินค้า"),
    ("field.area", "พื้นที่"),
    ("field.area_description", "คำอธิบายพื้นที่"),
    ("field.legal_instrument", "ตราสารทางกฎหมาย"),
    ("field.version", "ฉบับ"),
    ("field.date", "วันที่"),
    ("field.event", "เหตุการณ์"),
    ("field.partner", "สำนักงานคู่ภาคี"),
    ("field.jurisdiction", "ดินแดน"),
    ("field.programme", "โครงการ"),
    ("field.since", "ตั้งแต่"),
    ("field.limitations", "ข้อจำกัด"),
    ("field.excluded_names", "ชื่อที่ไม่รวม"),
    ("field.phase_out", "ระยะผ่อนผันถึง"),
    ("field.submitted_on", "วันที่ยื่น"),
    ("field.decision_deadline", "กำหนดวันตัดสิน"),
    ("field.gi", "สิ่งบ่งชี้ทางภูมิศาสตร์"),
    ("field.parties", "ภาคี"),
    ("field.signed_on", "วันลงนาม"),
    ("field.in_force_on", "วันมีผลใช้บังคับ"),
    ("field.decision_period", "ระยะเวลาตัดสิน"),
    ("field.tacit_protection", "คุ้มครองหากไม่ปฏิเสธภายในกำหนด"),
    (
        "field.requires_origin_registration",
        "เฉพาะที่จดทะเบียนในประเทศแหล่งกำเนิดแล้ว",
    ),
    ("field.refusal_after_deadline", "ปฏิเสธหลังครบกำหนด"),
    ("field.max_phase_out", "ระยะผ่อนผันสูงสุด"),
    ("field.effective_on", "มีผลวันที่"),
    ("field.decision_reference", "มติ"),
    ("gi.specification", "ข้อกำหนด"),
    ("gi.current_specification", "ข้อกำหนดฉบับปัจจุบัน"),
    ("gi.versions", "ฉบับต่าง ๆ"),
    ("gi.product_description", "สินค้า"),
    ("gi.raw_materials", "วัตถุดิบ"),
    ("gi.production_method", "วิธีการผลิต"),
    ("gi.link_with_area", "ความเชื่อมโยงกับพื้นที่"),
    ("gi.labelling", "การติดฉลาก"),
    ("gi.control_body", "หน่วยตรวจสอบ"),
    ("gi.events", "เหตุการณ์"),
    ("gi.no_events", "ยังไม่มีเหตุการณ์"),
    ("gi.territories", "ความคุ้มครองรายดินแดน"),
    ("gi.home", "ประเทศแหล่งกำเนิด"),
    ("gi.as_of", "ณ วันที่"),
    ("gi.as_of_submit", "แสดง"),
    ("gi.as_of_note", "ตารางแสดงทะเบียนตามที่เป็นอยู่ ณ วันที่นี้"),
    ("gi.no_territories", "ยังไม่ได้ยื่นต่อสำนักงานคู่ภาคีใด ณ วันที่นี้"),
    ("gi.no_area", "ไม่มีข้อมูลพื้นที่"),
    ("gi.permalink", "ลิงก์ถาวร"),
    ("gi.not_yet", "ยังไม่ได้ยื่นคำขอ"),
    ("programme.title", "โครงการ"),
    ("programme.terms", "เงื่อนไข"),
    ("programme.history", "การแก้ไขเงื่อนไข"),
    ("programme.submissions", "รายการที่ยื่น"),
    ("programme.submitted_by", "ผู้ยื่น"),
    ("programme.none", "ยังไม่มีการยื่น"),
    ("yes", "ใช่"),
    ("no", "ไม่"),
    ("none", "—"),
    ("error.not_found", "ไม่พบ"),
    ("error.not_found_text", "ไม่มีหน้านี้ในทะเบียน"),
    ("error.bad_request", "คำขอไม่ถูกต้อง"),
    ("error.bad_request_text", "ไม่สามารถตอบตามที่ขอได้:"),
    ("error.unavailable", "ไม่พร้อมให้บริการ"),
    (
        "error.unavailable_text",
        "ทะเบียนยังตอบไม่ได้ในขณะนี้ โปรดลองอีกครั้งในภายหลัง",
    ),
    ("error.back", "กลับไปหน้าค้นหา"),
    ("event.create", "ร่างคำขอ"),
    ("event.file", "ยื่นคำขอ"),
    ("event.start_examination", "เริ่มตรวจสอบ"),
    ("event.publish", "ประกาศโฆษณา"),
    ("event.register", "จดทะเบียน"),
    ("event.refuse", "ปฏิเสธ"),
    ("event.withdraw", "ถอน"),
    ("event.cancel", "เพิกถอน"),
    ("event.opposition_filed", "ยื่นคำคัดค้าน"),
    ("event.opposition_upheld", "คำคัดค้านฟังขึ้น"),
    ("event.opposition_rejected", "คำคัดค้านฟังไม่ขึ้น"),
    ("event.opposition_withdrawn", "ถอนคำคัดค้าน"),
    ("event.amendment_proposed", "เสนอแก้ไข"),
    ("event.amendment_approved", "อนุมัติการแก้ไข"),
    ("event.amendment_rejected", "ปฏิเสธการแก้ไข"),
    ("spec.current", "ฉบับปัจจุบัน"),
    ("spec.pending", "รอพิจารณา"),
    ("spec.superseded", "ถูกแทนที่แล้ว"),
    ("spec.rejected", "ถูกปฏิเสธ"),
    ("nav.desk", "โต๊ะงาน"),
    ("nav.sign_in", "เข้าสู่ระบบ"),
    ("login.title", "เข้าสู่ระบบ"),
    ("login.username", "ชื่อผู้ใช้"),
    ("login.password", "รหัสผ่าน"),
    ("login.submit", "เข้าสู่ระบบ"),
    ("login.failed", "ชื่อผู้ใช้หรือรหัสผ่านไม่ถูกต้อง"),
    ("login.too_many", "พยายามผิดหลายครั้งเกินไป โปรดลองใหม่ภายหลัง"),
    ("login.expired", "แบบฟอร์มหมดอายุ โปรดส่งอีกครั้ง"),
    ("login.missing", "โปรดกรอกชื่อผู้ใช้และรหัสผ่าน"),
    ("desk.title", "โต๊ะงาน"),
    ("desk.signed_in_as", "เข้าสู่ระบบในชื่อ"),
    ("desk.sign_out", "ออกจากระบบ"),
    ("desk.worklist", "รายการงาน เรียงตามกำหนดเวลา"),
    ("desk.empty", "ไม่มีงานค้างสำหรับสำนักงานของคุณ"),
    ("desk.overdue", "เกินกำหนด"),
    ("desk.deadline", "กำหนดเวลา"),
    ("desk.what", "งาน"),
    ("desk.next_step", "ขั้นตอนถัดไป"),
    (
        "desk.forbidden",
        "รายการงานมีไว้สำหรับผู้ตรวจสอบและผู้ดูแลของสำนักงาน",
    ),
    ("error.forbidden", "ไม่อนุญาต"),
    ("work.examine_application", "ตรวจสอบคำขอ"),
    ("work.decide_application", "ตัดสินคำขอ"),
    ("work.decide_recognition", "ตัดสินคำขอรับรอง"),
    ("work.decide_opposition", "ตัดสินคำคัดค้าน"),
    ("work.decide_amendment", "ตัดสินการแก้ไข"),
    ("work.decision_received", "คำตัดสินของสำนักงานคู่ภาคี"),
    ("step.start_examination", "เริ่มการตรวจสอบ"),
    ("step.publish_or_refuse", "ประกาศโฆษณาหรือปฏิเสธ"),
    ("step.await_opposition_deadline", "รอครบกำหนดคัดค้าน"),
    ("step.register_or_refuse", "จดทะเบียนหรือปฏิเสธ"),
    ("step.protect_or_refuse", "ให้ความคุ้มครองหรือปฏิเสธ"),
    (
        "step.tacit_protection",
        "ได้รับความคุ้มครองหากไม่ปฏิเสธภายในกำหนด",
    ),
    ("step.decide_opposition", "ตัดสินคำคัดค้าน"),
    ("step.decide_amendment", "ตัดสินการแก้ไข"),
    ("step.consider_remedies", "พิจารณาช่องทางเยียวยา"),
    ("step.note_decision", "รับทราบคำตัดสิน"),
    ("status.pending", "รอพิจารณา"),
    ("desk.recognition", "คำขอรับรอง"),
    ("desk.actions", "การดำเนินการ"),
    ("desk.no_actions", "คุณไม่มีการดำเนินการที่ทำได้กับคำขอรับรองนี้"),
    ("desk.open", "เปิด"),
    ("action.start_examination", "เริ่มการตรวจสอบ"),
    ("action.publish", "ประกาศโฆษณา"),
    ("action.protect", "ให้ความคุ้มครอง"),
    ("action.refuse", "ปฏิเสธ"),
    ("action.withdraw_refusal", "ถอนการปฏิเสธ"),
    ("action.invalidate", "เพิกถอนความคุ้มครอง"),
    ("action.appeal", "อุทธรณ์"),
    ("action.appeal_allowed", "อุทธรณ์ฟังขึ้น"),
    ("action.appeal_dismissed", "ยกอุทธรณ์"),
    ("action.withdraw", "ถอน"),
    ("field.publication_reference", "แหล่งอ้างอิงการประกาศ"),
    ("field.grounds", "เหตุผล"),
    ("field.remedies", "ช่องทางเยียวยา"),
    ("field.remedy_deadline", "กำหนดเวลาเยียวยา"),
    ("field.deciding_authority", "หน่วยงานผู้ตัดสิน"),
    ("status.draft", "ร่าง"),
    ("status.filed", "ยื่นคำขอแล้ว"),
    ("status.under_examination", "อยู่ระหว่างตรวจสอบ"),
    ("status.published", "ประกาศโฆษณาแล้ว"),
    ("status.registered", "จดทะเบียนแล้ว"),
    ("status.refused", "ถูกปฏิเสธ"),
    ("status.under_appeal", "อยู่ระหว่างอุทธรณ์"),
    ("status.withdrawn", "ถอนแล้ว"),
    ("status.cancelled", "ถูกเพิกถอน"),
    ("status.submitted", "ยื่นแล้ว"),
    ("status.protected", "ได้รับความคุ้มครอง"),
    ("status.invalidated", "ถูกเพิกถอนความคุ้มครอง"),
    ("status.cancelled_at_origin", "ถูกเพิกถอนในประเทศแหล่งกำเนิด"),
    ("gi_type.pdo", "ชื่อแหล่งกำเนิดที่ได้รับความคุ้มครอง"),
    ("gi_type.pgi", "สิ่งบ่งชี้ทางภูมิศาสตร์ที่ได้รับความคุ้มครอง"),
    ("gi_type.gi", "สิ่งบ่งชี้ทางภูมิศาสตร์"),
    ("gi_type.ao", "ชื่อแหล่งกำเนิด"),
    ("gi_type.collective_mark", "เครื่องหมายร่วม"),
    ("gi_type.certification_mark", "เครื่องหมายรับรอง"),
    ("gi_type.tsg", "ผลิตภัณฑ์พิเศษตามประเพณี"),
    ("product_type.food", "อาหาร"),
    ("product_type.wine", "ไวน์"),
    ("product_type.spirit", "สุรา"),
    ("product_type.aromatised_wine", "ไวน์ปรุงกลิ่น"),
    ("product_type.handicraft", "หัตถกรรม"),
    ("product_type.other", "อื่น ๆ"),
    ("kind.original", "ชื่อดั้งเดิม"),
    ("kind.transliteration", "ถอดอักษร"),
    ("kind.translation", "คำแปล"),
    ("kind.synonym", "ชื่อพ้อง"),
    ("field.opposition_deadline", "กำหนดเวลาคัดค้าน"),
    ("gi.public_page", "หน้าสาธารณะ"),
    (
        "desk.no_gi_actions",
        "ไม่มีการดำเนินการใดกับสิ่งบ่งชี้ทางภูมิศาสตร์นี้ที่ท่านทำได้",
    ),
    ("desk.conflicts", "ความขัดแย้งของชื่อที่รายงานเมื่อยื่นคำขอ"),
    ("desk.no_conflicts", "ไม่มีรายงาน"),
    ("desk.conflict_kind", "ขัดแย้งกับ"),
    ("desk.score", "คะแนน"),
    (
        "desk.acknowledge",
        "มีสิ่งบ่งชี้ทางภูมิศาสตร์ชื่อเดียวกันได้รับความคุ้มครองแล้ว: ยืนยันแต่ละรายการว่าเป็นชื่อพ้อง และระบุเหตุผลที่แตกต่าง",
    ),
    ("conflict_kind.gi", "สิ่งบ่งชี้ทางภูมิศาสตร์"),
    ("conflict_kind.trademark", "เครื่องหมายการค้าที่มีมาก่อน"),
    ("conflict_kind.generic_term", "คำสามัญ"),
    ("status.generic", "สามัญ"),
    ("action.file", "ยื่นคำขอ"),
    ("action.register", "จดทะเบียน"),
    ("action.cancel", "เพิกถอน"),
    ("field.romanization", "ระบบการถอดเป็นอักษรโรมัน"),
    ("desk.create_draft", "บันทึกร่าง"),
    ("desk.own_gis", "สิ่งบ่งชี้ทางภูมิศาสตร์และร่างคำขอของท่าน"),
    ("desk.no_gis", "ยังไม่มีสิ่งบ่งชี้ทางภูมิศาสตร์หรือร่างคำขอ"),
    ("desk.new_draft", "ร่างคำขอใหม่"),
    ("desk.audit_chain", "ห่วงโซ่บันทึกการตรวจสอบ"),
    ("desk.entries", "จำนวนรายการ"),
    ("desk.head_hash", "ค่าแฮชของรายการล่าสุด"),
    ("desk.first_broken", "รายการแรกที่เสียหาย"),
    ("desk.export", "ส่งออกรายการการยอมรับ"),
    ("desk.export_programme", "รหัสโครงการ"),
    ("desk.export_partner", "รหัสสำนักงานคู่ภาคี"),
    ("desk.export_origin", "รหัสสำนักงานประเทศแหล่งกำเนิด"),
    ("desk.format", "รูปแบบ"),
    ("desk.export_submit", "ออกไฟล์ส่งออก"),
    ("desk.export_done", "ออกไฟล์ส่งออกแล้ว"),
    ("desk.export_id", "หมายเลขการส่งออก"),
    ("desk.rows", "จำนวนแถว"),
    ("desk.signature", "ลายมือชื่อ (Ed25519)"),
    ("desk.key_id", "รหัสกุญแจ"),
    ("desk.download", "ดาวน์โหลดไฟล์"),
    ("admin.offices", "สำนักงาน"),
    ("admin.code", "รหัส"),
    ("admin.associations", "สมาคม"),
    ("admin.new_association", "สมาคมใหม่"),
    ("admin.users", "ผู้ใช้"),
    ("admin.active", "ใช้งานอยู่"),
    ("admin.new_user", "ผู้ใช้ใหม่"),
    ("admin.create_association", "สร้างสมาคม"),
    ("admin.create_user", "สร้างผู้ใช้"),
    ("admin.name", "ชื่อ"),
    ("admin.office", "รหัสสำนักงาน"),
    ("admin.contact_email", "อีเมลติดต่อ"),
    ("admin.contact_phone", "โทรศัพท์ติดต่อ"),
    ("admin.address", "ที่อยู่"),
    ("admin.username", "ชื่อผู้ใช้"),
    ("admin.display_name", "ชื่อที่แสดง"),
    ("admin.password", "รหัสผ่าน"),
    ("admin.role", "บทบาท"),
    ("admin.association_id", "หมายเลขสมาคม"),
    ("desk.edit_draft", "แก้ไขร่าง"),
    ("desk.save_draft", "บันทึกการแก้ไข"),
];

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::domain::gi::{GiType, NameKind, ProductType};
    use crate::domain::gi_status::{GiAction, GiStatus};
    use crate::domain::recognition_status::{RecognitionAction, RecognitionStatus};

    fn keys(table: Table) -> BTreeSet<&'static str> {
        let keys: BTreeSet<_> = table.iter().map(|(k, _)| *k).collect();
        assert_eq!(keys.len(), table.len(), "a key is listed twice");
        keys
    }

    #[test]
    fn every_key_is_in_all_three_languages() {
        let en = keys(EN);
        for (lang, table) in [(Lang::Zh, ZH), (Lang::Th, TH)] {
            let other = keys(table);
            let missing: Vec<_> = en.difference(&other).collect();
            let extra: Vec<_> = other.difference(&en).collect();
            assert!(missing.is_empty(), "{lang:?} lacks {missing:?}");
            assert!(
                extra.is_empty(),
                "{lang:?} has keys English lacks: {extra:?}"
            );
        }
        for table in [EN, ZH, TH] {
            assert!(table.iter().all(|(_, v)| !v.trim().is_empty()));
        }
    }

    #[test]
    fn every_value_of_the_closed_lists_has_a_label() {
        let en = keys(EN);
        let lists: [(&str, &[&str]); 7] = [
            ("action", RecognitionAction::NAMES),
            ("action", GiAction::NAMES),
            ("status", GiStatus::NAMES),
            ("status", RecognitionStatus::NAMES),
            ("gi_type", GiType::NAMES),
            ("product_type", ProductType::NAMES),
            ("kind", NameKind::NAMES),
        ];
        for (prefix, names) in lists {
            for name in names {
                let key = format!("{prefix}.{name}");
                assert!(en.contains(key.as_str()), "no label for {key}");
            }
        }
    }

    #[test]
    fn every_key_the_pages_use_exists() {
        let en = keys(EN);
        let sources = [
            include_str!("layout.rs"),
            include_str!("search_page.rs"),
            include_str!("gi_page.rs"),
            include_str!("programme_page.rs"),
            include_str!("error_page.rs"),
            include_str!("login_page.rs"),
            include_str!("desk_page.rs"),
            include_str!("recognition_desk.rs"),
            include_str!("action_form.rs"),
            include_str!("gi_desk.rs"),
            include_str!("draft_form.rs"),
            include_str!("association_desk.rs"),
            include_str!("auditor_desk.rs"),
            include_str!("admin_desk.rs"),
        ];
        let mut used = 0;
        for source in sources {
            for piece in source.split(".t(\"").skip(1) {
                let key = piece.split('"').next().unwrap();
                assert!(en.contains(key), "the pages use {key}, which has no label");
                used += 1;
            }
        }
        assert!(used > 30, "the scan found the pages' keys ({used})");
    }

    #[test]
    fn labels_differ_by_language() {
        assert_eq!(Lang::En.t("nav.search"), "Search");
        assert_eq!(Lang::Zh.t("nav.search"), "检索");
        assert_eq!(Lang::Th.t("nav.search"), "ค้นหา");
        assert_eq!(Lang::Zh.value("status", "protected"), "受保护");
        assert_eq!(Lang::Th.value("status", "something_new"), "something_new");
    }

    #[test]
    fn accept_language_picks_the_best_of_ours() {
        assert_eq!(
            Lang::of_accept_language("th-TH,th;q=0.9,en;q=0.8"),
            Some(Lang::Th)
        );
        assert_eq!(
            Lang::of_accept_language("fr, zh-CN;q=0.7, en;q=0.5"),
            Some(Lang::Zh)
        );
        assert_eq!(
            Lang::of_accept_language("en;q=0.2, th;q=0.6"),
            Some(Lang::Th)
        );
        assert_eq!(Lang::of_accept_language("zh;q=0, en;q=0.1"), Some(Lang::En));
        assert_eq!(Lang::of_accept_language("fr, de"), None);
        assert_eq!(Lang::of_accept_language(""), None);
    }
}
