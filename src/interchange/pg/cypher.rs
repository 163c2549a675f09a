//! The property graph as a Cypher script, for Neo4j or Kuzu: constraints or DDL, then one
//! statement per entity, attribute value and edge.

use super::*;
use crate::interchange::names::{ATTRIBUTE_LABEL, ENTITY_LABEL, HAS_ATTRIBUTE, cypher_ident};
use std::io::{BufWriter, Write};

/// The Kuzu DDL for the layout: the two node tables, one rel table per relation type and the
/// `HAS_ATTRIBUTE` rel table, one statement a line.
pub fn kuzu_ddl(kg: &KnowledgeGraph) -> String {
    let entity = cypher_ident(ENTITY_LABEL);
    let attribute = cypher_ident(ATTRIBUTE_LABEL);
    let claims: String = CLAIM_PROPERTIES
        .iter()
        .map(|p| format!(", {p} STRING"))
        .collect();
    let mut out = format!(
        "CREATE NODE TABLE {entity}(id STRING PRIMARY KEY, name STRING, kind STRING, \
         aliases STRING[], summary STRING, source STRING, section STRING);\n\
         CREATE NODE TABLE {attribute}(id STRING PRIMARY KEY, entity STRING, key STRING, \
         value STRING{claims});\n"
    );
    for r in &kg.schema().relations {
        let _ = writeln!(
            out,
            "CREATE REL TABLE {}(FROM {entity} TO {entity}{claims});",
            cypher_ident(&r.id)
        );
    }
    let _ = writeln!(
        out,
        "CREATE REL TABLE {}(FROM {entity} TO {attribute});",
        cypher_ident(HAS_ATTRIBUTE)
    );
    out
}

/// Writes the graph as a Cypher script for `dialect`: a comment header, then one statement a
/// line, each ending in `;`. Neo4j's script starts with uniqueness constraints on the node
/// ids; Kuzu's with [`kuzu_ddl`]. Then one `CREATE` per entity, one `MATCH ... CREATE` per
/// attribute value (its node and its `HAS_ATTRIBUTE` link) and one per edge.
///
/// ```
/// use bonegraph::interchange::pg::{Dialect, write_cypher};
/// let mut out = Vec::new();
/// write_cypher(bonegraph::KnowledgeGraph::embedded(), Dialect::Neo4j, &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains(
///     "MATCH (a:`Entity` {id: 'denosumab'}), (b:`Entity` {id: 'bone_modifying_therapies'}) \
///      CREATE (a)-[:`is_a` {source: 'article', section: 'bone_modifying', basis: 'stated'}]->(b);\n"
/// ));
/// # Ok::<(), bonegraph::interchange::pg::PgError>(())
/// ```
pub fn write_cypher(
    kg: &KnowledgeGraph,
    dialect: Dialect,
    out: &mut impl Write,
) -> Result<(), PgError> {
    check_names(kg, dialect)?;
    let s = |t: &str| string_literal(t, dialect);
    let attribute_count: usize = kg.nodes().map(|n| kg.entity(n).attributes.len()).sum();
    let entity = cypher_ident(ENTITY_LABEL);
    let attribute = cypher_ident(ATTRIBUTE_LABEL);
    let has_attribute = cypher_ident(HAS_ATTRIBUTE);
    let mut head = comment(&format!(
        "bonegraph export of `{}`: {} entities, {attribute_count} attribute values, {} relations.",
        kg.name(),
        kg.entity_count(),
        kg.edge_count()
    ));
    match dialect {
        Dialect::Neo4j => {
            head.push_str(&comment(
                "Cypher for Neo4j, one statement a line; load into an empty database with \
                 `cypher-shell -f FILE`. Layout: docs/interchange.md.",
            ));
            for (name, label) in [("entity", &entity), ("attribute", &attribute)] {
                let _ = writeln!(
                    head,
                    "CREATE CONSTRAINT bonegraph_{name}_id IF NOT EXISTS FOR (n:{label}) \
                     REQUIRE n.id IS UNIQUE;"
                );
            }
        }
        Dialect::Kuzu => {
            head.push_str(&comment(
                "Cypher for Kuzu, one statement a line; run it on an empty database. \
                 Layout: docs/interchange.md.",
            ));
            head.push_str(&kuzu_ddl(kg));
        }
    }
    let mut w = BufWriter::new(out);
    w.write_all(head.as_bytes())?;

    let schema = kg.schema();
    for n in kg.nodes() {
        let e = kg.entity(n);
        let v = entity_values(kg, e);
        let aliases = (!e.aliases.is_empty()).then(|| {
            let items: Vec<String> = e.aliases.iter().map(|a| s(a)).collect();
            format!("[{}]", items.join(", "))
        });
        let props = property_map(&[
            ("id", v[0].map(s)),
            ("name", v[1].map(s)),
            ("kind", v[2].map(s)),
            ("aliases", aliases),
            ("summary", v[3].map(s)),
            ("source", v[4].map(s)),
            ("section", v[5].map(s)),
        ]);
        writeln!(w, "CREATE (:{entity}{props});")?;
    }
    for n in kg.nodes() {
        let e = kg.entity(n);
        for a in &e.attributes {
            let mut pairs: Vec<(&str, Option<String>)> = vec![
                ("id", Some(s(&attribute_node_id(&e.id, a.claim.file_index)))),
                ("entity", Some(s(&e.id))),
                ("key", Some(s(&schema.attributes[usize::from(a.key)].id))),
                ("value", Some(s(&a.value))),
            ];
            let claims = claim_values(kg, &a.claim);
            pairs.extend(
                CLAIM_PROPERTIES
                    .iter()
                    .zip(claims)
                    .map(|(k, v)| (*k, v.map(|v| s(&v)))),
            );
            writeln!(
                w,
                "MATCH (e:{entity} {{id: {}}}) CREATE (e)-[:{has_attribute}]->(:{attribute}{});",
                s(&e.id),
                property_map(&pairs)
            )?;
        }
    }
    for ix in kg.edges() {
        let (a, edge, b) = kg.edge(ix);
        let claims = claim_values(kg, &edge.claim);
        let pairs: Vec<(&str, Option<String>)> = CLAIM_PROPERTIES
            .iter()
            .zip(claims)
            .map(|(k, v)| (*k, v.map(|v| s(&v))))
            .collect();
        writeln!(
            w,
            "MATCH (a:{entity} {{id: {}}}), (b:{entity} {{id: {}}}) CREATE (a)-[:{}{}]->(b);",
            s(&kg.entity(a).id),
            s(&kg.entity(b).id),
            cypher_ident(&schema.relation(edge.rel).id),
            property_map(&pairs)
        )?;
    }
    w.flush()?;
    Ok(())
}
