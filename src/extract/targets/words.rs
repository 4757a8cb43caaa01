//! The words target extraction reads: markers of results and rules,
//! comparators, verbs of delivery, units. Edit here to teach it a new form;
//! targets are stored in the index, so bump `schema::SCHEMA_VERSION` with any
//! change that alters what is extracted, and run `examples/eval_targets` on
//! every annotated file before and after.

use super::{Bound, Kind};
use crate::extract::DocType;

/// Documents that promise nothing: they set rules or report results.
pub(super) const NO_TARGET_TYPES: &[DocType] = &[DocType::Regulation, DocType::StatisticalBulletin];

/// A heading with one of these introduces a review of results.
pub(super) const REVIEW_HEADINGS: &[&str] = &[
    "回顾",
    "成效",
    "成就",
    "成绩",
    "主要做法",
    "基本情况",
    "工作总结",
    "进展情况",
];

/// A sentence with one of these reports results or sets rules (fines, entry
/// standards, what is granted: 对…给予…奖励).
pub(super) const SENTENCE_MARKERS: &[&str] = &[
    "同比",
    "比上年",
    "较上年",
    "比去年",
    "较去年",
    "上年",
    "去年",
    "以来",
    "过去",
    "年来",
    "上半年",
    "前三季度",
    "罚款",
    "准入关",
    "准入标准",
    "准入门槛",
    "给予",
];

/// A clause with one of these before its value says what exists, or sets a
/// reward, a subsidy rate, a fine or a cap.
pub(super) const CLAUSE_MARKERS: &[&str] = &[
    "已",
    "现有",
    "共有",
    "实有",
    "截至",
    "年末",
    "罚",
    "奖励",
    "奖补",
    "资助",
    "最高",
    "补贴标准",
    "补助标准",
];

/// Comparators that may stand right before a value, longest first within a
/// family, with the bound and kind they give.
pub(super) const COMPARATORS: &[(&str, Bound, Kind)] = &[
    ("≥", Bound::AtLeast, Kind::Level),
    (">=", Bound::AtLeast, Kind::Level),
    (">", Bound::AtLeast, Kind::Level),
    ("≤", Bound::AtMost, Kind::Level),
    ("<=", Bound::AtMost, Kind::Level),
    ("<", Bound::AtMost, Kind::Level),
    ("至少在", Bound::AtLeast, Kind::Level),
    ("至少", Bound::AtLeast, Kind::Level),
    ("扩大到", Bound::Exact, Kind::Level),
    ("扩大至", Bound::Exact, Kind::Level),
    ("不低于", Bound::AtLeast, Kind::Level),
    ("不少于", Bound::AtLeast, Kind::Level),
    ("不超过", Bound::AtMost, Kind::Level),
    ("不高于", Bound::AtMost, Kind::Level),
    ("提高到", Bound::Exact, Kind::Level),
    ("提高至", Bound::Exact, Kind::Level),
    ("提升到", Bound::Exact, Kind::Level),
    ("提升至", Bound::Exact, Kind::Level),
    ("增加到", Bound::Exact, Kind::Level),
    ("增加至", Bound::Exact, Kind::Level),
    ("降低到", Bound::Exact, Kind::Level),
    ("降低至", Bound::Exact, Kind::Level),
    ("下降到", Bound::Exact, Kind::Level),
    ("下降至", Bound::Exact, Kind::Level),
    ("压缩到", Bound::Exact, Kind::Level),
    ("压缩至", Bound::Exact, Kind::Level),
    ("缩短到", Bound::Exact, Kind::Level),
    ("缩短至", Bound::Exact, Kind::Level),
    ("降至", Bound::Exact, Kind::Level),
    ("稳定在", Bound::Exact, Kind::Level),
    ("保持在", Bound::Exact, Kind::Level),
    ("控制在", Bound::AtMost, Kind::Level),
    ("占到", Bound::Exact, Kind::Level),
    ("达到", Bound::Exact, Kind::Level),
    ("超过", Bound::AtLeast, Kind::Level),
    ("突破", Bound::AtLeast, Kind::Level),
    ("高于", Bound::AtLeast, Kind::Level),
    ("低于", Bound::AtMost, Kind::Level),
    ("增长", Bound::Exact, Kind::Increase),
    ("增加", Bound::Exact, Kind::Increase),
    ("提高", Bound::Exact, Kind::Increase),
    ("提升", Bound::Exact, Kind::Increase),
    ("递增", Bound::Exact, Kind::Increase),
    ("上升", Bound::Exact, Kind::Increase),
    ("降低", Bound::Exact, Kind::Decrease),
    ("下降", Bound::Exact, Kind::Decrease),
    ("减少", Bound::Exact, Kind::Decrease),
    ("压缩", Bound::Exact, Kind::Decrease),
    ("缩减", Bound::Exact, Kind::Decrease),
    ("达", Bound::Exact, Kind::Level),
    ("超", Bound::AtLeast, Kind::Level),
    ("约", Bound::About, Kind::Level),
    ("在", Bound::Exact, Kind::Level),
    ("为", Bound::Exact, Kind::Level),
];

/// Words between a comparator and its value, or before a comparator, that
/// change nothing (分别达到, 力争达到, 年均增长, 同口径增长).
pub(super) const FILLERS: &[&str] = &[
    "分别",
    "力争",
    "争取",
    "努力",
    "年均",
    "平均",
    "同口径",
    "继续",
    "持续",
    "均",
    "再",
    "要",
    "都",
];

