//! The query strings of the API, read into the requests of the library, with
//! the caps checked on the way.

use axum::body::Body;
use axum::http::{HeaderMap, StatusCode, Uri, header};
use futures_core::Stream;

use super::ApiError;
use crate::export::ExportView;
use crate::query::{FLAG_FILTERS, FilterSpec, NewSince};
use crate::search::group::GroupBy;
use crate::search::{HitUnit, SearchRequest};
use crate::service::{DocPage, SearchQuery};
use crate::similar::{SimilarRequest, SimilarTo};
use crate::text::ellipsize;
use crate::vocabulary::Named;

/// The caps on a request. Over one, the answer is a JSON error:
/// 414 for the URL, 400 for the rest.
#[derive(Debug, Clone, Copy)]
pub struct Caps;

impl Caps {
    /// Longest URL (path and query string, percent-encoded), in bytes: 414.
    pub const MAX_URI_BYTES: usize = 16 << 10;
    /// Most hits (or groups) one request returns: `limit` 1 to this, else 400.
    pub const MAX_LIMIT: usize = 100;
    /// Deepest a page reaches: `offset + limit` at most this, else 400.
    pub const MAX_WINDOW: usize = 10_000;
    /// Longest pasted text for `/api/similar` (`text`), in characters: 400.
    pub const MAX_TEXT_CHARS: usize = 5_000;
    /// Largest JSON body of `POST /api/similar`, in bytes: 413. Room for a
    /// text at [`Caps::MAX_TEXT_CHARS`] however it is escaped (`\uXXXX`
    /// pairs take 12 bytes a character) and the filters.
    pub const MAX_BODY_BYTES: usize = 128 << 10;
    /// Most values of one parameter (`region=…&region=…`): 400.
    pub const MAX_VALUES: usize = 50;
    /// Passages of a document `/api/doc/ID` returns without a `limit`.
    pub const DOC_PAGE: usize = 200;
    /// Most passages of a document one request returns: `limit` 1 to this,
    /// else 400.
    pub const MAX_DOC_PAGE: usize = 1_000;
}

/// The query string's parameters in order; `target-year` and `target_year`
/// are one name.
pub struct Params {
    pairs: Vec<(String, String)>,
}

/// Every filter parameter's name (`target-year` is read as `target_year`).
fn filter_names() -> impl Iterator<Item = &'static str> {
    FilterSpec::list_filter_names()
        .filter(|name| !name.contains('-'))
        .chain(FLAG_FILTERS.iter().copied())
}

/// What selects new passages: `new=1` (the last batch), `new_since=DATE`.
/// Search, facets and exports take them.
const NEW: &[&str] = &["new", "new_since"];

