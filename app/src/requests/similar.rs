//! Resolved requests similar to the one being typed, for those who may open them
//! ("相关的历史诉求").
//!
//! Chinese is written without spaces and most words are two characters long, so trigrams
//! (pg_trgm) almost never match; overlapping character bigrams do. Each request stores the
//! sorted, distinct bigram set of its title and description (`text[]`, GIN index). The database
//! fetches candidates with `bigrams && $1` and must rank them by the same score as [`score`]:
//!
//! ```sql
//! cardinality(ARRAY(SELECT unnest(bigrams) INTERSECT SELECT unnest($1::text[])))
//!     / sqrt(cardinality(bigrams)::float8 * cardinality($1::text[]))
//! ```
//!
//! Skip the lookup when the query has no grams (the SQL would divide by zero). Store the arrays
//! exactly as [`bigrams`] returns them: [`score`] merge-walks them in Rust's byte order, which a
//! collation-aware `ORDER BY` in SQL would not preserve.

use std::cmp::Ordering;
use std::collections::BTreeSet;

/// Grams kept per text, so a pasted essay still costs a bounded array and merge-walk. The
/// first grams in reading order are kept, which favours the title.
pub const MAX_GRAMS: usize = 200;

/// Candidates scoring below this are not shown. One shared gram between a 5-gram query and a
/// 35-gram request scores 0.076, between an 8-gram query and a 40-gram request 0.056: so a short
/// query may match on one word, a longer one needs two. On `paraphrases.tsv` this is the highest
/// value that keeps every top-3 hit (0.07 loses 4 of 36). Unrelated questions still get the odd
/// request sharing a topic word (电脑, 午餐): without corpus statistics no overlap score can
/// tell that from a one-word paraphrase.
pub const MIN_SCORE: f64 = 0.06;

/// Bigrams that occur in questions about any topic: question words (请问, 怎么, 么办 from
/// 怎么办, 什么, 如何, 怎样, 哪里, 哪些, 时候 from 什么时候), fillers (可以, 能否, 是否, 是不, 不是,
/// 有没, 没有, 一下, 需要, 希望, 知道), pronouns (我们, 你们, 这个, 那个), 问题 itself, and 公司 and
/// 企业: every request here comes from a company, so a third of them say so, and their posting
/// lists were the slowest part of the lookup (recall on the test set is unchanged). Kept
/// short on purpose: a topic word listed here could never match again. Cutting the pairs around
/// them sometimes loses a real word (下午 in 一下午); on the test data it still raised recall.
const STOP_GRAMS: &[&str] = &[
    "一下", "不是", "什么", "你们", "可以", "哪些", "哪里", "如何", "希望", "我们", "时候", "是不",
    "是否", "有没", "怎么", "怎样", "知道", "那个", "问题", "能否", "请问", "这个", "需要", "没有",
    "么办", "公司", "企业",
];

/// Particles that end a word rather than start one; like stop grams they cut a run.
const PARTICLES: &[char] = &['的', '了', '吗', '呢', '吧', '啊', '呀', '很'];

/// The sorted, distinct grams of `text`: overlapping bigrams of each run of Chinese characters
/// (a run of one character stands for itself), and each ASCII word or number of two or more
/// characters, lowercased. Full-width letters and digits count as their ASCII forms. Stop grams
/// and particles are dropped together with the pairs straddling them ("车怎" in 停车怎么办),
/// which are as topic-free as the stop words themselves.
pub fn bigrams(text: &str) -> Vec<String> {
    let mut grams = Grams::default();
    let mut run = Vec::new();
    let mut run_class = CharClass::Other;
    // A trailing separator flushes the last run.
    for c in text.chars().map(normalise).chain(std::iter::once(' ')) {
        let class = CharClass::of(c);
        if class != run_class {
            match run_class {
                CharClass::Ideograph => grams.add_ideographs(&run),
                CharClass::Word if run.len() >= 2 => grams.keep(run.iter().collect()),
                _ => {}
            }
            if grams.is_full() {
                break;
            }
            run.clear();
            run_class = class;
        }
        run.push(c);
    }
    grams.0.into_iter().collect()
}

/// How alike two gram sets from [`bigrams`] are: shared grams / √(|query|·|doc|), the cosine of
/// their binary vectors. It stays in [0, 1] and keeps long descriptions from winning merely by
/// containing more grams. 0.0 when either set is empty.
pub fn score(query: &[String], doc: &[String]) -> f64 {
    if query.is_empty() || doc.is_empty() {
        return 0.0;
    }
    let shared = overlap(query, doc) as f64;
    shared / (query.len() as f64 * doc.len() as f64).sqrt()
}