/// Verbs of delivery that are often nouns too (经济发展, 项目建设): they make a
/// target only in the words right before a value. With [`STRONG_DELIVERY`]
/// they are the verbs of delivery, [`delivery_verbs`].
pub(super) const WEAK_DELIVERY: &[&str] = &[
    "改建",
    "建设",
    "实施",
    "提升改造",
    "改造提升",
    "推进",
    "带动",
    "实现",
    "形成",
    "定准",
    "清退",
    "处置",
    "设置",
    "开工",
    "储备",
    "认定",
    "发展",
    "整治",
    "治理",
    "清理",
    "盘活",
    "吸纳",
    "培训",
    "开发",
    "升级",
    "加固",
    "制定",
    "修订",
    "接待",
    "组织",
    "新入规",
];

/// Verbs of delivery that make every count after them in their clause a
/// target (新建日光温室X座、钢架大棚X座).
pub(super) const STRONG_DELIVERY: &[&str] = &[
    "新改建",
    "新建",
    "扩建",
    "建成",
    "建好",
    "创建",
    "争创",
    "培育",
    "新增",
    "打造",
    "完成",
    "改造",
    "改优",
    "引进",
    "建办",
    "推介",
    "遴选",
    "孵化",
    "布局",
    "评出",
    "办好",
    "签约",
    "新培育",
    "新开发",
    "提质升级",
    "提能升级",
    "改扩建",
    "除险加固",
    "制修订",
    "优选",
];

/// Verbs of delivery, strong and weak: a count after them is a target
/// (新建日光温室X座).
pub(super) fn delivery_verbs() -> impl Iterator<Item = &'static &'static str> {
    STRONG_DELIVERY.iter().chain(WEAK_DELIVERY)
}

/// Verbs of delivery that count only right before the value (投入1亿元):
/// elsewhere they are nouns (民生领域投入占财政支出的70以上).
pub(super) const DELIVERY_ADJACENT: &[&str] = &["投入", "投资", "争取", "落实", "安排"];

/// Where a noun phrase after a value ends: the verb that follows it
/// (150项服务事项纳入…范围).
pub(super) const PHRASE_ENDS: &[&str] = &[
    "形成", "纳入", "实现", "建成", "投产", "开工", "竣工", "达到", "转移", "覆盖", "进入", "参与",
    "入选", "实施", "完成", "用于", "开展", "提供", "享受", "获得",
];

/// Nouns of measure: an indicator ending with one, given a value among the
/// targets of a sentence, is one more (…,数字经济规模2.5万亿元).
pub(super) const MEASURES: &[&str] = &[
    "规模",
    "总量",
    "总值",
    "产值",
    "收入",
    "增加值",
    "面积",
    "产量",
    "比重",
    "占比",
    "总额",
    "投资",
    "额",
];

/// Bounds written after a value.
pub(super) const SUFFIX_BOUNDS: &[(&str, Bound)] = &[
    ("以上", Bound::AtLeast),
    ("以下", Bound::AtMost),
    ("以内", Bound::AtMost),
    ("左右", Bound::About),
];

/// Units, longest first where one starts another.
#[rustfmt::skip]
pub(super) const UNITS: &[&str] = &[
    "个百分点", "百分点", "亿千瓦时", "万千瓦时", "千瓦时", "万千瓦", "千瓦", "兆瓦", "吉瓦", "亿立方米", "万立方米", "立方米", "万平方米",
    "平方米", "平方公里", "万公顷", "公顷", "万亩", "亩", "亿吨", "万吨", "吨", "万标箱", "标箱", "万辆", "辆", "万头", "头", "万只",
    "只", "万羽", "羽", "万人次", "人次", "万人", "人", "万亿元", "万亿", "亿美元", "万美元", "美元", "亿元", "万元", "元", "亿斤",
    "万斤", "斤", "公斤", "千克", "公里", "千米", "米", "%", "‰", "倍", "万个", "万家", "万户", "万名", "万套", "万座", "个月",
    "工作日", "小时", "分钟", "个", "座", "家", "户", "所", "项", "条", "处", "栋", "台", "套", "张", "间", "名", "位",
    "场", "批", "列", "艘", "架", "棵", "株", "件", "部", "种", "类", "支", "宗", "片", "年", "月", "天", "日", "周",
    "亿", "万",
];

/// Units in Latin letters, as research targets write them (≤1μm, ≥100000cGy).
/// Other letters after a number make it a name (5G, 4A).
pub(super) const LATIN_UNITS: &[&str] = &[
    "nT/√Hz", "kWh", "MWh", "GWh", "Gbps", "Mbps", "GHz", "MHz", "kHz", "Hz", "cGy", "Gy", "μm",
    "nm", "mm", "cm", "km", "μT", "nT", "mT", "kW", "MW", "GW", "TB", "PB", "ms", "kg", "dB",
];

/// Units that count things: a value opening a clause with one of them reads as
/// a count of tasks (150项服务事项纳入…).
pub(super) const COUNT_UNITS: &[&str] = &[
    "个", "项", "家", "户", "座", "所", "条", "处", "名", "栋", "台", "套", "张", "间", "批", "列",
    "艘", "架", "件", "部", "种", "支", "宗", "万个", "万家", "万户",
];

/// Units of time: a duration is a target only with a bound or comparator
/// (压缩至3个工作日以内), never on its own (连续3年).
pub(super) const TIME_UNITS: &[&str] = &[
    "年",
    "个月",
    "月",
    "天",
    "日",
    "周",
    "小时",
    "分钟",
    "工作日",
];

/// Characters that join the values of a list (X万头、X万头; 5%和7%).
pub(super) const JOINERS: &[char] = &['、', '和', '及', '与', ' '];