impl Params {
    /// Reads a request's query string, checking the URL's length.
    pub fn parse(uri: &Uri) -> Result<Params, ApiError> {
        check_uri(uri)?;
        let query = uri.query().unwrap_or("");
        let pairs: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes())
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Params::from_pairs(pairs)
    }

    /// Reads a JSON object, `{"text": "…", "region": ["甘肃", "河南"],
    /// "limit": 5, "other_regions": true}`: the parameters of the query
    /// string, a list for a repeated one.
    pub fn from_json(body: &[u8]) -> Result<Params, ApiError> {
        let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
            ApiError::bad_request(format!(
                "the body is not JSON ({e}): send an object such as {{\"text\": \"…\", \"limit\": 10}}"
            ))
        })?;
        let serde_json::Value::Object(object) = value else {
            return Err(ApiError::bad_request(
                "the body is JSON but not an object: send {\"text\": \"…\", \"limit\": 10}",
            ));
        };
        let mut pairs = Vec::new();
        for (name, value) in object {
            let values = match value {
                serde_json::Value::Array(values) => values,
                one => vec![one],
            };
            for value in values {
                let text = match value {
                    serde_json::Value::Null => continue,
                    serde_json::Value::String(s) => s,
                    serde_json::Value::Bool(b) => b.to_string(),
                    serde_json::Value::Number(n) => n.to_string(),
                    serde_json::Value::Array(_) | serde_json::Value::Object(_) => {
                        return Err(ApiError::bad_request(format!(
                            "{} holds a list or an object inside: give a text, a number, true or false, or a list of them",
                            ellipsize(&name, 40)
                        )));
                    }
                };
                pairs.push((name.clone(), text));
            }
        }
        Params::from_pairs(pairs)
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> Result<Params, ApiError> {
        let pairs: Vec<(String, String)> = pairs
            .into_iter()
            .map(|(k, v)| (k.replace('-', "_"), v))
            .collect();
        let mut times: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for (name, _) in &pairs {
            let n = times.entry(name.as_str()).or_default();
            *n += 1;
            if *n > Caps::MAX_VALUES {
                return Err(ApiError::bad_request(format!(
                    "{} is given more than {} times",
                    ellipsize(name, 40),
                    Caps::MAX_VALUES
                )));
            }
        }
        Ok(Params { pairs })
    }

    /// Refuses a parameter not in `known`.
    pub fn known(&self, known: &[&str]) -> Result<(), ApiError> {
        for (name, _) in &self.pairs {
            if !known.contains(&name.as_str()) {
                let expected = if known.is_empty() {
                    "this endpoint takes none".to_string()
                } else {
                    format!("known here: {}", known.join(", "))
                };
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {:?}; {expected}",
                    ellipsize(name, 40)
                )));
            }
        }
        Ok(())
    }

    fn all(&self, name: &str) -> Vec<String> {
        self.pairs
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
            .filter(|v| !v.trim().is_empty())
            .collect()
    }

    fn one(&self, name: &str) -> Option<String> {
        self.pairs
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    }

    /// The value of an option named by a word ([`Named`]); `None` when
    /// absent or empty.
    fn named<T: Named>(&self, name: &str) -> Result<Option<T>, ApiError> {
        match self.one(name).as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(value) => T::from_name(value)
                .map(Some)
                .map_err(|e| ApiError::bad_request(e.to_string())),
        }
    }

    fn flag(&self, name: &str) -> Result<bool, ApiError> {
        match self.one(name).as_deref().map(str::trim) {
            None | Some("0" | "false" | "no") => Ok(false),
            Some("" | "1" | "true" | "yes") => Ok(true),
            Some(other) => Err(ApiError::bad_request(format!(
                "{name}={} is not a yes or no: give {name}=true or {name}=false",
                ellipsize(other, 40)
            ))),
        }
    }

    fn number(&self, name: &str) -> Result<Option<usize>, ApiError> {
        match self.one(name) {
            None => Ok(None),
            Some(v) if v.trim().is_empty() => Ok(None),
            Some(v) => v.trim().parse::<usize>().map(Some).map_err(|_| {
                ApiError::bad_request(format!(
                    "{name}={} is not a number: give a whole number, such as {name}=10",
                    ellipsize(&v, 40)
                ))
            }),
        }
    }

    /// `limit` (default `default`, 1 to [`Caps::MAX_LIMIT`]).
    fn limit(&self, default: usize) -> Result<usize, ApiError> {
        let limit = self.number("limit")?.unwrap_or(default);
        if limit == 0 || limit > Caps::MAX_LIMIT {
            return Err(ApiError::bad_request(format!(
                "limit={limit} is over the result cap: give 1 to {} hits a page and page with offset or page",
                Caps::MAX_LIMIT
            )));
        }
        Ok(limit)
    }

    fn new_since(&self) -> Result<Option<NewSince>, ApiError> {
        if let Some(date) = self.one("new_since").filter(|d| !d.trim().is_empty()) {
            return NewSince::since(&date)
                .map(Some)
                .map_err(|e| ApiError::bad_request(format!("new_since: {e}")));
        }
        Ok(self.flag("new")?.then_some(NewSince::LastBatch))
    }

    fn filters(&self) -> Result<FilterSpec, ApiError> {
        let mut spec = FilterSpec {
            has_target: self.flag("has_target")?,
            sort: self.one("sort"),
            current: self.flag("current")?,
            new: self.new_since()?,
            ..FilterSpec::default()
        };
        for name in FilterSpec::list_filter_names() {
            let values = self.all(name);
            if let Some(list) = spec.values_mut(name) {
                list.extend(values);
            }
        }
        Ok(spec)
    }

    /// What a search and its export share: `q`, the filters and `by`.
    fn query_and_filters(&self) -> Result<SearchRequest, ApiError> {
        let mut request = SearchRequest {
            query: self.one("q").unwrap_or_default(),
            filters: self.filters()?,
            count_context: true,
            ..SearchRequest::default()
        };
        request.unit = self.named::<HitUnit>("by")?.unwrap_or_default();
        Ok(request)
    }

    /// `/api/search`: `q`, the filters, `by`, `group_by`, `limit`, `offset`
    /// or `page`, `facets` (`counts`, `tree`, `none`), `explain`.
    pub fn search_query(&self) -> Result<SearchQuery, ApiError> {
        let mut known = vec![
            "q", "by", "group_by", "limit", "offset", "page", "facets", "explain",
        ];
        known.extend(filter_names());
        known.extend_from_slice(NEW);
        self.known(&known)?;
        let mut request = self.query_and_filters()?;
        let group_by = self.named::<GroupBy>("group_by")?;
        let default = crate::search::default_limit(group_by.is_some(), false);
        let limit = self.limit(default.unwrap_or(Caps::MAX_LIMIT))?;
        let offset = match (self.number("offset")?, self.number("page")?) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_request(
                    "give offset or page, not both".to_string(),
                ));
            }
            (Some(offset), None) => offset,
            (None, Some(0)) => {
                return Err(ApiError::bad_request(
                    "page=0: pages count from 1".to_string(),
                ));
            }
            (None, Some(page)) => (page - 1).saturating_mul(limit),
            (None, None) => 0,
        };
        if group_by.is_some() && offset > 0 {
            return Err(ApiError::bad_request(
                "group_by returns the groups at once: leave out offset and page",
            ));
        }
        if offset.saturating_add(limit) > Caps::MAX_WINDOW {
            return Err(ApiError::bad_request(format!(
                "offset {offset} + limit {limit} is over the result cap of {}: narrow the search with filters, or export it (/api/export.csv)",
                Caps::MAX_WINDOW
            )));
        }
        request.limit = Some(limit);
        request.offset = offset;
        match self.one("facets").as_deref() {
            None | Some("" | "counts") => request.facets = group_by.is_none(),
            Some("tree") => request.facet_tree = true,
            Some("none") => {}
            Some(other) => {
                return Err(ApiError::bad_request(format!(
                    "facets={} is none of counts, tree, none",
                    ellipsize(other, 40)
                )));
            }
        }
        request.explain = self.flag("explain")?;
        Ok(SearchQuery { request, group_by })
    }

    /// `/api/timeline`: `q`, `level` (province, city, county) and the
    /// filters.
    pub fn timeline_request(
        &self,
    ) -> Result<(String, FilterSpec, crate::timeline::Level), ApiError> {
        let mut known = vec!["q", "level"];
        known.extend(filter_names());
        self.known(&known)?;
        let q = self
            .one("q")
            .filter(|q| !q.trim().is_empty())
            .ok_or_else(|| ApiError::bad_request("give q, the measure to trace (河长制)"))?;
        let level = self.named("level")?.unwrap_or_default();
        Ok((q, self.filters()?, level))
    }

    /// `/api/crosstab`: `q`, `group_by` (the rows: region, province, city,
    /// year, sector, doc_type; default region), `by` (the columns:
    /// instrument, category, year, province; default instrument) and the
    /// filters.
    pub fn crosstab_request(
        &self,
    ) -> Result<
        (
            String,
            FilterSpec,
            crate::crosstab::Rows,
            crate::crosstab::Columns,
        ),
        ApiError,
    > {
        use crate::crosstab::{Columns, Rows};
        let mut known = vec!["q", "group_by", "by"];
        known.extend(filter_names());
        self.known(&known)?;
        let q = self
            .one("q")
            .filter(|q| !q.trim().is_empty())
            .ok_or_else(|| ApiError::bad_request("give q, the query to count (乡村振兴)"))?;
        let rows = self.named("group_by")?.unwrap_or(Rows::Region);
        let columns = self.named("by")?.unwrap_or(Columns::Instrument);
        Ok((q, self.filters()?, rows, columns))
    }

    /// `/api/facets`: `q` and the filters.
    pub fn facets_request(&self) -> Result<SearchRequest, ApiError> {
        let mut known = vec!["q"];
        known.extend(filter_names());
        known.extend_from_slice(NEW);
        self.known(&known)?;
        Ok(SearchRequest {
            query: self.one("q").unwrap_or_default(),
            filters: self.filters()?,
            ..SearchRequest::default()
        })
    }

    /// `/api/export.csv` and `/api/export.jsonl`: `q`, the filters, `by`,
    /// `new`, `new_since`, `limit` (every hit without it), and the view:
    /// hits, `group_by=FIELD` (one row a group) or `view=facets` (one row a
    /// facet value).
    pub fn export_request(&self) -> Result<(SearchRequest, ExportView), ApiError> {
        let mut known = vec!["q", "by", "limit", "group_by", "view"];
        known.extend(filter_names());
        known.extend_from_slice(NEW);
        self.known(&known)?;
        let mut request = self.query_and_filters()?;
        request.limit = self.number("limit")?.filter(|&n| n > 0);
        let group_by = self.named::<GroupBy>("group_by")?;
        let view = match (self.one("view").as_deref(), group_by) {
            (None | Some("" | "hits"), None) => ExportView::Hits,
            (None | Some("" | "groups"), Some(by)) => ExportView::Groups(by),
            (Some("facets"), None) => ExportView::Facets,
            (Some("groups"), None) => {
                return Err(ApiError::bad_request(
                    "view=groups needs group_by (region, province, city, year, doc_type, sector)",
                ));
            }
            (Some(v @ ("facets" | "hits")), Some(_)) => {
                return Err(ApiError::bad_request(format!(
                    "view={v} and group_by are two views: give one"
                )));
            }
            (Some(other), _) => {
                return Err(ApiError::bad_request(format!(
                    "view={} is none of hits, groups, facets",
                    ellipsize(other, 40)
                )));
            }
        };
        Ok((request, view))
    }

    /// `/api/similar`: `ref` (a passage id) or `text`, `other_regions`, the
    /// filters, `limit`.
    pub fn similar_request(&self) -> Result<SimilarRequest, ApiError> {
        let mut known = vec!["ref", "text", "other_regions", "limit"];
        known.extend(filter_names());
        self.known(&known)?;
        let to = match (self.one("ref"), self.one("text")) {
            (Some(_), Some(_)) => {
                return Err(ApiError::bad_request("give ref or text, not both"));
            }
            (Some(r), None) => {
                let r = r.trim().to_string();
                if !crate::similar::is_passage_id(&r) {
                    return Err(ApiError::bad_request(format!(
                        "ref={} is not a passage id: give the id a search hit shows (8632332262f6707a:2)",
                        ellipsize(&r, 60)
                    )));
                }
                SimilarTo::Passage(r)
            }
            (None, Some(t)) => {
                let chars = t.chars().count();
                if chars > Caps::MAX_TEXT_CHARS {
                    return Err(ApiError::bad_request(format!(
                        "text is {chars} characters, over the cap of {}: paste one paragraph",
                        Caps::MAX_TEXT_CHARS
                    )));
                }
                SimilarTo::Text(t)
            }
            (None, None) => {
                return Err(ApiError::bad_request(
                    "give ref (a passage id, 8632332262f6707a:2) or text (a paragraph)",
                ));
            }
        };
        Ok(SimilarRequest {
            filters: self.filters()?,
            other_regions: self.flag("other_regions")?,
            limit: self.limit(crate::search::DEFAULT_LIMIT)?,
            // Never a path on disk from a request.
            corpus: None,
            ..SimilarRequest::new(to)
        })
    }
}

