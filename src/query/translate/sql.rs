//! A resolved query as SQL over the three tables of the Parquet and SQL export
//! (`bonegraph export parquet`): `entities`, `edges` and `attributes`.
//!
//! The meaning is the one the SPARQL and Cypher translations spell out (see the parent
//! module), written with set-valued subqueries rather than graph patterns:
//!
//! - the hierarchy is read through `up (node, anc)`: every entity with each of its `is_a`
//!   ancestors, itself included (zero or more steps). The loader refuses a cycle in the
//!   hierarchy, so `node <> anc` is "one or more steps". DuckDB and PostgreSQL queries define
//!   it as a recursive CTE; Spark would run such a CTE again for every reference, a job per
//!   level, so Spark queries read the cached view the export's `spark.sql` makes
//!   ([`crate::interchange::sql::spark_hierarchy`]);
//! - a selection is a predicate on the row's id: `x.id IN (SELECT ...)` for its kind and
//!   for each filter, combined with `AND`, `OR` and `AND NOT` for `and`, `or` and `except`.
//!   Every subquery is uncorrelated, so engines plan it as a semi-join;
//! - an edge `a -r-> b` counts for every row whose ancestors include `a` and every target
//!   among whose ancestors is `b`: two joins with `up`;
//! - `path`/`paths` walk the edges either way from both ends at once, up to half of
//!   [`MAX_PATH_HOPS`] steps each, with the entities seen kept in an array so that no path
//!   visits one twice, and join the two walks where they meet. Each path of `n` steps is
//!   found once, split after `ceil(n / 2)` steps. Among equally short paths the engine may
//!   return another one than bonegraph does; the number of steps is the same.
//!
//! Graph text (ids, names, kinds, relation types, words of conditions) only ever appears in
//! string literals, which are escaped for the dialect; no identifier is made from it.

use super::super::MAX_PATH_HOPS;
use super::super::ast::SetOp;
use super::super::plan::{Plan, PlanCondition, PlanFilter, ResolvedQuery};
use super::{claim_tests, inferred_values, widened};
use crate::graph::{Direction, KindId, KnowledgeGraph, RelId};
use petgraph::graph::NodeIndex;
use std::fmt::Write as _;

/// The SQL engines a query translates for. The query text differs in string literals, in
/// array functions (paths) and nowhere else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SqlDialect {
    /// Apache Spark SQL 4 (spark-sql, PySpark, `spark-submit`): backslash escapes in string
    /// literals, `array`/`concat`/`array_contains` for paths.
    Spark,
    /// DuckDB: standard string literals, lists for paths.
    DuckDb,
    /// PostgreSQL: standard string literals, `text[]` arrays for paths.
    Postgres,
}

impl SqlDialect {
    /// Every dialect, in the order the docs list them.
    pub const ALL: [SqlDialect; 3] = [SqlDialect::Spark, SqlDialect::DuckDb, SqlDialect::Postgres];

    /// The dialect's name on the command line: `spark`, `duckdb`, `postgres`.
    pub fn name(self) -> &'static str {
        match self {
            SqlDialect::Spark => "spark",
            SqlDialect::DuckDb => "duckdb",
            SqlDialect::Postgres => "postgres",
        }
    }
}

