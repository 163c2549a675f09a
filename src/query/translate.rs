//! A resolved query as SPARQL (over the RDF export), Cypher (over the property-graph export)
//! or SQL (over the tables of the Parquet export, for Spark, DuckDB and PostgreSQL: see
//! [`SqlDialect`] and the `sql` submodule's notes below), with the same meaning as
//! bonegraph's own evaluation: the same answer set, from a triple store, a graph database or
//! a SQL engine.
//!
//! The translation works from the typed resolved query, after names, kinds and phrases have
//! been resolved against the graph, so the text it emits names entity IRIs or ids, kind
//! classes and relation types exactly as `crate::interchange` exports them. What the
//! language means (grammar/README.md) is spelled out in the target language:
//!
//! - a phrase includes every relation type that refines its relation: an alternation of
//!   properties (`rel:treats|rel:relieves|...`) or relationship types (`[:treats|relieves]`);
//! - what is said of a class holds for its members at both ends of an edge: `x -r-> y` counts
//!   for every `is_a` descendant of `x` and every target whose `is_a` ancestors include `y`,
//!   as zero-or-more hierarchy steps on each side (`rdfs:subClassOf*`, `[:is_a*0..]`);
//! - members of a kind are the entities of that kind and their `is_a` descendants;
//! - the hierarchy phrases (`that are`, `including`) read the hierarchy transitively,
//!   excluding the entity itself (`rdfs:subClassOf+`, `[:is_a*1..]`);
//! - `and`, `or` and `except` are joins, unions and `MINUS` (SPARQL), or `AND`, `OR` and
//!   `AND NOT` over predicates (Cypher);
//! - in a graph without a hierarchy relation the hierarchy steps are left out;
//! - `describe X` lists X's relations, out and in, as (direction, relation, name) rows;
//! - `path`/`paths` become shortest-path and bounded simple-path matches in Cypher. SPARQL
//!   1.1 can test reachability with property paths but cannot return a path or its length,
//!   so path queries are refused for SPARQL with an explanation;
//! - `LABEL of T` reads the exported attribute values, an entity's own and its classes'
//!   (through zero or more hierarchy steps), leaving out a class's value that the entity
//!   states itself in the same words, as bonegraph does: the reified statements
//!   (`rdf:subject`, `rdf:predicate attr:A`, `rdf:object`) in SPARQL, the `Attribute` nodes
//!   in Cypher;
//! - conditions (`where frequency is rare`) were resolved to the exact values they accept, so
//!   they become tests on the claim of each edge or value as exported: the statement's
//!   `bg:` properties in SPARQL, the relationship's or `Attribute` node's properties in
//!   Cypher. A condition on a field that does not pass to members (`rank`) keeps only the
//!   row's own edge to the target, with no hierarchy steps; on `that are X`/`including X` it
//!   tests the row's own `is_a` step.
//!
//! Set queries return `id`/`entity` and `name` (the label), sorted by name; attribute
//! questions add `value`; `count` returns `count` (of entities, or of value claims). Rows reached through inheritance carry no witness here: the target languages
//! return the answer set, not bonegraph's evidence.

use super::ast::SetOp;
use super::error::{ErrorKind, QueryError};
use super::plan::{ConditionTest, Plan, PlanCondition, PlanFilter, ResolvedQuery, ValuesPlan};
use super::{MAX_PATH_HOPS, Prepared};
use crate::graph::{Direction, KindId, KnowledgeGraph, RelId};
use crate::inheritance::Field;
use crate::interchange::names::{
    ATTRIBUTE_LABEL, ENTITY_LABEL, HAS_ATTRIBUTE, RDF, RdfNames, cypher_ident, iri_ref, rdf_string,
    spell_iri,
};
pub use crate::interchange::pg::Dialect;
use crate::model::Certainty;
use std::fmt::Write as _;

mod sql;
pub use sql::{SqlDialect, sql_string};

/// The languages a query translates to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// SPARQL 1.1, over the RDF export (N-Triples or Turtle).
    Sparql,
    /// Cypher, over the property-graph export (Cypher script or CSV). Set queries are the
    /// same text in both dialects; path queries and cards differ, because shortest paths
    /// have no common syntax.
    Cypher(Dialect),
    /// SQL over the tables of `bonegraph export parquet` (`entities`, `edges`,
    /// `attributes`), for Spark, DuckDB or PostgreSQL. Set queries differ between the
    /// dialects only in how strings are written; path queries use each engine's arrays.
    Sql(SqlDialect),
}