/// The parameters of a POST: a JSON object in the body (at most
/// [`Caps::MAX_BODY_BYTES`], else 413), none in the URL.
pub async fn read_json_body(
    uri: &Uri,
    headers: &HeaderMap,
    body: Body,
) -> Result<Params, ApiError> {
    check_uri(uri)?;
    if uri.query().is_some_and(|q| !q.is_empty()) {
        return Err(ApiError::bad_request(
            "a POST takes its parameters in the JSON body, not in the URL: move them into the object",
        ));
    }
    if let Some(kind) = headers.get(header::CONTENT_TYPE) {
        let kind = kind.to_str().unwrap_or("").trim().to_ascii_lowercase();
        let essence = kind.split(';').next().unwrap_or("").trim();
        if essence != "application/json" {
            return Err(ApiError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                format!(
                    "the body is {}, not JSON: send it with Content-Type: application/json",
                    ellipsize(essence, 60)
                ),
            ));
        }
    }
    let too_large = || {
        ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!(
                "the body is over the cap of {} bytes: paste one paragraph (at most {} characters)",
                Caps::MAX_BODY_BYTES,
                Caps::MAX_TEXT_CHARS
            ),
        )
    };
    // A body somewhat over the cap is read to its end (and dropped), so
    // that the client, still sending, gets the 413 rather than a broken
    // connection; one far over it is refused unread.
    const MAX_DRAINED: usize = 8 * Caps::MAX_BODY_BYTES;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_DRAINED as u64) {
        return Err(too_large());
    }
    // Read frame by frame, so a body without a length stops at the cap too.
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) =
        std::future::poll_fn(|cx| std::pin::Pin::new(&mut stream).poll_next(cx)).await
    {
        let chunk = chunk.map_err(|e| {
            ApiError::bad_request(format!("the body could not be read ({e}): send it again"))
        })?;
        seen = seen.saturating_add(chunk.len());
        if seen > MAX_DRAINED {
            break;
        }
        if seen <= Caps::MAX_BODY_BYTES {
            bytes.extend_from_slice(&chunk);
        }
    }
    if seen > Caps::MAX_BODY_BYTES {
        return Err(too_large());
    }
    Params::from_json(&bytes)
}