/// A string literal that `dialect` reads back as exactly `text`.
///
/// DuckDB and PostgreSQL read standard literals: a quote is doubled and a backslash is
/// itself. Spark reads backslash escapes, so a quote and a backslash are escaped with one,
/// and it substitutes variables (`${name}`) even inside literals, so `$` is written
/// `\u0024`. Control characters are spelled out, so that a statement
/// stays on its lines: `chr(10)` joined with `||` in DuckDB and PostgreSQL, `\u000A` in
/// Spark.
///
/// ```
/// use bonegraph::query::translate::{SqlDialect, sql_string};
/// assert_eq!(sql_string("it's", SqlDialect::Postgres), "'it''s'");
/// assert_eq!(sql_string(r"a\b", SqlDialect::DuckDb), r"'a\b'");
/// assert_eq!(sql_string(r"it's a\b", SqlDialect::Spark), r"'it\'s a\\b'");
/// assert_eq!(sql_string("a\nb", SqlDialect::Postgres), "('a' || chr(10) || 'b')");
/// assert_eq!(sql_string("a\nb", SqlDialect::Spark), r"'a\u000Ab'");
/// assert_eq!(sql_string("${HOME}", SqlDialect::Spark), r"'\u0024{HOME}'");
/// ```
pub fn sql_string(text: &str, dialect: SqlDialect) -> String {
    match dialect {
        SqlDialect::Spark => {
            let mut s = String::with_capacity(text.len() + 2);
            s.push('\'');
            for c in text.chars() {
                match c {
                    '\'' => s.push_str("\\'"),
                    '\\' => s.push_str("\\\\"),
                    // Spark substitutes `${...}` even inside literals.
                    '$' => s.push_str("\\u0024"),
                    c if c.is_control() => {
                        let _ = write!(s, "\\u{:04X}", u32::from(c));
                    }
                    c => s.push(c),
                }
            }
            s.push('\'');
            s
        }
        SqlDialect::DuckDb | SqlDialect::Postgres => {
            let mut parts: Vec<String> = Vec::new();
            let mut plain = String::new();
            for c in text.chars() {
                if c.is_control() {
                    if !plain.is_empty() {
                        parts.push(format!("'{}'", plain.replace('\'', "''")));
                        plain.clear();
                    }
                    parts.push(format!("chr({})", u32::from(c)));
                } else {
                    plain.push(c);
                }
            }
            if !plain.is_empty() || parts.is_empty() {
                parts.push(format!("'{}'", plain.replace('\'', "''")));
            }
            if parts.len() == 1 {
                parts.pop().expect("one part")
            } else {
                format!("({})", parts.join(" || "))
            }
        }
    }
}

/// Writes one query.
pub(super) struct Sql<'a> {
    kg: &'a KnowledgeGraph,
    dialect: SqlDialect,
    /// Counter for fresh table aliases.
    fresh: usize,
    /// Whether the text refers to the `up` CTE, so that the query defines it.
    uses_up: bool,
}

/// Steps each walk of a path query takes at most: half of [`MAX_PATH_HOPS`], rounded up.
const HALF_HOPS: usize = MAX_PATH_HOPS.div_ceil(2);

impl<'a> Sql<'a> {
    pub(super) fn new(kg: &'a KnowledgeGraph, dialect: SqlDialect) -> Self {
        Sql {
            kg,
            dialect,
            fresh: 0,
            uses_up: false,
        }
    }

    fn alias(&mut self, stem: &str) -> String {
        self.fresh += 1;
        format!("{stem}{}", self.fresh)
    }

    fn string(&self, text: &str) -> String {
        sql_string(text, self.dialect)
    }

    fn entity_id(&self, n: NodeIndex) -> String {
        self.string(&self.kg.entity(n).id)
    }

    fn hierarchy(&self) -> Option<RelId> {
        self.kg.schema().hierarchy
    }

