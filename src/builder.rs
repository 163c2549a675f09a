//! Building a graph in code, without a RON file. The builder fills the same plain model types
//! that `graph.ron` deserialises into ([`crate::model`]), and [`GraphBuilder::build`] runs the
//! same validation, so a graph built in code obeys every rule a file does.

use crate::diagnostic::{Code, Diagnostic, LoadError};
use crate::graph::KnowledgeGraph;
use crate::model::*;

/// Builds a [`KnowledgeGraph`] in code.
///
/// ```
/// use bonegraph::GraphBuilder;
///
/// let kg = GraphBuilder::new("orchard")
///     .kind("fruit", "fruit", "fruits")
///     .kind("pest", "pest", "pests")
///     .relation("eats", &["pest"], &["fruit"], &["eating"], &["eaten by"])
///     .source("book", "An Orchard Book")
///     .entity("apple", "fruit", "apple")
///     .alias("apple", "Malus")
///     .entity("moth", "pest", "codling moth")
///     .edge("moth", "eats", "apple", "book")
///     .build()?;
/// let answer = kg.query("pests eating Malus").unwrap();
/// assert_eq!(answer.names(&kg), ["codling moth"]);
/// # Ok::<(), bonegraph::LoadError>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct GraphBuilder {
    file: GraphFile,
    /// Mistakes the model cannot hold (an alias for an entity never added).
    problems: Vec<Diagnostic>,
}

impl GraphBuilder {
    /// An empty graph called `name`.
    pub fn new(name: impl Into<String>) -> Self {
        GraphBuilder {
            file: GraphFile {
                name: name.into(),
                ..GraphFile::default()
            },
            problems: Vec::new(),
        }
    }

    /// Adds an entity kind with its singular and plural words.
    pub fn kind(mut self, id: &str, singular: &str, plural: &str) -> Self {
        self.file.schema.kinds.push(KindDef {
            id: id.to_owned(),
            singular: singular.to_owned(),
            plural: plural.to_owned(),
            ..KindDef::default()
        });
        self
    }

    /// Adds a kind with every field under your control (synonyms, description).
    pub fn kind_def(mut self, kind: KindDef) -> Self {
        self.file.schema.kinds.push(kind);
        self
    }

    /// Adds a relation type between kinds (`"*"` for any kind), with its forward phrases
    /// (`therapies preventing X`) and inverse phrases (`complications prevented by X`).
    pub fn relation(
        mut self,
        id: &str,
        from: &[&str],
        to: &[&str],
        forward: &[&str],
        inverse: &[&str],
    ) -> Self {
        let strings = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        self.file.schema.relations.push(RelationTypeDef {
            id: id.to_owned(),
            from: strings(from),
            to: strings(to),
            forward: strings(forward),
            inverse: strings(inverse),
            ..RelationTypeDef::default()
        });
        self
    }

    /// Adds a relation type with every field under your control (parent, hierarchy, ...).
    pub fn relation_def(mut self, relation: RelationTypeDef) -> Self {
        self.file.schema.relations.push(relation);
        self
    }

    /// Adds the `is_a` hierarchy relation between any kinds, read with `that are` and
    /// `including`: members inherit what is said of their classes.
    pub fn hierarchy(self, id: &str) -> Self {
        self.relation_def(RelationTypeDef {
            id: id.to_owned(),
            from: vec![ANY_KIND.to_owned()],
            to: vec![ANY_KIND.to_owned()],
            forward: vec!["that are".to_owned(), "that is".to_owned()],
            inverse: vec!["including".to_owned()],
            hierarchy: true,
            ..RelationTypeDef::default()
        })
    }

    /// Adds an attribute key.
    pub fn attribute_key(mut self, id: &str, label: &str, single_valued: bool) -> Self {
        self.file.schema.attributes.push(AttributeDef {
            id: id.to_owned(),
            label: label.to_owned(),
            single_valued,
            description: None,
        });
        self
    }

    /// Adds a source document.
    pub fn source(mut self, id: &str, title: &str) -> Self {
        self.file.sources.push(SourceDef {
            id: id.to_owned(),
            title: title.to_owned(),
            ..SourceDef::default()
        });
        self
    }

    /// Adds a source with every field under your control (sections, location, note).
    pub fn source_def(mut self, source: SourceDef) -> Self {
        self.file.sources.push(source);
        self
    }

    /// Declares a conflict of any kind (slip, undefined term, ...) that claims can point to.
    pub fn conflict_def(mut self, conflict: ConflictDef) -> Self {
        self.file.conflicts.push(conflict);
        self
    }

    /// Declares a contradiction that claims can point to.
    pub fn conflict(mut self, id: &str, note: &str) -> Self {
        self.file.conflicts.push(ConflictDef {
            id: id.to_owned(),
            note: note.to_owned(),
            ..ConflictDef::default()
        });
        self
    }

    /// Adds an entity.
    pub fn entity(mut self, id: &str, kind: &str, name: &str) -> Self {
        self.file.entities.push(EntityDef {
            id: id.to_owned(),
            kind: kind.to_owned(),
            name: name.to_owned(),
            ..EntityDef::default()
        });
        self
    }

    /// Adds an entity with every field under your control (summary, attributes, provenance).
    pub fn entity_def(mut self, entity: EntityDef) -> Self {
        self.file.entities.push(entity);
        self
    }

    /// Gives the entity `id` (added earlier) another name. An unknown id is reported by
    /// [`build`](Self::build).
    pub fn alias(mut self, id: &str, alias: &str) -> Self {
        match self.file.entities.iter_mut().rev().find(|e| e.id == id) {
            Some(e) => e.aliases.push(alias.to_owned()),
            None => self.problems.push(
                Diagnostic::error(
                    Code::DanglingId,
                    format!("alias `{alias}` is for entity `{id}`, which was not added"),
                )
                .hint("add the entity before its aliases"),
            ),
        }
        self
    }

    /// Adds an edge `from --rel--> to`, taken from `source`.
    pub fn edge(mut self, from: &str, rel: &str, to: &str, source: &str) -> Self {
        self.file.relations.push(EdgeDef {
            from: from.to_owned(),
            rel: rel.to_owned(),
            to: to.to_owned(),
            source: Some(source.to_owned()),
            ..EdgeDef::default()
        });
        self
    }

    /// Adds an edge with every field under your control (section, hedges, quantities, ...).
    pub fn edge_def(mut self, edge: EdgeDef) -> Self {
        self.file.relations.push(edge);
        self
    }

    /// The plain model built so far, for serialising to RON or inspecting.
    pub fn model(&self) -> &GraphFile {
        &self.file
    }

    /// Validates and builds the graph; every problem is reported at once.
    pub fn build(self) -> Result<KnowledgeGraph, LoadError> {
        let checked = crate::load::check_model(&self.file);
        match checked.graph {
            Some(kg) if self.problems.is_empty() => Ok(kg),
            _ => {
                let mut diagnostics = self.problems;
                diagnostics.extend(checked.diagnostics);
                Err(LoadError { diagnostics })
            }
        }
    }
}
