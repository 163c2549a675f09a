//! The on-disk data model: plain serde types that mirror `graph.ron` one to one.
//!
//! These types know nothing about petgraph, indices or validation; they only describe what a
//! graph file may contain. [`crate::load`] turns a [`GraphFile`] into a validated, read-only
//! [`crate::KnowledgeGraph`]. The file format is documented in `docs/graph-format.md`.

use serde::{Deserialize, Serialize};

/// A whole graph file: schema, sources, conflicts, entities and relations.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GraphFile {
    /// A short human name for the graph, shown in banners and summaries.
    pub name: String,
    /// What the graph is about and where its knowledge comes from.
    #[serde(default)]
    pub description: Option<String>,
    /// Entity kinds, relation types and attribute keys.
    pub schema: SchemaDef,
    /// Where facts come from: documents with sections.
    #[serde(default)]
    pub sources: Vec<SourceDef>,
    /// Places where the sources contradict themselves; claims point here by id.
    #[serde(default)]
    pub conflicts: Vec<ConflictDef>,
    /// The nodes of the graph.
    #[serde(default)]
    pub entities: Vec<EntityDef>,
    /// The edges of the graph.
    #[serde(default)]
    pub relations: Vec<EdgeDef>,
}

/// The vocabulary of a graph: what kinds of things exist and how they may be related.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SchemaDef {
    /// Entity kinds.
    pub kinds: Vec<KindDef>,
    /// Relation types.
    pub relations: Vec<RelationTypeDef>,
    /// Attribute keys that entities may carry.
    #[serde(default)]
    pub attributes: Vec<AttributeDef>,
}

/// One entity kind, with the words the query language uses for it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KindDef {
    /// Identifier used by entities (`kind: "therapy"`).
    pub id: String,
    /// Singular word (`therapy`).
    pub singular: String,
    /// Plural word (`therapies`).
    pub plural: String,
    /// Other words for the kind, singular or plural (`treatment`, `treatments`).
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// What the kind covers.
    #[serde(default)]
    pub description: Option<String>,
}

/// The wildcard accepted in [`RelationTypeDef::from`] and [`RelationTypeDef::to`]: any kind.
pub const ANY_KIND: &str = "*";

/// One relation type: which kinds it connects and how to say it in English.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RelationTypeDef {
    /// Identifier used by edges (`rel: "prevents"`).
    pub id: String,
    /// Kinds allowed at the source end; `"*"` allows any kind.
    pub from: Vec<String>,
    /// Kinds allowed at the target end; `"*"` allows any kind.
    pub to: Vec<String>,
    /// Phrases that put the subject first: `therapies preventing X` (`preventing`).
    #[serde(default)]
    pub forward: Vec<String>,
    /// Phrases that put the object first: `complications prevented by X` (`prevented by`).
    #[serde(default)]
    pub inverse: Vec<String>,
    /// A broader relation type this one is a kind of (`relieves` is a kind of `treats`).
    #[serde(default)]
    pub parent: Option<String>,
    /// Marks the subsumption relation (`is_a`): members inherit what is said of their classes.
    #[serde(default)]
    pub hierarchy: bool,
    /// At most one target per source is expected; differing targets are flagged as a conflict.
    #[serde(default)]
    pub single_valued: bool,
    /// What the relation means.
    #[serde(default)]
    pub description: Option<String>,
}

/// An attribute key that entities may carry (`interval`, `median_survival`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeDef {
    /// Identifier used by entity attributes (`key: "interval"`).
    pub id: String,
    /// Human label (`dosing interval`).
    pub label: String,
    /// At most one value per entity is expected; differing values are flagged as a conflict.
    #[serde(default)]
    pub single_valued: bool,
    /// What the attribute records.
    #[serde(default)]
    pub description: Option<String>,
}

/// A document that facts are taken from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SourceDef {
    /// Identifier used by provenance (`source: "article"`).
    pub id: String,
    /// The document's title.
    pub title: String,
    /// Where the document lives (a path or a description), if known.
    #[serde(default)]
    pub location: Option<String>,
    /// The document's sections, which provenance may point into.
    #[serde(default)]
    pub sections: Vec<SectionDef>,
    /// Anything a reader should know about the document.
    #[serde(default)]
    pub note: Option<String>,
}

