//! Building the graph from a checked schema: entities, names, edges (with their provenance,
//! qualifiers and conflicts) and the typed adjacency. Every problem is reported with its
//! place in the file.

use super::progress::{EVERY, Phase, Progress};
use super::schema::kind_set_words;
use super::spans::Step;
use super::stream::{RelationRef, Relations};
use super::{Ctx, Validator, known};
use crate::diagnostic::Code;
use crate::graph::index::IdIndex;
use crate::graph::*;
use crate::intern::Interner;
use crate::model::{self, Basis, Certainty, GraphFile};
use crate::text::{Suggester, did_you_mean, normalize_into};
use petgraph::graph::{DiGraph, NodeIndex};
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

impl Validator<'_> {
    /// Builds the graph, taking `file`'s entities apart as it goes: their strings move into the
    /// graph, and the list is freed before the relations are read, so that a large file's
    /// entities are never held twice.
    pub(super) fn build(
        &mut self,
        file: GraphFile,
        relations: &Relations<'_>,
    ) -> Option<KnowledgeGraph> {
        let schema = self.schema(&file.schema);
        let sources = self.sources(&file.sources);
        let conflicts = self.conflicts(&file.conflicts);
        let entity_count = file.entities.len();
        if entity_count > u32::MAX as usize - 1 || relations.len() > u32::MAX as usize - 1 {
            self.error(
                Code::TooLarge,
                path!["entities"],
                "too many entities or relations".into(),
                None,
            );
            return None;
        }
        let mut source_index: HashMap<&str, (usize, HashMap<&str, usize>)> = HashMap::new();
        for (i, src) in sources.iter().enumerate() {
            source_index.entry(src.id.as_str()).or_insert_with(|| {
                let mut sections = HashMap::new();
                for (j, (id, _)) in src.sections.iter().enumerate() {
                    sections.entry(id.as_str()).or_insert(j);
                }
                (i, sections)
            });
        }
        let mut conflict_index: HashMap<&str, usize> = HashMap::new();
        for (i, c) in conflicts.iter().enumerate() {
            conflict_index.entry(c.id.as_str()).or_insert(i);
        }
        let ctx = Ctx {
            schema: &schema,
            sources: &sources,
            conflicts: &conflicts,
            source_index,
            conflict_index,
        };

        let mut graph: DiGraph<Entity, Edge, u32> =
            DiGraph::with_capacity(entity_count, relations.len());
        let mut by_id = IdIndex::with_capacity(entity_count);
        let names = entity_count + file.entities.iter().map(|e| e.aliases.len()).sum::<usize>();
        // Every name and alias, normalised, and the entity it names first: two entities may
        // not share one.
        let mut by_name = Interner::default();
        by_name.reserve(names);
        let mut named: Vec<NodeIndex> = Vec::with_capacity(names);
        let mut key = String::new();
        // The keys of this entity's names so far (a name and an alias may read the same).
        let mut own: Vec<String> = Vec::new();
        // Entities whose kind is unknown (an error already reported): their edges' kinds are
        // not checked.
        let mut unknown_kind: HashSet<NodeIndex> = HashSet::new();
        let mut by_kind = vec![Vec::new(); schema.kinds.len()];
        let kind_ids: Vec<&str> = schema.kinds.iter().map(|k| k.id.as_str()).collect();

        let items = (entity_count + relations.len()) as u64;
        let checking = |done: usize| Progress {
            phase: Phase::Checking,
            done: done as u64,
            total: items,
        };
        (self.progress)(checking(0));
        let GraphFile {
            name: graph_name,
            description,
            entities,
            ..
        } = file;
        for (i, e) in entities.into_iter().enumerate() {
            if i % EVERY == 0 && i > 0 {
                (self.progress)(checking(i));
            }
            self.empty_check(&e.id, path!["entities", i, "id"], "an entity id");
            self.empty_check(
                &e.name,
                path!["entities", i, "name"],
                &format!("the name of entity `{}`", e.id),
            );
            let kind = schema.kind_by_id(&e.kind);
            if kind.is_none() {
                self.error_lazy(
                    Code::UnknownKind,
                    path!["entities", i, "kind"],
                    format!("entity `{}` has unknown kind `{}`", e.id, e.kind),
                    || {
                        did_you_mean(&e.kind, kind_ids.iter().copied())
                            .or_else(|| Some(format!("known kinds: {}", known(&kind_ids))))
                    },
                );
            }
            let provenance = self.provenance(
                &ctx,
                e.source.as_deref(),
                e.section.as_deref(),
                path!["entities", i, "source"],
                path!["entities", i, "section"],
            );
            let attributes = e
                .attributes
                .iter()
                .enumerate()
                .filter_map(|(j, a)| self.attribute(&ctx, &e.id, a, i, j))
                .collect();
            let node = graph.add_node(Entity {
                id: e.id,
                kind: kind.unwrap_or(KindId(0)),
                name: e.name,
                aliases: e.aliases,
                summary: e.summary,
                provenance,
                attributes,
                critical: e.critical,
            });
            match kind {
                Some(k) => by_kind[usize::from(k.0)].push(node),
                None => {
                    unknown_kind.insert(node);
                }
            }
            let e = &graph[node];
            if let Some(first) = by_id.insert(&graph, node) {
                let first_line = self
                    .loc(path!["entities", first.index(), "id"])
                    .map(|l| format!(" (first defined on line {})", l.line));
                self.error(
                    Code::DuplicateId,
                    path!["entities", i, "id"],
                    format!(
                        "entity id `{}` is defined twice{}",
                        e.id,
                        first_line.unwrap_or_default()
                    ),
                    Some("rename one of them or merge the two entries".to_owned()),
                );
            }
            own.clear();
            for (j, name) in std::iter::once(&e.name).chain(&e.aliases).enumerate() {
                key.clear();
                normalize_into(name, &mut key);
                if key.is_empty() || own.contains(&key) {
                    if key.is_empty() && j > 0 {
                        self.error(
                            Code::Empty,
                            path!["entities", i, "aliases", j - 1],
                            format!("an alias of `{}` is empty", e.id),
                            None,
                        );
                    }
                    continue;
                }
                if j < e.aliases.len() {
                    own.push(key.clone());
                }
                match by_name.intern(&key) {
                    (at, false) => {
                        let other = named[at as usize];
                        let p: &[Step<'_>] = if j == 0 {
                            path!["entities", i, "name"]
                        } else {
                            path!["entities", i, "aliases", j - 1]
                        };
                        let other_e = &graph[other];
                        // Two spellings that look alike but differ in bytes: most likely one
                        // composed and one decomposed accent (NFC and NFD).
                        let looks_alike = std::iter::once(&other_e.name)
                            .chain(&other_e.aliases)
                            .any(|o| o != name && crate::text::nfc(o) == crate::text::nfc(name));
                        let forms = if looks_alike {
                            "; the two are spelt with different bytes that read the same (for example a composed and a decomposed accent), and names are compared after Unicode normalisation (NFC)"
                        } else {
                            ""
                        };
                        self.error(
                            Code::NameClash,
                            p,
                            format!(
                                "`{name}` names both `{}` and `{}`",
                                other_e.id, e.id
                            ),
                            Some(format!(
                                "a name or alias must pick out one entity; remove it from one of them{}{forms}",
                                self.loc(path!["entities", other.index(), "id"]).map(|l| format!(" (`{}` is on line {})", other_e.id, l.line)).unwrap_or_default()
                            )),
                        );
                    }
                    (_, true) => named.push(node),
                }
            }
        }

        // For the suggestions of dangling ids: every id, sorted, gathered on the first one.
        let all_ids: OnceCell<Vec<Box<str>>> = OnceCell::new();
        let entity_ids: OnceCell<Suggester<'_>> = OnceCell::new();
        let rel_ids: Vec<&str> = schema.relations.iter().map(|r| r.id.as_str()).collect();
        // Every edge's (from, relation, to, provenance) and place in the file: sorted after the
        // loop, equal neighbours are the duplicates. A fifth of the memory a hash set of them
        // took on a graph of millions of edges.
        let mut edge_keys: Vec<EdgeKey> = Vec::with_capacity(relations.len());
        let mut inferred: Vec<InferredEdge> = Vec::new();
        // What each interned endpoint text resolved to, so that an id named by a thousand
        // relations is looked up once.
        let mut resolved = vec![UNRESOLVED; relations.interned()];
        for i in 0..relations.len() {
            let r = relations.get(i);
            if i % EVERY == 0 {
                (self.progress)(checking(entity_count + i));
            }
            let rel = schema.relation_by_id(r.rel);
            if rel.is_none() {
                self.error_lazy(
                    Code::UnknownRelationType,
                    path!["relations", i, "rel"],
                    format!("unknown relation type `{}`", r.rel),
                    || {
                        did_you_mean(r.rel, rel_ids.iter().copied())
                            .or_else(|| Some(format!("known relation types: {}", known(&rel_ids))))
                    },
                );
            }
            let (from_key, to_key) = r.keys.unzip();
            let ends = (&by_id, &graph, &all_ids, &entity_ids);
            let from = self.endpoint(
                ends,
                &mut resolved,
                from_key,
                r.from,
                path!["relations", i, "from"],
            );
            let to = self.endpoint(
                ends,
                &mut resolved,
                to_key,
                r.to,
                path!["relations", i, "to"],
            );
            let provenance = self.provenance(
                &ctx,
                r.source,
                r.section,
                path!["relations", i, "source"],
                path!["relations", i, "section"],
            );
            let conflict = self.conflict_ref(&ctx, r.conflict, path!["relations", i, "conflict"]);
            let (Some(rel), Some(from), Some(to)) = (rel, from, to) else {
                continue;
            };
            let rt = schema.relation(rel);
            let (fk, tk) = (graph[from].kind, graph[to].kind);
            let kinds_known = !unknown_kind.contains(&from) && !unknown_kind.contains(&to);
            if kinds_known && (!rt.from.contains(fk) || !rt.to.contains(tk)) {
                let bad_end = if rt.from.contains(fk) { "to" } else { "from" };
                let p: &[Step<'_>] = if bad_end == "from" {
                    path!["relations", i, "from"]
                } else {
                    path!["relations", i, "to"]
                };
                self.error(
                    Code::KindNotAllowed,
                    p,
                    format!(
                        "relation `{}` does not allow `{}` -> `{}` (`{}` is a {}, `{}` is a {})",
                        rt.id,
                        schema.kind(fk).id,
                        schema.kind(tk).id,
                        r.from,
                        schema.kind(fk).id,
                        r.to,
                        schema.kind(tk).id,
                    ),
                    Some(format!(
                        "`{}` goes from {} to {}",
                        rt.id,
                        kind_set_words(&schema, &rt.from),
                        kind_set_words(&schema, &rt.to)
                    )),
                );
            }
            if r.source.is_none() {
                self.warn(
                    Code::Unsourced,
                    path!["relations", i],
                    format!("edge `{} {} {}` has no source", r.from, r.rel, r.to),
                    Some(
                        "add `source:` and `section:` saying where the fact comes from".to_owned(),
                    ),
                );
            }
            edge_keys.push(EdgeKey {
                from: from.index() as u32,
                rel,
                to: to.index() as u32,
                provenance,
                at: i as u32,
            });
            let claim = Claim::new(provenance, qualifiers(&r), conflict, r.basis, i as u32);
            self.basis_check(&claim, path!["relations", i]);
            if r.basis == Some(Basis::Inferred) {
                // Kept apart: an inference the source does not make never reaches an answer.
                inferred.push(InferredEdge {
                    from,
                    rel,
                    to,
                    claim,
                });
                continue;
            }
            graph.add_edge(from, to, Edge { rel, claim });
        }

        self.duplicate_edges(edge_keys, relations);

        let n = graph.node_count();
        // One direction at a time: each direction's list of items is as large as the edges.
        let adjacency = |forward: bool| {
            let mut items = Vec::with_capacity(graph.edge_count());
            for e in graph.edge_indices() {
                let Some((a, b)) = graph.edge_endpoints(e) else {
                    continue;
                };
                let (at, node) = if forward { (a, b) } else { (b, a) };
                let rel = graph[e].rel;
                items.push((at, Neighbor { rel, node, edge: e }));
            }
            Adjacency::build(n, items)
        };
        (self.progress)(checking(entity_count + relations.len()));
        let edges = graph.edge_count() as u64;
        let indexing = |done: u64| Progress {
            phase: Phase::Indexing,
            done,
            total: edges,
        };
        (self.progress)(indexing(0));
        let (out_adj, in_adj) = (adjacency(true), adjacency(false));
        let kg = KnowledgeGraph {
            name: graph_name,
            description,
            schema,
            sources,
            conflicts,
            graph,
            by_id,
            by_kind,
            out_adj,
            in_adj,
            inferred,
            warnings: Vec::new(),
            vocab: std::sync::OnceLock::new(),
            lexicon: std::sync::OnceLock::new(),
            hot: std::sync::OnceLock::new(),
            name_order: std::sync::OnceLock::new(),
        };
        self.hierarchy_cycles(&kg);
        self.lints(&kg);
        (self.progress)(indexing(edges));
        Some(kg)
    }

    /// The entity a relation's end names, or an error at `path`. `key` is the text's interned
    /// id, if it has one: what it resolved to is kept in `resolved` (one slot per id,
    /// [`UNRESOLVED`] until looked up, [`MISSING`] for no entity).
    pub(super) fn endpoint<'i>(
        &mut self,
        (by_id, graph, all_ids, ids): Ends<'_, 'i>,
        resolved: &mut [u32],
        key: Option<u32>,
        id: &str,
        path: &[Step<'_>],
    ) -> Option<NodeIndex> {
        let slot = key.and_then(|k| resolved.get_mut(k as usize));
        let found = match slot {
            Some(&mut n) if n != UNRESOLVED => (n != MISSING).then(|| NodeIndex::new(n as usize)),
            Some(slot) => {
                let found = by_id.get(graph, id);
                *slot = found.map_or(MISSING, |n| n.index() as u32);
                found
            }
            None => by_id.get(graph, id),
        };
        if found.is_none() {
            self.error_lazy(
                Code::DanglingId,
                path,
                format!("no entity has id `{id}`"),
                || {
                    ids.get_or_init(|| {
                        let all = all_ids.get_or_init(|| {
                            let mut all: Vec<Box<str>> =
                                graph.node_weights().map(|e| e.id.as_str().into()).collect();
                            all.sort_unstable();
                            all.dedup();
                            all
                        });
                        Suggester::new(all.iter().map(|id| &**id))
                    })
                    .did_you_mean(id)
                },
            );
        }
        found
    }

    pub(super) fn provenance(
        &mut self,
        ctx: &Ctx<'_>,
        source: Option<&str>,
        section: Option<&str>,
        source_path: &[Step<'_>],
        section_path: &[Step<'_>],
    ) -> Option<Provenance> {
        let Some(source_id) = source else {
            if let Some(sec) = section {
                self.error(
                    Code::UnknownSection,
                    section_path,
                    format!("section `{sec}` is given without a source"),
                    Some("add `source:` naming the document the section belongs to".to_owned()),
                );
            }
            return None;
        };
        let Some((s, section_index)) = ctx.source_index.get(source_id) else {
            let ids: Vec<&str> = ctx.sources.iter().map(|s| s.id.as_str()).collect();
            self.error_lazy(
                Code::UnknownSource,
                source_path,
                format!("unknown source `{source_id}`"),
                || {
                    did_you_mean(source_id, ids.iter().copied()).or_else(|| {
                        Some(if ids.is_empty() {
                            "declare it under `sources`".to_owned()
                        } else {
                            format!("known sources: {}", known(&ids))
                        })
                    })
                },
            );
            return None;
        };
        let (s, src) = (*s, &ctx.sources[*s]);
        let section = match section {
            None => None,
            Some(sec) => match section_index.get(sec).copied() {
                Some(ix) => Some(ix as u16),
                None => {
                    let ids: Vec<&str> = src.sections.iter().map(|(id, _)| id.as_str()).collect();
                    self.error_lazy(
                        Code::UnknownSection,
                        section_path,
                        format!("source `{source_id}` has no section `{sec}`"),
                        || {
                            did_you_mean(sec, ids.iter().copied()).or_else(|| {
                                Some(format!("add it to the sections of `{source_id}`"))
                            })
                        },
                    );
                    None
                }
            },
        };
        Some(Provenance {
            source: SourceId(s as u16),
            section,
        })
    }

    pub(super) fn conflict_ref(
        &mut self,
        ctx: &Ctx<'_>,
        conflict: Option<&str>,
        path: &[Step<'_>],
    ) -> Option<ConflictId> {
        let id = conflict?;
        match ctx.conflict_index.get(id).copied() {
            Some(ix) => Some(ConflictId(ix as u16)),
            None => {
                let ids: Vec<&str> = ctx.conflicts.iter().map(|c| c.id.as_str()).collect();
                self.error_lazy(
                    Code::UnknownConflict,
                    path,
                    format!("unknown conflict `{id}`"),
                    || {
                        did_you_mean(id, ids.iter().copied())
                            .or_else(|| Some("declare it under `conflicts` with a note".to_owned()))
                    },
                );
                None
            }
        }
    }

    pub(super) fn attribute(
        &mut self,
        ctx: &Ctx<'_>,
        entity: &str,
        a: &model::AttributeValueDef,
        i: usize,
        j: usize,
    ) -> Option<Attribute> {
        let key = ctx.schema.attribute_by_id(&a.key).map(usize::from);
        if key.is_none() {
            let ids: Vec<&str> = ctx
                .schema
                .attributes
                .iter()
                .map(|k| k.id.as_str())
                .collect();
            self.error_lazy(
                Code::UnknownAttribute,
                path!["entities", i, "attributes", j, "key"],
                format!("entity `{entity}` uses unknown attribute `{}`", a.key),
                || {
                    did_you_mean(&a.key, ids.iter().copied())
                        .or_else(|| Some("declare it under `schema.attributes`".to_owned()))
                },
            );
        }
        let provenance = self.provenance(
            ctx,
            a.source.as_deref(),
            a.section.as_deref(),
            path!["entities", i, "attributes", j, "source"],
            path!["entities", i, "attributes", j, "section"],
        );
        let conflict = self.conflict_ref(
            ctx,
            a.conflict.as_deref(),
            path!["entities", i, "attributes", j, "conflict"],
        );
        if a.source.is_none() {
            self.warn(
                Code::Unsourced,
                path!["entities", i, "attributes", j],
                format!("attribute `{}` of `{entity}` has no source", a.key),
                Some("add `source:` and `section:` saying where the fact comes from".to_owned()),
            );
        }
        let attribute = Attribute {
            key: key? as u16,
            value: a.value.clone(),
            claim: Claim::new(
                provenance,
                Qualifiers {
                    certainty: a.certainty,
                    hedge: a.hedge.clone(),
                    context: a.context.clone(),
                    note: a.note.clone(),
                    ..Qualifiers::default()
                },
                conflict,
                a.basis,
                j as u32,
            ),
        };
        self.basis_check(&attribute.claim, path!["entities", i, "attributes", j]);
        Some(attribute)
    }

    /// A claim's audit verdict must agree with its hedge: a hedged claim says how, and a claim
    /// that carries a hedge is not marked as stated plainly.
    pub(super) fn basis_check(&mut self, claim: &Claim, path: &[Step<'_>]) {
        let q = claim.qualifiers();
        let hedged = q.is_hedged() || q.hedge.is_some();
        let message = match claim.basis {
            Some(Basis::Hedged) if !hedged => {
                "the claim is marked `basis: Hedged` but has no `certainty` or `hedge`".to_owned()
            }
            Some(b @ (Basis::Stated | Basis::Paraphrased)) if hedged => format!(
                "the claim carries the hedge `{}` but is marked `basis: {b:?}`",
                q.hedge.clone().unwrap_or_else(|| format!(
                    "{:?}",
                    q.certainty.unwrap_or(Certainty::Established)
                ))
            ),
            _ => return,
        };
        self.warn(
            Code::BasisMismatch,
            path,
            message,
            Some("a claim the source hedges is `Hedged` and carries the hedge as `certainty` and `hedge`".to_owned()),
        );
    }
}

/// What a relation's ends are resolved through: the id index, the graph it indexes, and the
/// ids (sorted) with their suggester, gathered on the first dangling id.
type Ends<'a, 'i> = (
    &'a IdIndex,
    &'a DiGraph<Entity, Edge, u32>,
    &'i OnceCell<Vec<Box<str>>>,
    &'a OnceCell<Suggester<'i>>,
);

/// Not yet looked up (see [`Validator::endpoint`]).
const UNRESOLVED: u32 = u32::MAX;
/// Looked up: no entity has that id.
const MISSING: u32 = u32::MAX - 1;

pub(super) fn qualifiers(r: &RelationRef<'_>) -> Qualifiers {
    let owned = |s: Option<&str>| s.map(str::to_owned);
    Qualifiers {
        certainty: r.certainty,
        hedge: owned(r.hedge),
        frequency: owned(r.frequency),
        rank: owned(r.rank),
        quantity: owned(r.quantity),
        timing: owned(r.timing),
        context: owned(r.context),
        note: owned(r.note),
    }
}

/// One edge as duplicates are found: what it joins, how, on whose word, and where it is in
/// the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct EdgeKey {
    from: u32,
    rel: RelId,
    to: u32,
    provenance: Option<Provenance>,
    at: u32,
}

impl Validator<'_> {
    /// Warns of each edge stated again with the same provenance, in file order, naming the
    /// first statement of it.
    fn duplicate_edges(&mut self, mut keys: Vec<EdgeKey>, relations: &Relations<'_>) {
        keys.sort_unstable();
        let mut again: Vec<(u32, u32)> = Vec::new();
        for run in keys.chunk_by(|a, b| {
            (a.from, a.rel, a.to, a.provenance) == (b.from, b.rel, b.to, b.provenance)
        }) {
            // Sorted by place within the run: the first is the first statement.
            again.extend(run[1..].iter().map(|k| (k.at, run[0].at)));
        }
        drop(keys);
        again.sort_unstable();
        for (i, first) in again {
            let (i, first) = (i as usize, first as usize);
            let r = relations.get(i);
            let first_line = self
                .warn_loc(path!["relations", first])
                .map(|l| format!(" (also on line {})", l.line));
            self.warn(
                Code::DuplicateEdge,
                path!["relations", i],
                format!(
                    "edge `{} {} {}` is stated twice with the same provenance{}",
                    r.from,
                    r.rel,
                    r.to,
                    first_line.unwrap_or_default()
                ),
                Some("remove one, or give each its own section".to_owned()),
            );
        }
    }
}