/// The best `limit` documents for `query` scoring at least [`MIN_SCORE`], best first, ties
/// by id (`limit` is usually `MAX_SIMILAR`): what the database query returns, for tests
/// and small in-memory lists.
pub fn rank<'a>(
    query: &str,
    docs: impl Iterator<Item = (i64, &'a [String])>,
    limit: usize,
) -> Vec<(i64, f64)> {
    let query = bigrams(query);
    let mut hits: Vec<(i64, f64)> = docs
        .map(|(id, doc)| (id, score(&query, doc)))
        .filter(|&(_, s)| s >= MIN_SCORE)
        .collect();
    hits.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    hits.truncate(limit);
    hits
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum CharClass {
    Ideograph,
    Word,
    Other,
}

impl CharClass {
    fn of(c: char) -> Self {
        if c.is_ascii_alphanumeric() {
            Self::Word
        } else if is_ideograph(c) {
            Self::Ideograph
        } else {
            Self::Other
        }
    }
}

/// CJK unified ideographs: the basic block, extension A, compatibility ideographs, and the
/// supplementary planes (extensions B onwards, used in some personal and place names).
fn is_ideograph(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Full-width ASCII (as typed by Chinese input methods) to half-width, then lowercase.
fn normalise(c: char) -> char {
    let c = match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// Grams collected so far, capped at [`MAX_GRAMS`].
#[derive(Default)]
struct Grams(BTreeSet<String>);

impl Grams {
    fn is_full(&self) -> bool {
        self.0.len() >= MAX_GRAMS
    }

    fn keep(&mut self, gram: String) {
        if !self.is_full() {
            self.0.insert(gram);
        }
    }

    fn add_ideographs(&mut self, run: &[char]) {
        if let [c] = run {
            if !PARTICLES.contains(c) {
                self.keep(c.to_string());
            }
            return;
        }
        let mut cut: Vec<bool> = run.iter().map(|c| PARTICLES.contains(c)).collect();
        for (i, pair) in run.windows(2).enumerate() {
            if is_stop_gram(pair) {
                cut[i] = true;
                cut[i + 1] = true;
            }
        }
        for (i, pair) in run.windows(2).enumerate() {
            if !cut[i] && !cut[i + 1] {
                self.keep(pair.iter().collect());
            }
        }
    }
}

fn is_stop_gram(pair: &[char]) -> bool {
    STOP_GRAMS
        .iter()
        .any(|stop| stop.chars().eq(pair.iter().copied()))
}

/// The number of elements two sorted, distinct slices share.
fn overlap(a: &[String], b: &[String]) -> usize {
    let (mut i, mut j, mut shared) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            Ordering::Less => i += 1,
            Ordering::Greater => j += 1,
            Ordering::Equal => {
                shared += 1;
                i += 1;
                j += 1;
            }
        }
    }
    shared
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One row of `paraphrases.tsv`: a resolved request and, optionally, how another worker
    /// might ask the same thing.
    struct Row<'a> {
        category: &'a str,
        title: &'a str,
        description: &'a str,
        paraphrase: Option<&'a str>,
    }

    fn rows() -> Vec<Row<'static>> {
        let mut lines = include_str!("paraphrases.tsv").lines();
        assert_eq!(
            lines.next(),
            Some("category\ttitle\tdescription\tparaphrase")
        );
        lines
            .filter(|line| !line.trim().is_empty())
            .map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                assert_eq!(fields.len(), 4, "bad row: {line}");
                Row {
                    category: fields[0],
                    title: fields[1],
                    description: fields[2],
                    paraphrase: Some(fields[3].trim()).filter(|p| !p.is_empty()),
                }
            })
            .collect()
    }

    fn documents(rows: &[Row]) -> Vec<Vec<String>> {
        rows.iter()
            .map(|row| bigrams(&format!("{}\n{}", row.title, row.description)))
            .collect()
    }

    fn indexed(docs: &[Vec<String>]) -> impl Iterator<Item = (i64, &[String])> {
        docs.iter()
            .enumerate()
            .map(|(i, doc)| (i as i64, doc.as_slice()))
    }

    fn grams(words: &[&str]) -> Vec<String> {
        words.iter().map(|w| w.to_string()).collect()
    }

    #[test]
    fn chinese_text_yields_overlapping_bigrams() {
        assert_eq!(
            bigrams("空调不制冷"),
            grams(&["不制", "制冷", "空调", "调不"])
        );
    }

    #[test]
    fn lone_character_stands_for_itself() {
        assert_eq!(bigrams("8楼"), grams(&["楼"]));
        assert_eq!(bigrams("灯，坏掉"), grams(&["坏掉", "灯"]));
        assert_eq!(bigrams("A的B"), Vec::<String>::new());
    }

    #[test]
    fn full_width_digits_and_letters_become_ascii() {
        assert_eq!(bigrams("１２楼"), bigrams("12楼"));
        assert_eq!(bigrams("１２楼"), grams(&["12", "楼"]));
        assert_eq!(bigrams("ＷｉＦｉ"), grams(&["wifi"]));
    }

    #[test]
    fn ascii_words_are_split_from_chinese_and_lowercased() {
        assert_eq!(bigrams("WiFi密码"), grams(&["wifi", "密码"]));
        assert_eq!(bigrams("个税APP在哪"), grams(&["app", "个税", "在哪"]));
    }

    #[test]
    fn single_ascii_characters_are_dropped() {
        assert_eq!(bigrams("A座 3 楼"), grams(&["座", "楼"]));
    }

    #[test]
    fn stop_grams_are_dropped_with_their_neighbours() {
        assert_eq!(bigrams("请问怎么"), Vec::<String>::new());
        assert_eq!(bigrams("请问怎么申请"), grams(&["申请"]));
        assert_eq!(bigrams("停车怎么办"), grams(&["停车"]));
    }

    #[test]
    fn particles_cut_runs() {
        assert_eq!(bigrams("空调的温度很高吗"), grams(&["温度", "空调"]));
    }

    #[test]
    fn output_is_sorted_and_distinct() {
        let out = bigrams("电梯电梯，电梯坏掉");
        assert_eq!(out, grams(&["坏掉", "梯坏", "梯电", "电梯"]));
        assert!(out.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn output_is_capped() {
        let long: String = ('\u{4E00}'..='\u{4FFF}').collect();
        assert_eq!(bigrams(&long).len(), MAX_GRAMS);
    }

    #[test]
    fn empty_sets_score_zero() {
        let doc = bigrams("空调不制冷");
        assert_eq!(score(&[], &doc), 0.0);
        assert_eq!(score(&doc, &[]), 0.0);
        assert_eq!(score(&doc, &doc), 1.0);
    }

    #[test]
    fn score_counts_shared_grams() {
        let a = grams(&["停车", "车位"]);
        let b = grams(&["停车", "车库", "车辆", "登记"]);
        assert!((score(&a, &b) - 1.0 / 8f64.sqrt()).abs() < 1e-12);
    }

    #[test]
    fn rank_orders_best_first_then_by_id() {
        let docs = [
            bigrams("地下车库停车位不够"),
            bigrams("空调不制冷"),
            bigrams("地下车库停车位不够"),
        ];
        let hits = rank("停车位不够", indexed(&docs), 5);
        let ids: Vec<i64> = hits.iter().map(|&(id, _)| id).collect();
        assert_eq!(ids, [0, 2]);
        assert_eq!(rank("停车位不够", indexed(&docs), 1).len(), 1);
    }

    #[test]
    fn test_data_is_broad_enough() {
        let rows = rows();
        assert!(rows.len() >= 40);
        assert!(rows.iter().filter(|r| r.paraphrase.is_some()).count() >= 32);
        for category in [
            "政策咨询",
            "企业服务/工商登记",
            "物业与楼宇设施",
            "人才与落户",
            "党建与群团",
            "安全与消防",
            "其他",
        ] {
            assert!(rows.iter().any(|r| r.category == category), "{category}");
        }
    }

    #[test]
    fn paraphrases_find_their_request_in_the_top_three() {
        let rows = rows();
        let docs = documents(&rows);
        let mut asked = 0;
        let mut found = 0;
        for (i, row) in rows.iter().enumerate() {
            let Some(paraphrase) = row.paraphrase else {
                continue;
            };
            asked += 1;
            let hits = rank(paraphrase, indexed(&docs), 3);
            if hits.iter().any(|&(id, _)| id == i as i64) {
                found += 1;
            } else {
                let top: Vec<&str> = hits
                    .iter()
                    .map(|&(id, _)| rows[id as usize].title)
                    .collect();
                eprintln!("miss: {paraphrase} → want {}, got {top:?}", row.title);
            }
        }
        let recall = f64::from(found) / f64::from(asked);
        eprintln!("top-3 recall: {found}/{asked} = {recall:.3}");
        assert!(recall >= 0.8, "top-3 recall {recall:.3} < 0.8");
    }

    #[test]
    fn unrelated_queries_suggest_almost_nothing() {
        let rows = rows();
        let docs = documents(&rows);
        for query in [
            "午餐好吃吗",
            "今天天气怎么样",
            "周末去哪里玩",
            "打印机没有纸了",
        ] {
            let q = bigrams(query);
            let shown = docs.iter().filter(|d| score(&q, d) >= MIN_SCORE).count();
            eprintln!(
                "{query}: {shown} of {} documents reach MIN_SCORE",
                docs.len()
            );
            assert!(shown <= 1, "{query} would suggest {shown} requests");
        }
    }
}