/// A section of a source document.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionDef {
    /// Identifier used by provenance (`section: "bisphosphonates"`).
    pub id: String,
    /// The section's heading (or, for an unheaded passage, a description of it).
    pub title: String,
}

/// A place where a source contradicts itself. Every claim involved carries `conflict: "<id>"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictDef {
    /// Identifier that claims point to.
    pub id: String,
    /// What the disagreement is about, in the graph maintainers' own words.
    pub note: String,
}

/// How firmly a source states a fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Certainty {
    /// Stated plainly, without a hedge.
    Established,
    /// Hedged but leaning true: "thought to", "usually".
    Likely,
    /// Hedged: "may", "can", "sometimes".
    Possible,
    /// Hoped for or under study: "it is hoped", "may hold promise".
    Speculative,
}

/// One edge of the graph: `from --rel--> to`, with provenance and qualifiers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EdgeDef {
    /// Source entity id.
    pub from: String,
    /// Relation type id.
    pub rel: String,
    /// Target entity id.
    pub to: String,
    /// Source document id (provenance).
    #[serde(default)]
    pub source: Option<String>,
    /// Section of the source document (provenance).
    #[serde(default)]
    pub section: Option<String>,
    /// How firmly the source states it; absent means stated plainly.
    #[serde(default)]
    pub certainty: Option<Certainty>,
    /// The source's hedge word or phrase, kept short (`may`, `thought to`).
    #[serde(default)]
    pub hedge: Option<String>,
    /// How often (`rare`, `most common`, `usually`).
    #[serde(default)]
    pub frequency: Option<String>,
    /// How much or how many (`75 percent`).
    #[serde(default)]
    pub quantity: Option<String>,
    /// When or how long (`every 3 to 4 weeks`, `up to six months`).
    #[serde(default)]
    pub timing: Option<String>,
    /// Under what circumstances the fact holds (`when the arms or legs are involved`).
    #[serde(default)]
    pub context: Option<String>,
    /// A paraphrased remark.
    #[serde(default)]
    pub note: Option<String>,
    /// The id of a conflict this claim takes part in.
    #[serde(default)]
    pub conflict: Option<String>,
}

/// One node of the graph.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntityDef {
    /// Stable identifier, unique in the file.
    pub id: String,
    /// Kind id from the schema.
    pub kind: String,
    /// Display name, matched case-insensitively by queries.
    pub name: String,
    /// Other names: brand names, abbreviations, plain-language words.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// A paraphrased one-line description.
    #[serde(default)]
    pub summary: Option<String>,
    /// Source document of the summary (provenance).
    #[serde(default)]
    pub source: Option<String>,
    /// Section of the source document (provenance).
    #[serde(default)]
    pub section: Option<String>,
    /// Facts about the entity that are values rather than links.
    #[serde(default)]
    pub attributes: Vec<AttributeValueDef>,
}

/// One attribute value on an entity, with provenance and qualifiers like an edge.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeValueDef {
    /// Attribute id from the schema.
    pub key: String,
    /// The value, as text (`every 3 to 4 weeks`).
    pub value: String,
    /// Source document id (provenance).
    #[serde(default)]
    pub source: Option<String>,
    /// Section of the source document (provenance).
    #[serde(default)]
    pub section: Option<String>,
    /// How firmly the source states it; absent means stated plainly.
    #[serde(default)]
    pub certainty: Option<Certainty>,
    /// The source's hedge word or phrase.
    #[serde(default)]
    pub hedge: Option<String>,
    /// Under what circumstances the value holds.
    #[serde(default)]
    pub context: Option<String>,
    /// A paraphrased remark.
    #[serde(default)]
    pub note: Option<String>,
    /// The id of a conflict this claim takes part in.
    #[serde(default)]
    pub conflict: Option<String>,
}
