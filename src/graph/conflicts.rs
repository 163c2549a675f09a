//! The claims of the graph that take part in each marked conflict (contradiction, slip,
//! undefined term, ambiguity), for cards, answers and `check`.

use super::{Claim, ConflictId, KnowledgeGraph};
use petgraph::graph::NodeIndex;

/// One claim that takes part in a conflict: an edge or an attribute value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConflictClaim {
    /// An edge.
    Edge(petgraph::graph::EdgeIndex),
    /// Attribute number `1` of entity `0`.
    Attribute(NodeIndex, usize),
    /// An inferred edge, by its index in [`KnowledgeGraph::inferred`].
    Inferred(usize),
}

impl ConflictClaim {
    /// The claim's provenance and qualifiers.
    pub fn claim<'a>(&self, kg: &'a KnowledgeGraph) -> &'a Claim {
        match *self {
            ConflictClaim::Edge(e) => &kg.graph[e].claim,
            ConflictClaim::Attribute(n, i) => &kg.graph[n].attributes[i].claim,
            ConflictClaim::Inferred(i) => &kg.inferred[i].claim,
        }
    }

    /// A one-line description: `` `denosumab` is_a `antibody` (article, denosumab) ``.
    pub fn describe(&self, kg: &KnowledgeGraph) -> String {
        let what = match *self {
            ConflictClaim::Edge(e) => {
                let (a, edge, b) = kg.edge(e);
                format!(
                    "`{}` {} `{}`",
                    kg.graph[a].id,
                    kg.schema.relation(edge.rel).id,
                    kg.graph[b].id
                )
            }
            ConflictClaim::Inferred(i) => {
                let edge = &kg.inferred[i];
                format!(
                    "`{}` {} `{}` (inferred)",
                    kg.graph[edge.from].id,
                    kg.schema.relation(edge.rel).id,
                    kg.graph[edge.to].id
                )
            }
            ConflictClaim::Attribute(n, i) => {
                let attr = &kg.graph[n].attributes[i];
                format!(
                    "`{}` {} = `{}`",
                    kg.graph[n].id,
                    kg.schema.attributes[usize::from(attr.key)].id,
                    attr.value
                )
            }
        };
        let claim = self.claim(kg);
        let place = claim.provenance.map(|p| {
            let (src, section) = kg.describe_provenance(&p);
            match section {
                Some(sec) => format!(" ({}, {sec})", src.id),
                None => format!(" ({})", src.id),
            }
        });
        format!("{what}{}", place.unwrap_or_default())
    }
}

/// Every claim tagged with `conflict`, edges first, in file order.
pub fn conflict_claims(kg: &KnowledgeGraph, conflict: ConflictId) -> Vec<ConflictClaim> {
    let mut out: Vec<ConflictClaim> = kg
        .graph
        .edge_indices()
        .filter(|&e| kg.graph[e].claim.conflict == Some(conflict))
        .map(ConflictClaim::Edge)
        .collect();
    out.extend(
        kg.inferred
            .iter()
            .enumerate()
            .filter(|(_, e)| e.claim.conflict == Some(conflict))
            .map(|(i, _)| ConflictClaim::Inferred(i)),
    );
    for n in kg.graph.node_indices() {
        for (i, a) in kg.graph[n].attributes.iter().enumerate() {
            if a.claim.conflict == Some(conflict) {
                out.push(ConflictClaim::Attribute(n, i));
            }
        }
    }
    out
}