fn check_uri(uri: &Uri) -> Result<(), ApiError> {
    let len = uri.path().len() + uri.query().map_or(0, str::len);
    if len > Caps::MAX_URI_BYTES {
        return Err(ApiError::new(
            StatusCode::URI_TOO_LONG,
            format!(
                "the URL is {len} bytes, over the cap of {}: shorten the query",
                Caps::MAX_URI_BYTES
            ),
        ));
    }
    Ok(())
}

/// The id of `/api/doc/{id}`, percent-decoded. Anything else after
/// `/api/doc/` (a path, `..`) is refused by the library as not an id.
impl Params {
    /// `/api/doc/ID`: `offset` and `limit` of its passages (default
    /// [`Caps::DOC_PAGE`], at most [`Caps::MAX_DOC_PAGE`]).
    pub fn doc_page(&self) -> Result<DocPage, ApiError> {
        self.known(&["offset", "limit"])?;
        let limit = self.number("limit")?.unwrap_or(Caps::DOC_PAGE);
        if limit == 0 || limit > Caps::MAX_DOC_PAGE {
            return Err(ApiError::bad_request(format!(
                "limit={limit} is over the page cap: give 1 to {} passages a page and page with offset",
                Caps::MAX_DOC_PAGE
            )));
        }
        Ok(DocPage {
            offset: self.number("offset")?,
            limit: Some(limit),
        })
    }
}