    /// The `up` CTE: every entity with each of its ancestors, itself included.
    fn up(&mut self) -> &'static str {
        self.uses_up = true;
        "up"
    }

    pub(super) fn query(&mut self, plan: &ResolvedQuery) -> String {
        let body = match plan {
            ResolvedQuery::Set(p) => {
                let pred = self.top_pred(p, "x");
                format!(
                    "SELECT DISTINCT x.id AS id, x.name AS name\nFROM entities x\nWHERE {pred}\nORDER BY name"
                )
            }
            ResolvedQuery::Count(p) => {
                let pred = self.top_pred(p, "x");
                format!("SELECT COUNT(DISTINCT x.id) AS count\nFROM entities x\nWHERE {pred}")
            }
            ResolvedQuery::Describe(n) => {
                let id = self.entity_id(*n);
                format!(
                    "SELECT 'out' AS direction, e.relation AS relation, o.name AS name\n\
                     FROM edges e JOIN entities o ON o.id = e.to_id\n\
                     WHERE e.from_id = {id}\n\
                     UNION\n\
                     SELECT 'in' AS direction, e.relation AS relation, o.name AS name\n\
                     FROM edges e JOIN entities o ON o.id = e.from_id\n\
                     WHERE e.to_id = {id}\n\
                     ORDER BY direction, relation, name"
                )
            }
            ResolvedQuery::Values(v) => {
                let (from, _) = self.values(v);
                format!(
                    "SELECT DISTINCT x.id AS id, x.name AS name, v.value AS value\n{from}\nORDER BY name, value"
                )
            }
            ResolvedQuery::CountValues(v) => {
                // A class's value counts for a member unless the member states it itself in
                // the same words: (entity, statement) pairs, the class's dropped where the
                // member has its own.
                let (from, holder) = self.values(v);
                let cand = format!(
                    "candidates (id, statement, value, holder) AS (\n  SELECT x.id, v.id, v.value, {holder}\n  {}\n)",
                    from.replace('\n', "\n  "),
                );
                let body = "SELECT COUNT(*) AS count FROM (\n  \
                     SELECT DISTINCT c.id, c.statement\n  \
                     FROM candidates c\n  \
                     LEFT JOIN (SELECT DISTINCT id, value FROM candidates WHERE holder = id) o\n    \
                     ON o.id = c.id AND o.value = c.value\n  \
                     WHERE c.holder = c.id OR o.id IS NULL\n) n";
                return self.with(vec![cand], body);
            }
            ResolvedQuery::Path { from, to, limit } => return self.path(*from, *to, *limit),
        };
        self.with(Vec::new(), &body)
    }

    /// The query with its CTEs: `up` first when the text uses it, then `more`. For Spark,
    /// `up` is the view the export's `spark.sql` makes
    /// ([`spark_hierarchy`](crate::interchange::sql::spark_hierarchy)).
    fn with(&self, more: Vec<String>, body: &str) -> String {
        let mut ctes = Vec::new();
        if self.uses_up && self.dialect != SqlDialect::Spark {
            let h = self
                .hierarchy()
                .expect("`up` is used only with a hierarchy");
            let rel = self.string(&self.kg.schema().relation(h).id);
            ctes.push(format!(
                "up (node, anc) AS (\n  SELECT id, id FROM entities\n  UNION\n  \
                 SELECT up.node, h.to_id FROM up\n  \
                 JOIN (SELECT DISTINCT from_id, to_id FROM edges WHERE relation = {rel}) h ON h.from_id = up.anc\n)"
            ));
        }
        ctes.extend(more);
        if ctes.is_empty() {
            format!("{body};\n")
        } else {
            let recursive = if self.uses_up {
                "WITH RECURSIVE "
            } else {
                "WITH "
            };
            format!("{recursive}{}\n{body};\n", ctes.join(",\n"))
        }
    }

    /// `FROM ... WHERE ...` of an attribute question: `x` each entity of the target, `v`
    /// each value it has, its own or (through `u`, a row of `up`) a class's; and the column
    /// that holds the entity stating the value.
    fn values(&mut self, v: &super::super::plan::ValuesPlan) -> (String, &'static str) {
        let key = self.string(&self.kg.schema().attributes[usize::from(v.attribute)].id);
        let mut parts = Vec::new();
        match self.top_pred(&v.target, "x") {
            p if p == "TRUE" => {}
            p => parts.push(p),
        }
        parts.push(format!("v.key = {key}"));
        if inferred_values(self.kg) {
            parts.push("(v.basis IS NULL OR v.basis <> 'inferred')".to_owned());
        }
        parts.extend(self.conditions("v", &v.conditions));
        // A condition on a field that does not pass to members (`rank`) holds only for the
        // entity's own values.
        let (join, holder) =
            if self.hierarchy().is_some() && !PlanCondition::own_only(&v.conditions) {
                let up = self.up();
                (
                    format!("JOIN {up} u ON u.node = x.id\nJOIN attributes v ON v.entity = u.anc"),
                    "u.anc",
                )
            } else {
                ("JOIN attributes v ON v.entity = x.id".to_owned(), "x.id")
            };
        (
            format!("FROM entities x\n{join}\nWHERE {}", parts.join("\n  AND ")),
            holder,
        )
    }

    /// One predicate per condition on the claim columns of the row `var` of `edges` or
    /// `attributes`.
    fn conditions(&self, var: &str, conditions: &[PlanCondition]) -> Vec<String> {
        claim_tests(self.kg, var, conditions, &|t| self.string(t), &|items| {
            format!("({})", items.join(", "))
        })
    }

    /// [`Self::pred`] for the `WHERE` of the whole query: a selection's parts one per line.
    fn top_pred(&mut self, plan: &Plan, var: &str) -> String {
        match plan {
            Plan::Select {
                kind,
                filters,
                conditions,
                ..
            } if kind.is_some() || !filters.is_empty() => self
                .select_parts(*kind, filters, conditions, var)
                .join("\n  AND "),
            _ => self.pred(plan, var),
        }
    }

    fn select_parts(
        &mut self,
        kind: Option<KindId>,
        filters: &[PlanFilter],
        conditions: &[PlanCondition],
        var: &str,
    ) -> Vec<String> {
        let mut parts = Vec::new();
        if let Some(k) = kind {
            parts.push(self.kind_pred(k, var));
        }
        for f in filters {
            let rows = self.filter(f, conditions);
            parts.push(format!("{var}.id IN ({rows})"));
        }
        parts
    }

    /// A predicate that holds when the row `var` of `entities` is a member of `plan`.
    fn pred(&mut self, plan: &Plan, var: &str) -> String {
        match plan {
            Plan::Entity(n) => format!("{var}.id = {}", self.entity_id(*n)),
            Plan::Select {
                kind,
                filters,
                conditions,
                ..
            } => {
                let mut parts = self.select_parts(*kind, filters, conditions, var);
                match parts.len() {
                    0 => "TRUE".to_owned(),
                    1 => parts.pop().expect("one part"),
                    _ => format!("({})", parts.join(" AND ")),
                }
            }
            Plan::Binary { op, lhs, rhs, .. } => {
                let l = self.pred(lhs, var);
                let r = self.pred(rhs, var);
                match op {
                    SetOp::And => format!("({l} AND {r})"),
                    SetOp::Or => format!("({l} OR {r})"),
                    SetOp::Except => format!("({l} AND NOT {r})"),
                }
            }
        }
    }

    /// `var.id IN (members of kind k)`: entities of the kind and their `is_a` descendants.
    fn kind_pred(&mut self, k: KindId, var: &str) -> String {
        let kind = self.string(&self.kg.schema().kind(k).id);
        if self.hierarchy().is_none() {
            return format!("{var}.kind = {kind}");
        }
        let (u, c) = (self.alias("u"), self.alias("c"));
        let up = self.up();
        format!(
            "{var}.id IN (SELECT {u}.node FROM {up} {u} JOIN entities {c} ON {c}.id = {u}.anc WHERE {c}.kind = {kind})"
        )
    }

    /// A predicate that holds when `column` holds the id of a member of `target`.
    fn target_in(&mut self, target: &Plan, column: &str) -> String {
        match target {
            Plan::Entity(n) => format!("{column} = {}", self.entity_id(*n)),
            Plan::Select {
                kind: None,
                filters,
                ..
            } if filters.is_empty() => "TRUE".to_owned(),
            _ => {
                let t = self.alias("t");
                let pred = self.pred(target, &t);
                format!("{column} IN (SELECT {t}.id FROM entities {t} WHERE {pred})")
            }
        }
    }

    /// A `SELECT` of the ids of the rows that pass the filter `f`, whose matching claims meet
    /// `conditions`.
    fn filter(&mut self, f: &PlanFilter, conditions: &[PlanCondition]) -> String {
        let e = self.alias("e");
        let mut wheres = Vec::new();
        if let Some(h) = self.hierarchy().filter(|&h| h == f.rel) {
            let u = self.alias("u");
            let up = self.up();
            if conditions.is_empty() {
                // The hierarchy read transitively, the entity itself excluded.
                let (row, target) = match f.direction {
                    Direction::Forward => ("node", "anc"),
                    Direction::Inverse => ("anc", "node"),
                };
                let t = self.target_in(&f.target, &format!("{u}.{target}"));
                return format!("SELECT {u}.{row} FROM {up} {u} WHERE {u}.node <> {u}.anc AND {t}");
            }
            // The row's own step meets the conditions; zero or more steps on to the target.
            let rel = self.string(&self.kg.schema().relation(h).id);
            wheres.push(format!("{e}.relation = {rel}"));
            wheres.extend(self.conditions(&e, conditions));
            let (row, join, target) = match f.direction {
                Direction::Forward => ("from_id", format!("{u}.node = {e}.to_id"), "anc"),
                Direction::Inverse => ("to_id", format!("{u}.anc = {e}.from_id"), "node"),
            };
            wheres.push(self.target_in(&f.target, &format!("{u}.{target}")));
            return format!(
                "SELECT {e}.{row} FROM edges {e} JOIN {up} {u} ON {join} WHERE {}",
                wheres.join(" AND ")
            );
        }
        let types: Vec<String> = widened(self.kg, f.rel)
            .iter()
            .map(|&r| self.string(&self.kg.schema().relation(r).id))
            .collect();
        wheres.push(if types.len() == 1 {
            format!("{e}.relation = {}", types[0])
        } else {
            format!("{e}.relation IN ({})", types.join(", "))
        });
        wheres.extend(self.conditions(&e, conditions));
        let (row_end, target_end) = match f.direction {
            Direction::Forward => ("from_id", "to_id"),
            Direction::Inverse => ("to_id", "from_id"),
        };
        // With a condition on a field that does not pass to members (`rank`), only the row's
        // own edge to the target itself counts.
        if self.hierarchy().is_none() || PlanCondition::own_only(conditions) {
            wheres.push(self.target_in(&f.target, &format!("{e}.{target_end}")));
            return format!(
                "SELECT {e}.{row_end} FROM edges {e} WHERE {}",
                wheres.join(" AND ")
            );
        }
        // The edge a -r-> b: the row reaches `a` (forward) or `b` (inverse) through zero or
        // more steps up, and so does the target the other end.
        let (ur, ut) = (self.alias("u"), self.alias("u"));
        let up = self.up();
        let target = self.target_in(&f.target, &format!("{ut}.node"));
        if target != "TRUE" {
            wheres.push(target);
        }
        format!(
            "SELECT {ur}.node FROM edges {e} JOIN {up} {ur} ON {ur}.anc = {e}.{row_end} \
             JOIN {up} {ut} ON {ut}.anc = {e}.{target_end} WHERE {}",
            wheres.join(" AND ")
        )
    }

    /// Up to `limit` shortest paths of at most [`MAX_PATH_HOPS`] steps, following edges
    /// either way, that visit no entity twice: `hops` and the entities' `names` in order.
    fn path(&mut self, from: NodeIndex, to: NodeIndex, limit: usize) -> String {
        let (a, b) = (self.entity_id(from), self.entity_id(to));
        let d = self.dialect;
        let arr = |x: &str| match d {
            SqlDialect::Spark => format!("array({x})"),
            SqlDialect::DuckDb => format!("[{x}]"),
            SqlDialect::Postgres => format!("ARRAY[{x}]"),
        };
        let contains = |list: &str, x: &str| match d {
            SqlDialect::Spark => format!("array_contains({list}, {x})"),
            SqlDialect::DuckDb => format!("list_contains({list}, {x})"),
            SqlDialect::Postgres => format!("({x} = ANY({list}))"),
        };
        let append = |list: &str, x: &str| match d {
            SqlDialect::Spark => format!("concat({list}, array({x}))"),
            SqlDialect::DuckDb => format!("list_append({list}, {x})"),
            SqlDialect::Postgres => format!("{list} || {x}"),
        };
        let prepend = |x: &str, list: &str| match d {
            SqlDialect::Spark => format!("concat(array({x}), {list})"),
            SqlDialect::DuckDb => format!("list_prepend({x}, {list})"),
            SqlDialect::Postgres => format!("{x} || {list}"),
        };
        // Elements first..=last (1-based) of a list.
        let slice = |list: &str, first: &str, last: &str| match d {
            SqlDialect::Spark => format!("slice({list}, {first}, {last} - {first} + 1)"),
            SqlDialect::DuckDb | SqlDialect::Postgres => format!("{list}[{first}:{last}]"),
        };
        let overlap = |x: &str, y: &str| match d {
            SqlDialect::Spark => format!("arrays_overlap({x}, {y})"),
            SqlDialect::DuckDb => format!("list_has_any({x}, {y})"),
            SqlDialect::Postgres => format!("({x} && {y})"),
        };
        let concat = |x: &str, y: &str| match d {
            SqlDialect::Spark => format!("concat({x}, {y})"),
            SqlDialect::DuckDb => format!("list_concat({x}, {y})"),
            SqlDialect::Postgres => format!("{x} || {y}"),
        };
        let half = HALF_HOPS;
        let walk = |name: &str, start: &str, forward: bool| {
            // `ids`/`names` run from the start to `node` for the walk from the first entity,
            // and from `node` to the end for the walk from the last one.
            let (ids, names) = if forward {
                (append("w.ids", "j.b"), append("w.names", "j.b_name"))
            } else {
                (prepend("j.b", "w.ids"), prepend("j.b_name", "w.names"))
            };
            format!(
                "{name} (node, hops, ids, names) AS (\n  \
                 SELECT id, 0, {}, {} FROM entities WHERE id = {start}\n  \
                 UNION ALL\n  \
                 SELECT j.b, w.hops + 1, {ids}, {names}\n  \
                 FROM {name} w JOIN steps j ON j.a = w.node\n  \
                 WHERE w.hops < {half} AND NOT {}\n)",
                arr("id"),
                arr("name"),
                contains("w.ids", "j.b"),
            )
        };
        let steps = "steps (a, b, b_name) AS (\n  \
             SELECT e.from_id, e.to_id, t.name FROM edges e JOIN entities t ON t.id = e.to_id\n  \
             UNION ALL\n  \
             SELECT e.to_id, e.from_id, f.name FROM edges e JOIN entities f ON f.id = e.from_id\n)";
        let ctes = [
            steps.to_owned(),
            walk("from_start", &a, true),
            walk("from_end", &b, false),
        ];
        // Each path of n steps once: ceil(n / 2) steps from the start, the rest from the end,
        // meeting at `node`; the two halves share no entity but that one.
        let body = format!(
            "SELECT s.hops + e.hops AS hops, {} AS names\n\
             FROM from_start s JOIN from_end e ON e.node = s.node\n\
             WHERE (s.hops = e.hops OR s.hops = e.hops + 1) AND s.hops > 0\n  \
             AND NOT {}\n\
             ORDER BY hops\nLIMIT {limit};\n",
            concat("s.names", &slice("e.names", "2", "e.hops + 1")),
            overlap(&slice("s.ids", "1", "s.hops"), "e.ids"),
        );
        format!("WITH RECURSIVE {}\n{body}", ctes.join(",\n"))
    }
}
