//! The way back from a loaded graph to the file model: what [`crate::load`] reads, written
//! out again, so that exports go through the model's own serde types.

use super::{Claim, KindSet, KnowledgeGraph, Provenance};
use crate::model::{
    ANY_KIND, AttributeDef, AttributeValueDef, ConflictDef, EdgeDef, EntityDef, GraphFile, KindDef,
    RelationTypeDef, SchemaDef, SectionDef, SourceDef,
};

impl KnowledgeGraph {
    /// The graph as a [`GraphFile`]: the schema, sources, conflicts, entities with their
    /// attribute values, and every relation with its provenance and qualifiers, in the order
    /// of the file it was loaded from. Edges kept apart as inferred come back with their
    /// `basis: Inferred`. Loading the result gives the same graph; serialising it (JSON with
    /// `serde_json`, RON with `ron`) writes a file `bonegraph check` accepts.
    ///
    /// ```
    /// let kg = bonegraph::KnowledgeGraph::embedded();
    /// let file = kg.to_file();
    /// assert_eq!(file.entities.len(), kg.entity_count());
    /// let again = bonegraph::KnowledgeGraph::from_file(file.clone())?;
    /// assert_eq!(again.to_file(), file);
    /// # Ok::<(), bonegraph::LoadError>(())
    /// ```
    pub fn to_file(&self) -> GraphFile {
        let schema = self.schema();
        let kinds_of = |set: &KindSet| -> Vec<String> {
            match set {
                KindSet::Any => vec![ANY_KIND.to_owned()],
                KindSet::Only(ks) => ks.iter().map(|k| schema.kind(*k).id.clone()).collect(),
            }
        };
        let schema_def = SchemaDef {
            kinds: schema
                .kinds
                .iter()
                .map(|k| KindDef {
                    id: k.id.clone(),
                    singular: k.singular.clone(),
                    plural: k.plural.clone(),
                    synonyms: k.synonyms.clone(),
                    description: k.description.clone(),
                })
                .collect(),
            relations: schema
                .relations
                .iter()
                .map(|r| RelationTypeDef {
                    id: r.id.clone(),
                    from: kinds_of(&r.from),
                    to: kinds_of(&r.to),
                    forward: r.forward.clone(),
                    inverse: r.inverse.clone(),
                    parent: r.parent.map(|p| schema.relation(p).id.clone()),
                    hierarchy: r.hierarchy,
                    single_valued: r.single_valued,
                    description: r.description.clone(),
                    critical: r.critical,
                })
                .collect(),
            attributes: schema
                .attributes
                .iter()
                .map(|a| AttributeDef {
                    id: a.id.clone(),
                    label: a.label.clone(),
                    single_valued: a.single_valued,
                    description: a.description.clone(),
                })
                .collect(),
        };
        let sources = self
            .sources()
            .iter()
            .map(|s| SourceDef {
                id: s.id.clone(),
                title: s.title.clone(),
                location: s.location.clone(),
                sections: s
                    .sections
                    .iter()
                    .map(|(id, title)| SectionDef {
                        id: id.clone(),
                        title: title.clone(),
                    })
                    .collect(),
                note: s.note.clone(),
            })
            .collect();
        let conflicts = self
            .conflicts()
            .iter()
            .map(|c| ConflictDef {
                id: c.id.clone(),
                kind: c.kind,
                note: c.note.clone(),
            })
            .collect();
        let entities = self
            .nodes()
            .map(|n| {
                let e = self.entity(n);
                let (source, section) = self.provenance_ids(e.provenance);
                let mut attributes: Vec<(u32, AttributeValueDef)> = e
                    .attributes
                    .iter()
                    .map(|a| {
                        let (source, section) = self.provenance_ids(a.claim.provenance);
                        let q = a.claim.qualifiers();
                        let def = AttributeValueDef {
                            key: schema.attributes[usize::from(a.key)].id.clone(),
                            value: a.value.clone(),
                            source,
                            section,
                            certainty: q.certainty,
                            hedge: q.hedge.clone(),
                            context: q.context.clone(),
                            note: q.note.clone(),
                            conflict: self.conflict_id(&a.claim),
                            basis: a.claim.basis,
                        };
                        (a.claim.file_index, def)
                    })
                    .collect();
                attributes.sort_by_key(|(i, _)| *i);
                EntityDef {
                    id: e.id.clone(),
                    kind: schema.kind(e.kind).id.clone(),
                    name: e.name.clone(),
                    aliases: e.aliases.clone(),
                    summary: e.summary.clone(),
                    source,
                    section,
                    attributes: attributes.into_iter().map(|(_, a)| a).collect(),
                    critical: e.critical,
                }
            })
            .collect();
        let mut relations: Vec<(u32, EdgeDef)> = self
            .edges()
            .map(|ei| {
                let (a, edge, b) = self.edge(ei);
                (
                    edge.claim.file_index,
                    self.edge_def(a, edge.rel, b, &edge.claim),
                )
            })
            .chain(self.inferred().iter().map(|i| {
                (
                    i.claim.file_index,
                    self.edge_def(i.from, i.rel, i.to, &i.claim),
                )
            }))
            .collect();
        relations.sort_by_key(|(i, _)| *i);
        GraphFile {
            name: self.name().to_owned(),
            description: self.description().map(str::to_owned),
            schema: schema_def,
            sources,
            conflicts,
            entities,
            relations: relations.into_iter().map(|(_, r)| r).collect(),
        }
    }

    fn edge_def(
        &self,
        from: petgraph::graph::NodeIndex,
        rel: super::RelId,
        to: petgraph::graph::NodeIndex,
        claim: &Claim,
    ) -> EdgeDef {
        let (source, section) = self.provenance_ids(claim.provenance);
        let q = claim.qualifiers();
        EdgeDef {
            from: self.entity(from).id.clone(),
            rel: self.schema().relation(rel).id.clone(),
            to: self.entity(to).id.clone(),
            source,
            section,
            certainty: q.certainty,
            hedge: q.hedge.clone(),
            frequency: q.frequency.clone(),
            rank: q.rank.clone(),
            quantity: q.quantity.clone(),
            timing: q.timing.clone(),
            context: q.context.clone(),
            note: q.note.clone(),
            conflict: self.conflict_id(claim),
            basis: claim.basis,
        }
    }

    fn provenance_ids(&self, p: Option<Provenance>) -> (Option<String>, Option<String>) {
        match p {
            None => (None, None),
            Some(p) => {
                let source = &self.sources()[usize::from(p.source.0)];
                let section = p
                    .section
                    .and_then(|s| source.sections.get(usize::from(s)))
                    .map(|(id, _)| id.clone());
                (Some(source.id.clone()), section)
            }
        }
    }

    fn conflict_id(&self, claim: &Claim) -> Option<String> {
        claim.conflict.map(|c| self.conflict(c).id.clone())
    }
}