pub fn doc_id(uri: &Uri) -> Result<String, ApiError> {
    check_uri(uri)?;
    let raw = uri.path().strip_prefix("/api/doc/").unwrap_or("");
    let id: String = form_urlencoded::parse(format!("id={}", raw.replace('+', "%2B")).as_bytes())
        .map(|(_, v)| v.into_owned())
        .next()
        .unwrap_or_default();
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(query: &str) -> Params {
        let uri: Uri = format!("/api/search?{query}").parse().unwrap();
        Params::parse(&uri).unwrap()
    }

    #[test]
    fn pages_turn_into_offsets_and_filters_repeat() {
        let q = params("q=%E8%82%89%E7%89%9B&region=%E7%94%98%E8%82%83&region=%E6%B2%B3%E5%8D%97&target-year=2025&has-target&limit=20&page=3")
            .search_query()
            .unwrap();
        assert_eq!(q.request.query, "肉牛");
        assert_eq!(q.request.filters.regions, ["甘肃", "河南"]);
        assert_eq!(q.request.filters.target_years, ["2025"]);
        assert!(q.request.filters.has_target);
        assert_eq!(q.request.limit, Some(20));
        assert_eq!(q.request.offset, 40);
        assert!(q.request.facets && !q.request.facet_tree);
        assert!(q.group_by.is_none());
    }

    #[test]
    fn a_filter_is_the_same_as_a_parameter_and_inline() {
        // (name, value as typed by a researcher): one vocabulary for the
        // query's inline filters and the API's parameters.
        for (name, value) in FilterSpec::examples() {
            let inline = crate::query::parse(&format!("{name}:{value} 肉牛"))
                .unwrap()
                .filters;
            let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
            let param = params(&format!("q=%E8%82%89%E7%89%9B&{name}={encoded}"))
                .search_query()
                .unwrap()
                .request
                .filters;
            assert_eq!(inline, param, "{name}");
            assert_ne!(inline, FilterSpec::default(), "{name}");
        }
    }

    #[test]
    fn group_by_and_facets_take_their_names() {
        let q = params("q=x&group-by=doc_type&facets=none")
            .search_query()
            .unwrap();
        assert_eq!(q.group_by, Some(GroupBy::DocType));
        assert_eq!(q.request.limit, Some(Caps::MAX_LIMIT));
        assert!(!q.request.facets && !q.request.facet_tree);
        let q = params("q=x&facets=tree").search_query().unwrap();
        assert!(q.request.facet_tree && !q.request.facets);
    }

    #[test]
    fn over_a_cap_or_malformed_is_refused() {
        for (query, status) in [
            ("q=x&limit=101", 400),
            ("q=x&offset=9995", 400),
            ("q=x&offset=1&page=1", 400),
            ("q=x&has_target=maybe", 400),
            ("q=x&group_by=region&page=2", 400),
        ] {
            let err = params(query).search_query().unwrap_err();
            assert_eq!(err.status.as_u16(), status, "{query}: {}", err.message);
        }
        let long: Uri = format!("/api/search?q={}", "a".repeat(Caps::MAX_URI_BYTES))
            .parse()
            .unwrap();
        assert_eq!(
            Params::parse(&long).err().unwrap().status,
            StatusCode::URI_TOO_LONG
        );
    }

    #[test]
    fn a_crosstab_takes_its_rows_and_columns() {
        use crate::crosstab::{Columns, Rows};
        let (q, filters, rows, columns) = params("q=x&group_by=province&by=year&region=a")
            .crosstab_request()
            .unwrap();
        assert_eq!(q, "x");
        assert_eq!(filters.regions, ["a"]);
        assert_eq!((rows, columns), (Rows::Province, Columns::Year));
        let (_, _, rows, columns) = params("q=x").crosstab_request().unwrap();
        assert_eq!((rows, columns), (Rows::Region, Columns::Instrument));
        for bad in [
            "q=x&group_by=country",
            "q=x&by=doc",
            "group_by=year",
            "q=x&limit=3",
        ] {
            let err = params(bad).crosstab_request().unwrap_err();
            assert_eq!(err.status.as_u16(), 400, "{bad}: {}", err.message);
        }
    }

    #[test]
    fn a_doc_id_is_decoded_and_similar_takes_ids_only() {
        let uri: Uri = "/api/doc/..%2F..%2Fetc%2Fpasswd".parse().unwrap();
        assert_eq!(doc_id(&uri).unwrap(), "../../etc/passwd");
        let uri: Uri = "/api/doc/2b29ce2e01909cf3:5".parse().unwrap();
        assert_eq!(doc_id(&uri).unwrap(), "2b29ce2e01909cf3:5");
        assert!(params("ref=2b29ce2e01909cf3:5").similar_request().is_ok());
        for bad in ["ref=seeds/a.txt%235", "ref=/etc/passwd", "ref=x&text=y", ""] {
            assert!(params(bad).similar_request().is_err(), "{bad}");
        }
    }
}