impl KnowledgeGraph {
    /// Translates a query to SPARQL, Cypher or SQL with the same answer set over this graph's
    /// export. The RDF IRIs are built by `names` (the base the export used; only SPARQL
    /// reads it).
    ///
    /// ```
    /// use bonegraph::query::translate::{Dialect, SqlDialect, Target};
    /// use bonegraph::interchange::names::RdfNames;
    ///
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let q = kg.prepare("side effects of Zometa")?;
    /// let sparql = kg.translate(&q, Target::Sparql, &RdfNames::default())?;
    /// assert!(sparql.contains("SELECT DISTINCT ?entity ?name"));
    /// let cypher = kg.translate(&q, Target::Cypher(Dialect::Kuzu), &RdfNames::default())?;
    /// assert!(cypher.contains("RETURN DISTINCT x.id AS id, x.name AS name"));
    ///
    /// // DuckDB and PostgreSQL define the hierarchy closure in the query; Spark reads the
    /// // cached `up` view that the export's spark.sql builds.
    /// let duckdb = kg.translate(&q, Target::Sql(SqlDialect::DuckDb), &RdfNames::default())?;
    /// assert!(duckdb.starts_with("WITH RECURSIVE up (node, anc) AS ("));
    /// let spark = kg.translate(&q, Target::Sql(SqlDialect::Spark), &RdfNames::default())?;
    /// assert!(spark.starts_with("SELECT DISTINCT x.id AS id, x.name AS name"));
    /// assert!(spark.contains("FROM up u1"));
    ///
    /// // SPARQL cannot return a path: the refusal says so.
    /// let path = kg.prepare("path from lung cancer to paralysis")?;
    /// let err = kg.translate(&path, Target::Sparql, &RdfNames::default()).unwrap_err();
    /// assert_eq!(err.kind, bonegraph::ErrorKind::NotTranslatable);
    /// # Ok::<(), bonegraph::QueryError>(())
    /// ```
    pub fn translate(
        &self,
        query: &Prepared,
        target: Target,
        names: &RdfNames,
    ) -> Result<String, QueryError> {
        let whole = super::ast::Span::new(0, query.text().len());
        match target {
            Target::Sparql => Sparql::new(self, names).query(query.plan(), whole),
            Target::Cypher(dialect) => Ok(Cypher::new(self, dialect).query(query.plan())),
            Target::Sql(dialect) => Ok(sql::Sql::new(self, dialect).query(query.plan())),
        }
    }
}

/// Whether a query has conditions (`where ...`) anywhere.
fn has_conditions(plan: &ResolvedQuery) -> bool {
    fn walk(plan: &Plan) -> bool {
        match plan {
            Plan::Entity(_) => false,
            Plan::Select {
                filters,
                conditions,
                ..
            } => !conditions.is_empty() || filters.iter().any(|f| walk(&f.target)),
            Plan::Binary { lhs, rhs, .. } => walk(lhs) || walk(rhs),
        }
    }
    match plan {
        ResolvedQuery::Set(p) | ResolvedQuery::Count(p) => walk(p),
        ResolvedQuery::Values(v) | ResolvedQuery::CountValues(v) => {
            !v.conditions.is_empty() || walk(&v.target)
        }
        ResolvedQuery::Describe(_) | ResolvedQuery::Path { .. } => false,
    }
}

/// Whether the graph holds attribute values its authors inferred (`basis: Inferred`): the
/// exports keep them, answers do not, so translations leave them out.
fn inferred_values(kg: &KnowledgeGraph) -> bool {
    kg.nodes().any(|n| {
        kg.entity(n)
            .attributes
            .iter()
            .any(|a| a.claim.basis == Some(crate::model::Basis::Inferred))
    })
}

/// A text qualifier's property (`bg:...`) or column: `hedge` for the words of a certainty.
fn field_name(field: Field) -> &'static str {
    match field {
        Field::Certainty => "hedge",
        other => other.as_str(),
    }
}

/// Relation types a phrase of `rel` includes, in schema order.
fn widened(kg: &KnowledgeGraph, rel: RelId) -> &[RelId] {
    kg.schema().refinements(rel)
}

