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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Entity kinds, relation types and attribute keys.
    pub schema: SchemaDef,
    /// Where facts come from: documents with sections.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<SourceDef>,
    /// Places where the sources contradict themselves; claims point here by id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conflicts: Vec<ConflictDef>,
    /// The nodes of the graph.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub entities: Vec<EntityDef>,
    /// The edges of the graph.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub synonyms: Vec<String>,
    /// What the kind covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub forward: Vec<String>,
    /// Phrases that put the object first: `complications prevented by X` (`prevented by`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inverse: Vec<String>,
    /// A broader relation type this one is a kind of (`relieves` is a kind of `treats`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// Marks the subsumption relation (`is_a`): members inherit what is said of their classes.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub hierarchy: bool,
    /// At most one target per source is expected; differing targets are flagged as a conflict.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub single_valued: bool,
    /// What the relation means.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Claims of this type (and of the types that refine it) are ones where overstating would
    /// harm a reader, such as a drug's use or how it is given: `bonegraph check` asks that
    /// every step by which an answer inherits such a claim cites what the source says.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
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
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub single_valued: bool,
    /// What the attribute records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// The document's sections, which provenance may point into.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<SectionDef>,
    /// Anything a reader should know about the document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

/// A place where a source contradicts itself, slips, or leaves a term undefined. Every claim
/// involved carries `conflict: "<id>"`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConflictDef {
    /// Identifier that claims point to.
    pub id: String,
    /// What kind of problem the source has here; a contradiction unless given.
    #[serde(default)]
    pub kind: ConflictKind,
    /// What the disagreement is about, in the graph maintainers' own words.
    pub note: String,
}

/// What is wrong with the source at a marked place.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub enum ConflictKind {
    /// Two claims that cannot both hold: a drug given into a vein and under the skin. Needs at
    /// least two tagged claims.
    #[default]
    Contradiction,
    /// Two claims that differ in strength or detail without excluding each other: a property
    /// stated plainly in one place and only thought likely in another. Needs at least two.
    Inconsistency,
    /// A wording error in the source: a misspelt drug class, a term used for the wrong thing.
    Slip,
    /// A term the source uses without ever saying what it means.
    Undefined,
    /// Wording that can be read more than one way (`these medications` after two lists).
    Ambiguous,
}

impl ConflictKind {
    /// Whether a conflict of this kind is between claims, so it needs at least two of them.
    pub fn needs_two_claims(self) -> bool {
        matches!(
            self,
            ConflictKind::Contradiction | ConflictKind::Inconsistency
        )
    }

    /// A lowercase word for messages: `contradiction`, `slip`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            ConflictKind::Contradiction => "contradiction",
            ConflictKind::Inconsistency => "inconsistency",
            ConflictKind::Slip => "slip",
            ConflictKind::Undefined => "undefined term",
            ConflictKind::Ambiguous => "ambiguity",
        }
    }
}

/// How a claim stands to its source: the verdict of reading the claim against the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Basis {
    /// The source says it in so many words.
    Stated,
    /// The source says it in other words, or as the only reading of what it says.
    Paraphrased,
    /// The source says it with a hedge (`may`, `thought to`, `in rare instances`); the claim
    /// carries that hedge as `certainty` and `hedge`.
    Hedged,
    /// The graph's authors concluded it; the source does not say it. Such edges are kept apart
    /// from the graph: cards list them, answers never use them.
    Inferred,
}

impl Basis {
    /// A lowercase word for messages and reports: `stated`, `paraphrased`, ...
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::Stated => "stated",
            Basis::Paraphrased => "paraphrased",
            Basis::Hedged => "hedged",
            Basis::Inferred => "inferred",
        }
    }
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Section of the source document (provenance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// How firmly the source states it; absent means stated plainly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
    /// The source's hedge word or phrase, kept short (`may`, `thought to`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedge: Option<String>,
    /// How often the stated thing happens (`rare`, `sometimes`, `often`). Passes to the
    /// members of a class with the rest of the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub frequency: Option<String>,
    /// The claim's place among alternatives (`most common`, `primarily`, `mainly so far`).
    /// It describes the class the source ranks, so it never passes to the class's members.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rank: Option<String>,
    /// How much or how many (`75 percent`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quantity: Option<String>,
    /// When or how long (`every 3 to 4 weeks`, `up to six months`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub timing: Option<String>,
    /// Under what circumstances the fact holds (`when the arms or legs are involved`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// A paraphrased remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The id of a conflict this claim takes part in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
    /// How the claim stands to its source; `Inferred` keeps the edge out of every answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// A paraphrased one-line description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Source document of the summary (provenance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Section of the source document (provenance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// Facts about the entity that are values rather than links.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<AttributeValueDef>,
    /// The entity and its `is_a` members are ones where overstating would harm a reader, such
    /// as an emergency: `bonegraph check` asks that every step by which an answer reaches them
    /// through inheritance cites what the source says.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub critical: bool,
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// Section of the source document (provenance).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub section: Option<String>,
    /// How firmly the source states it; absent means stated plainly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
    /// The source's hedge word or phrase.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedge: Option<String>,
    /// Under what circumstances the value holds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<String>,
    /// A paraphrased remark.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The id of a conflict this claim takes part in.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conflict: Option<String>,
    /// How the value stands to its source; `Inferred` values are listed apart on cards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<Basis>,
}