/// One predicate per condition on the claim of `var` (a Cypher relationship or `Attribute`
/// node, a row of SQL's `edges` or `attributes`), in the syntax Cypher and SQL share: `string`
/// writes a string literal and `list` a list of them (`[a, b]` in Cypher, `(a, b)` in SQL).
fn claim_tests(
    kg: &KnowledgeGraph,
    var: &str,
    conditions: &[PlanCondition],
    string: &dyn Fn(&str) -> String,
    list: &dyn Fn(Vec<String>) -> String,
) -> Vec<String> {
    conditions
        .iter()
        .map(|c| match &c.test {
            ConditionTest::Certainty(Certainty::Established) => {
                format!("({var}.certainty IS NULL OR {var}.certainty = 'established')")
            }
            ConditionTest::Certainty(k) => format!(
                "{var}.certainty = {}",
                string(crate::inheritance::certainty_word(*k))
            ),
            ConditionTest::Text { field, values } => {
                let items = values.iter().map(|x| string(x)).collect();
                format!("{var}.{} IN {}", field_name(*field), list(items))
            }
            ConditionTest::Section(sections) => {
                // Grouped by source: (source = s AND section IN [...]) OR ...
                let mut by_source: Vec<(u16, Vec<String>)> = Vec::new();
                for &(src, sec) in sections {
                    let source = &kg.sources()[usize::from(src.0)];
                    let id = string(&source.sections[usize::from(sec)].0);
                    match by_source.last_mut() {
                        Some((s, ids)) if *s == src.0 => ids.push(id),
                        _ => by_source.push((src.0, vec![id])),
                    }
                }
                let alternatives: Vec<String> = by_source
                    .into_iter()
                    .map(|(src, ids)| {
                        let source = string(&kg.sources()[usize::from(src)].id);
                        format!(
                            "({var}.source = {source} AND {var}.section IN {})",
                            list(ids)
                        )
                    })
                    .collect();
                if alternatives.len() == 1 {
                    alternatives.into_iter().next().expect("one")
                } else {
                    format!("({})", alternatives.join(" OR "))
                }
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// SPARQL

struct Sparql<'a> {
    kg: &'a KnowledgeGraph,
    names: &'a RdfNames,
    /// Counter for fresh variables.
    fresh: usize,
}

const SUBCLASS: &str = "rdfs:subClassOf";

impl<'a> Sparql<'a> {
    fn new(kg: &'a KnowledgeGraph, names: &'a RdfNames) -> Self {
        Sparql {
            kg,
            names,
            fresh: 0,
        }
    }

    fn var(&mut self, stem: &str) -> String {
        self.fresh += 1;
        format!("?{stem}{}", self.fresh)
    }

    fn prologue(&self) -> String {
        let mut s = String::new();
        for p in ["bg", "kind", "rel", "e"] {
            let ns = self.names.namespace(p).expect("a known prefix");
            let _ = writeln!(s, "PREFIX {p}: {}", iri_ref(&ns));
        }
        let _ = writeln!(
            s,
            "PREFIX rdfs: {}",
            iri_ref(crate::interchange::names::RDFS)
        );
        s
    }

    /// The prologue, with `rdf:` for the reified statements that conditions read.
    fn conditions_prologue(&self, plan: &ResolvedQuery) -> String {
        let mut s = self.prologue();
        if has_conditions(plan) {
            let _ = writeln!(s, "PREFIX rdf: {}", iri_ref(RDF));
        }
        s
    }

    /// The prologue of an attribute question: `attr:` for the attribute's property, `rdf:`
    /// for the statements that state each value.
    fn values_prologue(&self, _: &ValuesPlan) -> String {
        let mut s = self.prologue();
        let ns = self.names.namespace("attr").expect("a known prefix");
        let _ = writeln!(s, "PREFIX attr: {}", iri_ref(&ns));
        let _ = writeln!(s, "PREFIX rdf: {}", iri_ref(RDF));
        s
    }

    /// Binds `?entity` to each entity of the target and `?st` to each statement of a value it
    /// has, `?value` to the value: its own, or its classes' (`rdfs:subClassOf*`), leaving out a
    /// class's value that the entity states itself in the same words, as bonegraph does.
    fn values_pattern(&mut self, v: &ValuesPlan, out: &mut String) {
        let pad = "  ";
        self.pattern(&v.target, "?entity", 1, out);
        let attr = self.term(
            "attr",
            &self
                .names
                .attribute(&self.kg.schema().attributes[usize::from(v.attribute)].id),
        );
        let holder = if self.has_hierarchy() {
            let h = self.var("holder");
            self.up_star("?entity", &h, pad, out);
            h
        } else {
            "?entity".to_owned()
        };
        let _ = writeln!(
            out,
            "{pad}?st rdf:subject {holder} ; rdf:predicate {attr} ; rdf:object ?value ."
        );
        if inferred_values(self.kg) {
            let _ = writeln!(
                out,
                "{pad}FILTER NOT EXISTS {{ ?st bg:basis \"inferred\" }}"
            );
        }
        self.conditions("?st", &v.conditions, pad, out);
        if holder != "?entity" {
            let own = self.var("own");
            let mut same = String::new();
            let _ = writeln!(
                same,
                "{pad}  {own} rdf:subject ?entity ; rdf:predicate {attr} ; rdf:object ?value ."
            );
            if inferred_values(self.kg) {
                let _ = writeln!(
                    same,
                    "{pad}  FILTER NOT EXISTS {{ {own} bg:basis \"inferred\" }}"
                );
            }
            self.conditions(&own, &v.conditions, &format!("{pad}  "), &mut same);
            let _ = write!(
                out,
                "{pad}FILTER({holder} = ?entity || NOT EXISTS {{\n{same}{pad}}})\n"
            );
        }
    }

    /// Patterns that hold when the statement `st` meets every condition.
    fn conditions(&mut self, st: &str, conditions: &[PlanCondition], pad: &str, out: &mut String) {
        for c in conditions {
            match &c.test {
                ConditionTest::Certainty(Certainty::Established) => {
                    let v = self.var("certainty");
                    let _ = writeln!(
                        out,
                        "{pad}FILTER NOT EXISTS {{ {st} bg:certainty {v} . FILTER({v} != \"established\") }}"
                    );
                }
                ConditionTest::Certainty(k) => {
                    let _ = writeln!(
                        out,
                        "{pad}{st} bg:certainty {} .",
                        rdf_string(crate::inheritance::certainty_word(*k))
                    );
                }
                ConditionTest::Text { field, values } => {
                    let v = self.var(field_name(*field));
                    let list: Vec<String> = values.iter().map(|x| rdf_string(x)).collect();
                    let _ = writeln!(
                        out,
                        "{pad}{st} bg:{} {v} . FILTER({v} IN ({}))",
                        field_name(*field),
                        list.join(", ")
                    );
                }
                ConditionTest::Section(sections) => {
                    let v = self.var("section");
                    let list: Vec<String> = sections
                        .iter()
                        .map(|&(src, sec)| {
                            let source = &self.kg.sources()[usize::from(src.0)];
                            iri_ref(
                                &self
                                    .names
                                    .section(&source.id, &source.sections[usize::from(sec)].0),
                            )
                        })
                        .collect();
                    let _ = writeln!(
                        out,
                        "{pad}{st} bg:section {v} . FILTER({v} IN ({}))",
                        list.join(", ")
                    );
                }
            }
        }
    }

    /// `prefix:local` when the local part allows it, else `<iri>`.
    fn term(&self, prefix: &str, iri: &str) -> String {
        let ns = self.names.namespace(prefix).expect("a known prefix");
        spell_iri(prefix, &ns, iri)
    }

    fn entity(&self, n: petgraph::graph::NodeIndex) -> String {
        self.term("e", &self.names.entity(&self.kg.entity(n).id))
    }

    fn kind(&self, k: KindId) -> String {
        self.term("kind", &self.names.kind(&self.kg.schema().kind(k).id))
    }

    /// The property an edge of `rel` is written with.
    fn property(&self, rel: RelId) -> String {
        if Some(rel) == self.kg.schema().hierarchy {
            SUBCLASS.to_owned()
        } else {
            self.term(
                "rel",
                &self.names.relation(&self.kg.schema().relation(rel).id),
            )
        }
    }

    /// Zero or more hierarchy steps from `a` up to `b`.
    fn up_star(&self, a: &str, b: &str, pad: &str, out: &mut String) {
        let _ = writeln!(out, "{pad}{a} {SUBCLASS}* {b} .");
    }

    /// Whether the graph has a hierarchy; without one, members are just the entities of a
    /// kind and edges join the row and the target directly.
    fn has_hierarchy(&self) -> bool {
        self.kg.schema().hierarchy.is_some()
    }

    fn query(
        &mut self,
        plan: &ResolvedQuery,
        whole: super::ast::Span,
    ) -> Result<String, QueryError> {
        let mut s = self.conditions_prologue(plan);
        match plan {
            ResolvedQuery::Set(p) => {
                s.push_str("SELECT DISTINCT ?entity ?name WHERE {\n");
                self.pattern(p, "?entity", 1, &mut s);
                s.push_str("  ?entity rdfs:label ?name .\n}\nORDER BY ?name\n");
            }
            ResolvedQuery::Count(p) => {
                s.push_str("SELECT (COUNT(DISTINCT ?entity) AS ?count) WHERE {\n");
                self.pattern(p, "?entity", 1, &mut s);
                s.push_str("}\n");
            }
            ResolvedQuery::Describe(n) => {
                let e = self.entity(*n);
                // Each relation type's property with its id: this also keeps labels, types
                // and provenance out of the card.
                let relations: Vec<String> = (0..self.kg.schema().relations.len())
                    .map(|i| {
                        let rel = RelId(i as u16);
                        format!(
                            "({} {})",
                            self.property(rel),
                            rdf_string(&self.kg.schema().relation(rel).id)
                        )
                    })
                    .collect();
                let _ = write!(
                    s,
                    "SELECT DISTINCT ?direction ?relation ?name WHERE {{\n  \
                     VALUES (?p ?relation) {{ {} }}\n  \
                     {{ {e} ?p ?other . BIND(\"out\" AS ?direction) }}\n  \
                     UNION\n  \
                     {{ ?other ?p {e} . BIND(\"in\" AS ?direction) }}\n  \
                     ?other rdfs:label ?name .\n}}\nORDER BY ?direction ?relation ?name\n",
                    relations.join(" ")
                );
            }
            ResolvedQuery::Values(v) => {
                s = self.values_prologue(v);
                s.push_str("SELECT DISTINCT ?entity ?name ?value WHERE {\n");
                self.values_pattern(v, &mut s);
                s.push_str("  ?entity rdfs:label ?name .\n}\nORDER BY ?name ?value\n");
            }
            ResolvedQuery::CountValues(v) => {
                s = self.values_prologue(v);
                s.push_str("SELECT (COUNT(*) AS ?count) WHERE {\n  {\n    SELECT DISTINCT ?entity ?st WHERE {\n");
                let mut inner = String::new();
                self.values_pattern(v, &mut inner);
                for line in inner.lines() {
                    let _ = writeln!(s, "    {line}");
                }
                s.push_str("    }\n  }\n}\n");
            }
            ResolvedQuery::Path { .. } => {
                return Err(QueryError::new(
                    ErrorKind::NotTranslatable,
                    "SPARQL cannot return a path",
                    whole,
                )
                .help(
                    "SPARQL 1.1 property paths test whether two entities are connected, but \
                     return neither the path nor its length; translate paths to Cypher or SQL \
                     instead (`translate cypher` or `translate sql`, or `:cypher` in the shell)",
                ));
            }
        }
        Ok(s)
    }

    /// A group graph pattern that binds `var` to each member of `plan`.
    fn pattern(&mut self, plan: &Plan, var: &str, depth: usize, out: &mut String) {
        let pad = "  ".repeat(depth);
        match plan {
            Plan::Entity(n) => {
                let _ = writeln!(out, "{pad}VALUES {var} {{ {} }}", self.entity(*n));
            }
            Plan::Select {
                kind,
                filters,
                conditions,
                ..
            } => {
                for f in filters {
                    self.filter(f, conditions, var, depth, out);
                }
                match kind {
                    Some(k) if !self.has_hierarchy() => {
                        let _ = writeln!(out, "{pad}{var} a {} .", self.kind(*k));
                    }
                    Some(k) => {
                        let class = self.var("class");
                        let _ = writeln!(out, "{pad}{class} a {} .", self.kind(*k));
                        self.up_star(var, &class, &pad, out);
                    }
                    None if filters.is_empty() => {
                        let _ = writeln!(out, "{pad}{var} a/{SUBCLASS}* bg:Entity .");
                    }
                    // Every filter binds `var` to an entity already.
                    None => {}
                }
            }
            Plan::Binary { op, lhs, rhs, .. } => {
                let _ = writeln!(out, "{pad}{{");
                self.pattern(lhs, var, depth + 1, out);
                match op {
                    SetOp::And => {
                        let _ = writeln!(out, "{pad}}}\n{pad}{{");
                        self.pattern(rhs, var, depth + 1, out);
                    }
                    SetOp::Or => {
                        let _ = writeln!(out, "{pad}}} UNION {{");
                        self.pattern(rhs, var, depth + 1, out);
                    }
                    // MINUS, not FILTER NOT EXISTS: the right side is evaluated on its own
                    // and shares only `var` (its other variables are fresh), so no outer
                    // binding is substituted into it.
                    SetOp::Except => {
                        let _ = writeln!(out, "{pad}}} MINUS {{");
                        self.pattern(rhs, var, depth + 1, out);
                    }
                }
                let _ = writeln!(out, "{pad}}}");
            }
        }
    }

    fn filter(
        &mut self,
        f: &PlanFilter,
        conditions: &[PlanCondition],
        var: &str,
        depth: usize,
        out: &mut String,
    ) {
        let pad = "  ".repeat(depth);
        let t = self.var("t");
        self.pattern(&f.target, &t, depth, out);
        if Some(f.rel) == self.kg.schema().hierarchy {
            if conditions.is_empty() {
                // The hierarchy read transitively, the entity itself excluded.
                let _ = match f.direction {
                    Direction::Forward => writeln!(out, "{pad}{var} {SUBCLASS}+ {t} ."),
                    Direction::Inverse => writeln!(out, "{pad}{t} {SUBCLASS}+ {var} ."),
                };
                return;
            }
            // The row's own step (its statement meets the conditions), then zero or more
            // steps on to the target.
            let (m, st) = (self.var("m"), self.var("st"));
            let (subject, object) = match f.direction {
                Direction::Forward => (var, m.as_str()),
                Direction::Inverse => (m.as_str(), var),
            };
            let _ = writeln!(
                out,
                "{pad}{st} rdf:subject {subject} ; rdf:predicate {SUBCLASS} ; rdf:object {object} ."
            );
            self.conditions(&st, conditions, &pad, out);
            let _ = match f.direction {
                Direction::Forward => writeln!(out, "{pad}{m} {SUBCLASS}* {t} ."),
                Direction::Inverse => writeln!(out, "{pad}{t} {SUBCLASS}* {m} ."),
            };
            return;
        }
        let props: Vec<String> = widened(self.kg, f.rel)
            .iter()
            .map(|&r| self.property(r))
            .collect();
        let path = if props.len() == 1 {
            props[0].clone()
        } else {
            format!("({})", props.join("|"))
        };
        // With a condition on a field that does not pass to members (`rank`), only the row's
        // own edge to the target itself counts.
        let direct = !self.has_hierarchy() || PlanCondition::own_only(conditions);
        let (a, b) = if direct {
            match f.direction {
                Direction::Forward => (var.to_owned(), t.clone()),
                Direction::Inverse => (t.clone(), var.to_owned()),
            }
        } else {
            (self.var("a"), self.var("b"))
        };
        // The edge a -r-> b; the row side and the target side each reach it through zero or
        // more hierarchy steps up.
        let (row_end, target_end) = match f.direction {
            Direction::Forward => (&a, &b),
            Direction::Inverse => (&b, &a),
        };
        if !direct {
            self.up_star(&t, target_end, &pad, out);
        }
        if conditions.is_empty() {
            let _ = writeln!(out, "{pad}{a} {path} {b} .");
        } else {
            // The edge's statement, which carries its qualifiers and provenance.
            let (st, p) = (self.var("st"), self.var("p"));
            let _ = writeln!(
                out,
                "{pad}{st} rdf:subject {a} ; rdf:predicate {p} ; rdf:object {b} . FILTER({p} IN ({}))",
                props.join(", ")
            );
            self.conditions(&st, conditions, &pad, out);
        }
        if !direct {
            self.up_star(var, row_end, &pad, out);
        }
    }
}

// ---------------------------------------------------------------------------------------
// Cypher

struct Cypher<'a> {
    kg: &'a KnowledgeGraph,
    dialect: Dialect,
    fresh: usize,
}

impl<'a> Cypher<'a> {
    fn new(kg: &'a KnowledgeGraph, dialect: Dialect) -> Self {
        Cypher {
            kg,
            dialect,
            fresh: 0,
        }
    }

    fn var(&mut self, stem: &str) -> String {
        self.fresh += 1;
        format!("{stem}{}", self.fresh)
    }

    fn label(&self) -> String {
        cypher_ident(ENTITY_LABEL)
    }

    fn rel_type(&self, rel: RelId) -> String {
        cypher_ident(&self.kg.schema().relation(rel).id)
    }

    /// `-[:is_a*lo..]->`, or nothing at all when the graph has no hierarchy and `lo` is 0.
    fn hierarchy(&self, lo: usize) -> Option<String> {
        let h = self.kg.schema().hierarchy?;
        Some(format!("[:{}*{lo}..]", self.rel_type(h)))
    }

    /// A string literal the dialect reads back unchanged (Kuzu ignores `\n`-style escapes).
    fn string(&self, text: &str) -> String {
        crate::interchange::pg::string_literal(text, self.dialect)
    }

    fn entity_id(&self, n: petgraph::graph::NodeIndex) -> String {
        self.string(&self.kg.entity(n).id)
    }

    fn query(&mut self, plan: &ResolvedQuery) -> String {
        let node = self.label();
        match plan {
            ResolvedQuery::Set(p) => {
                let pred = self.top_pred(p, "x");
                format!(
                    "MATCH (x:{node})\nWHERE {pred}\nRETURN DISTINCT x.id AS id, x.name AS name\nORDER BY name;\n"
                )
            }
            ResolvedQuery::Count(p) => {
                let pred = self.top_pred(p, "x");
                format!("MATCH (x:{node})\nWHERE {pred}\nRETURN count(DISTINCT x) AS count;\n")
            }
            ResolvedQuery::Describe(n) => {
                let id = self.entity_id(*n);
                let type_of = match self.dialect {
                    Dialect::Neo4j => "type(r)",
                    Dialect::Kuzu => "label(r)",
                };
                format!(
                    "MATCH (x:{node})-[r]->(other:{node}) WHERE x.id = {id}\n\
                     RETURN 'out' AS direction, {type_of} AS relation, other.name AS name\n\
                     UNION\n\
                     MATCH (x:{node})<-[r]-(other:{node}) WHERE x.id = {id}\n\
                     RETURN 'in' AS direction, {type_of} AS relation, other.name AS name;\n"
                )
            }
            ResolvedQuery::Path { from, to, limit } => self.path(*from, *to, *limit),
            ResolvedQuery::Values(v) => {
                let body = self.values(v);
                format!(
                    "{body}\nRETURN DISTINCT x.id AS id, x.name AS name, v.value AS value\nORDER BY name, value;\n"
                )
            }
            ResolvedQuery::CountValues(v) => {
                let body = self.values(v);
                format!("{body}\nWITH DISTINCT x, v\nRETURN count(*) AS count;\n")
            }
        }
    }

    /// The `MATCH ... WHERE ...` of an attribute question: `x` each entity of the target, `v`
    /// each `Attribute` node of a value it has, its own or a class's (`[:is_a*0..]`), leaving
    /// out a class's value that the entity states itself in the same words.
    fn values(&mut self, v: &ValuesPlan) -> String {
        let node = self.label();
        let attr_node = cypher_ident(ATTRIBUTE_LABEL);
        let has = cypher_ident(HAS_ATTRIBUTE);
        let key = self.string(&self.kg.schema().attributes[usize::from(v.attribute)].id);
        let mut parts = Vec::new();
        match &v.target {
            Plan::Select { kind, filters, .. } if kind.is_some() || !filters.is_empty() => {
                parts.push(self.top_pred(&v.target, "x"));
            }
            target => match self.pred(target, "x") {
                p if p == "true" => {}
                p => parts.push(p),
            },
        }
        parts.push(format!("v.key = {key}"));
        let not_inferred =
            |var: &str| format!("({var}.basis IS NULL OR {var}.basis <> 'inferred')");
        if inferred_values(self.kg) {
            parts.push(not_inferred("v"));
        }
        parts.extend(self.conditions("v", &v.conditions));
        let pattern = match self.hierarchy(0) {
            Some(up) => {
                let mut same = vec![format!("w.key = {key}"), "w.value = v.value".to_owned()];
                if inferred_values(self.kg) {
                    same.push(not_inferred("w"));
                }
                same.extend(self.conditions("w", &v.conditions));
                parts.push(format!(
                    "(h.id = x.id OR NOT EXISTS {{ MATCH (x)-[:{has}]->(w:{attr_node}) WHERE {} }})",
                    same.join(" AND ")
                ));
                format!("(x:{node})-{up}->(h:{node})-[:{has}]->(v:{attr_node})")
            }
            None => format!("(x:{node})-[:{has}]->(v:{attr_node})"),
        };
        format!("MATCH {pattern}\nWHERE {}", parts.join("\n  AND "))
    }

    /// One predicate per condition on the claim properties of `var` (a relationship or an
    /// `Attribute` node).
    fn conditions(&self, var: &str, conditions: &[PlanCondition]) -> Vec<String> {
        claim_tests(self.kg, var, conditions, &|t| self.string(t), &|items| {
            format!("[{}]", items.join(", "))
        })
    }

    /// Every relation type, for path patterns (attribute values are not path steps).
    fn all_types(&self) -> String {
        self.kg
            .schema()
            .relations
            .iter()
            .map(|r| cypher_ident(&r.id))
            .collect::<Vec<_>>()
            .join("|")
    }

    fn path(
        &self,
        from: petgraph::graph::NodeIndex,
        to: petgraph::graph::NodeIndex,
        limit: usize,
    ) -> String {
        let node = self.label();
        let (a, b) = (self.entity_id(from), self.entity_id(to));
        let types = self.all_types();
        let hops = MAX_PATH_HOPS;
        match (self.dialect, limit) {
            (Dialect::Neo4j, 1) => format!(
                "MATCH (a:{node} {{id: {a}}}), (b:{node} {{id: {b}}})\n\
                 MATCH p = shortestPath((a)-[:{types}*1..{hops}]-(b))\n\
                 RETURN length(p) AS hops, [n IN nodes(p) | n.name] AS names;\n"
            ),
            (Dialect::Neo4j, _) => format!(
                "MATCH p = (a:{node} {{id: {a}}})-[:{types}*1..{hops}]-(b:{node} {{id: {b}}})\n\
                 WHERE all(n IN nodes(p) WHERE single(m IN nodes(p) WHERE m = n))\n\
                 RETURN length(p) AS hops, [n IN nodes(p) | n.name] AS names\n\
                 ORDER BY hops\nLIMIT {limit};\n"
            ),
            (Dialect::Kuzu, 1) => format!(
                "MATCH p = (a:{node})-[:{types}* SHORTEST 1..{hops}]-(b:{node})\n\
                 WHERE a.id = {a} AND b.id = {b}\n\
                 RETURN length(p) AS hops, properties(nodes(p), 'name') AS names\n\
                 LIMIT 1;\n"
            ),
            (Dialect::Kuzu, _) => format!(
                "MATCH p = (a:{node})-[:{types}* TRAIL 1..{hops}]-(b:{node})\n\
                 WHERE a.id = {a} AND b.id = {b} AND is_acyclic(p)\n\
                 RETURN length(p) AS hops, properties(nodes(p), 'name') AS names\n\
                 ORDER BY hops\nLIMIT {limit};\n"
            ),
        }
    }

    /// A predicate that holds when `var` is a member of `plan`.
    /// [`Self::pred`] for the `WHERE` of the whole query: a selection's conditions one per
    /// line, for people reading it.
    fn top_pred(&mut self, plan: &Plan, var: &str) -> String {
        match plan {
            Plan::Select {
                kind,
                filters,
                conditions,
                ..
            } if kind.is_some() || !filters.is_empty() => {
                let parts = self.select_parts(*kind, filters, conditions, var);
                parts.join("\n  AND ")
            }
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
            parts.push(self.filter(f, conditions, var));
        }
        parts
    }

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
                    0 => "true".to_owned(),
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

    fn kind_pred(&mut self, k: KindId, var: &str) -> String {
        let kind = self.string(&self.kg.schema().kind(k).id);
        match self.hierarchy(0) {
            None => format!("{var}.kind = {kind}"),
            Some(up) => {
                let c = self.var("c");
                let node = self.label();
                format!("EXISTS {{ MATCH ({var})-{up}->({c}:{node}) WHERE {c}.kind = {kind} }}")
            }
        }
    }

    fn filter(&mut self, f: &PlanFilter, conditions: &[PlanCondition], var: &str) -> String {
        let node = self.label();
        let t = self.var("t");
        let r = if conditions.is_empty() {
            String::new()
        } else {
            self.var("r")
        };
        let mut wheres: Vec<String> = match self.pred(&f.target, &t) {
            p if p == "true" => Vec::new(),
            p => vec![p],
        };
        wheres.extend(self.conditions(&r, conditions));
        let target = if wheres.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", wheres.join(" AND "))
        };
        if let Some(h) = self.kg.schema().hierarchy.filter(|&h| h == f.rel) {
            if conditions.is_empty() {
                let step = self.hierarchy(1).expect("the hierarchy relation exists");
                return match f.direction {
                    Direction::Forward => {
                        format!("EXISTS {{ MATCH ({var})-{step}->({t}:{node}){target} }}")
                    }
                    Direction::Inverse => {
                        format!("EXISTS {{ MATCH ({t}:{node})-{step}->({var}){target} }}")
                    }
                };
            }
            // The row's own step meets the conditions; zero or more steps on to the target.
            let up = self.hierarchy(0).expect("the hierarchy relation exists");
            let own = format!("[{r}:{}]", self.rel_type(h));
            let m = self.var("m");
            return match f.direction {
                Direction::Forward => format!(
                    "EXISTS {{ MATCH ({var})-{own}->({m}:{node})-{up}->({t}:{node}){target} }}"
                ),
                Direction::Inverse => format!(
                    "EXISTS {{ MATCH ({t}:{node})-{up}->({m}:{node})-{own}->({var}){target} }}"
                ),
            };
        }
        let types: Vec<String> = widened(self.kg, f.rel)
            .iter()
            .map(|&r| self.rel_type(r))
            .collect();
        let edge = if conditions.is_empty() {
            format!("[:{}]", types.join("|"))
        } else {
            format!("[{r}:{}]", types.join("|"))
        };
        let target_node = format!("{t}:{node}");
        // The edge a -r-> b, reached from the row and from the target through zero or more
        // hierarchy steps up: (row)-[:is_a*0..]->(a)-[:r]->(b)<-[:is_a*0..]-(t) for a forward
        // phrase, (t)-[:is_a*0..]->(a)-[:r]->(b)<-[:is_a*0..]-(row) for an inverse one.
        let (first, last) = match f.direction {
            Direction::Forward => (var, target_node.as_str()),
            Direction::Inverse => (target_node.as_str(), var),
        };
        let chain = match self
            .hierarchy(0)
            .filter(|_| !PlanCondition::own_only(conditions))
        {
            Some(up) => {
                let (a, b) = (self.var("a"), self.var("b"));
                format!("({first})-{up}->({a}:{node})-{edge}->({b}:{node})<-{up}-({last})")
            }
            None => format!("({first})-{edge}->({last})"),
        };
        format!("EXISTS {{ MATCH {chain}{target} }}")
    }
}
