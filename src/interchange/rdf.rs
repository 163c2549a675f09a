//! The whole graph as RDF: N-Triples or Turtle, for triple stores such as Oxigraph.
//!
//! Both formats carry exactly the same triples, written in graph-file order: the graph, the
//! schema (kinds as classes, relation types and attributes as properties), sources with their
//! sections, conflicts, entities with their attribute values, and edges. Every edge and every
//! attribute value is also reified as an `rdf:Statement` that carries its provenance,
//! qualifiers and conflict. The hierarchy relation (`is_a`) is written as `rdfs:subClassOf`.
//! Every IRI and literal is spelled by [`super::names`], which the query translator shares;
//! `docs/interchange.md` lists the vocabulary.
//!
//! Triples are written as they are produced, so memory stays flat however large the graph.

use super::names::{self, RdfNames, iri_ref, rdf_string, spell_iri};
use crate::graph::{Claim, KindSet, KnowledgeGraph};
use std::io::{self, Write};

/// Which RDF syntax to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RdfFormat {
    /// One triple a line, every IRI in full (`.nt`).
    NTriples,
    /// Prefixed names and one block per subject (`.ttl`).
    Turtle,
}

/// A base IRI the export cannot build valid IRIs under: one that holds a `#`. The export
/// appends its own fragments (`{base}vocab#Entity`, `{base}source/{id}#{section}`), and an IRI
/// has at most one `#`. [`RdfNames::parse_base`] checks this and the rest (absolute, ends in
/// `/`, no forbidden characters); this check is for names built with [`RdfNames::new`].
///
/// ```
/// use bonegraph::interchange::{names::RdfNames, rdf::check_base};
/// assert!(check_base(&RdfNames::new("https://example.org/kb/")).is_ok());
/// assert!(check_base(&RdfNames::new("https://example.org/kb#")).is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "the base IRI `{base}` may not contain `#`: the export adds its own (`{base}vocab#Entity`), \
     and an IRI has only one; end the base in `/`"
)]
pub struct UnusableBase {
    /// The base given.
    pub base: String,
}

/// Checks that every IRI built under `names` is valid: see [`UnusableBase`].
pub fn check_base(names: &RdfNames) -> Result<(), UnusableBase> {
    if names.base().contains('#') {
        return Err(UnusableBase {
            base: names.base().to_owned(),
        });
    }
    Ok(())
}

/// Writes the graph as N-Triples.
///
/// ```
/// use bonegraph::interchange::{names::RdfNames, rdf::write_ntriples};
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let mut out = Vec::new();
/// write_ntriples(kg, &RdfNames::default(), &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.contains(
///     "<https://bonegraph.example/entity/zoledronic_acid> \
///      <http://www.w3.org/2000/01/rdf-schema#subClassOf> \
///      <https://bonegraph.example/entity/bisphosphonates> .\n"
/// ));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_ntriples(
    kg: &KnowledgeGraph,
    names: &RdfNames,
    out: &mut impl Write,
) -> io::Result<()> {
    write_rdf(kg, names, RdfFormat::NTriples, out)
}

/// Writes the graph as Turtle: the same triples as [`write_ntriples`], with `@prefix` lines
/// and one block per subject.
///
/// ```
/// use bonegraph::interchange::{names::RdfNames, rdf::write_turtle};
/// let kg = bonegraph::KnowledgeGraph::embedded();
/// let mut out = Vec::new();
/// write_turtle(kg, &RdfNames::default(), &mut out)?;
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("@prefix bg: <https://bonegraph.example/vocab#> .\n"));
/// assert!(text.contains("e:zoledronic_acid a kind:therapy ;\n"));
/// # Ok::<(), std::io::Error>(())
/// ```
pub fn write_turtle(kg: &KnowledgeGraph, names: &RdfNames, out: &mut impl Write) -> io::Result<()> {
    write_rdf(kg, names, RdfFormat::Turtle, out)
}

/// Writes the graph as RDF in `format`. A base [`check_base`] refuses is an
/// [`io::ErrorKind::InvalidInput`] error, and nothing is written.
pub fn write_rdf(
    kg: &KnowledgeGraph,
    names: &RdfNames,
    format: RdfFormat,
    out: &mut impl Write,
) -> io::Result<()> {
    check_base(names).map_err(|e| io::Error::new(io::ErrorKind::InvalidInput, e))?;
    let mut w = Emitter::new(names, format, out);
    w.header()?;
    emit_graph(kg, names, &mut w)?;
    w.out.flush()
}

// Indices into `RdfNames::prefixes()`, whose order is fixed.
const BG: usize = 0;
const KIND: usize = 1;
const REL: usize = 2;
const ATTR: usize = 3;
const E: usize = 4;
const SRC: usize = 5;
const CONFLICT: usize = 6;
const CLAIM: usize = 7;
const RDF: usize = 8;
const RDFS: usize = 9;
const SKOS: usize = 10;
const OWL: usize = 11;

/// An IRI, with the prefix whose namespace it starts with (if any).
struct Iri {
    prefix: Option<usize>,
    iri: String,
}

/// The object of a triple.
enum Obj<'a> {
    Iri(&'a Iri),
    Str(&'a str),
    True,
}

/// Writes triples subject by subject in either syntax.
struct Emitter<'a, W: Write> {
    out: &'a mut W,
    format: RdfFormat,
    prefixes: Vec<(&'static str, String)>,
    /// The subject being written, as it is spelled in N-Triples.
    subject: String,
    /// Whether the current Turtle block has a predicate yet.
    open: bool,
    rdf_type: Iri,
}

impl<'a, W: Write> Emitter<'a, W> {
    fn new(names: &RdfNames, format: RdfFormat, out: &'a mut W) -> Self {
        let prefixes = names.prefixes();
        debug_assert_eq!(
            prefixes.iter().map(|(p, _)| *p).collect::<Vec<_>>(),
            [
                "bg", "kind", "rel", "attr", "e", "src", "conflict", "claim", "rdf", "rdfs",
                "skos", "owl", "xsd"
            ]
        );
        let rdf_type = Iri {
            prefix: Some(RDF),
            iri: format!("{}type", names::RDF),
        };
        Emitter {
            out,
            format,
            prefixes,
            subject: String::new(),
            open: false,
            rdf_type,
        }
    }

    fn header(&mut self) -> io::Result<()> {
        if self.format == RdfFormat::Turtle {
            for (p, ns) in &self.prefixes {
                writeln!(self.out, "@prefix {p}: {} .", iri_ref(ns))?;
            }
        }
        Ok(())
    }

    /// How an IRI is spelled in the current syntax.
    fn spell(&self, iri: &Iri) -> String {
        match iri.prefix {
            Some(p) if self.format == RdfFormat::Turtle => {
                let (prefix, ns) = &self.prefixes[p];
                spell_iri(prefix, ns, &iri.iri)
            }
            _ => iri_ref(&iri.iri),
        }
    }

    /// Starts the triples of `subject`, ending the previous subject's.
    fn subject(&mut self, subject: &Iri) -> io::Result<()> {
        self.end()?;
        self.subject = self.spell(subject);
        Ok(())
    }

    fn end(&mut self) -> io::Result<()> {
        if self.open {
            self.out.write_all(b" .\n")?;
            self.open = false;
        }
        Ok(())
    }

    fn triple(&mut self, predicate: &Iri, object: Obj<'_>) -> io::Result<()> {
        let turtle = self.format == RdfFormat::Turtle;
        let p = if turtle && predicate.iri == self.rdf_type.iri {
            "a".to_owned()
        } else {
            self.spell(predicate)
        };
        let o = match object {
            Obj::Iri(iri) => self.spell(iri),
            Obj::Str(s) => rdf_string(s),
            Obj::True if turtle => "true".to_owned(),
            Obj::True => format!("\"true\"^^{}", iri_ref(&format!("{}boolean", names::XSD))),
        };
        if !turtle {
            return writeln!(self.out, "{} {p} {o} .", self.subject);
        }
        if self.open {
            write!(self.out, " ;\n    {p} {o}")
        } else {
            self.open = true;
            write!(self.out, "\n{} {p} {o}", self.subject)
        }
    }

    fn string(&mut self, predicate: &Iri, text: &str) -> io::Result<()> {
        self.triple(predicate, Obj::Str(text))
    }

    fn opt_string(&mut self, predicate: &Iri, text: Option<&str>) -> io::Result<()> {
        match text {
            Some(t) => self.string(predicate, t),
            None => Ok(()),
        }
    }

    fn iri(&mut self, predicate: &Iri, object: &Iri) -> io::Result<()> {
        self.triple(predicate, Obj::Iri(object))
    }
}

/// Builds the IRIs of one export.
struct Vocab<'n> {
    names: &'n RdfNames,
}

impl Vocab<'_> {
    fn at(prefix: usize, iri: String) -> Iri {
        Iri {
            prefix: Some(prefix),
            iri,
        }
    }
    fn bg(&self, term: &str) -> Iri {
        Self::at(BG, self.names.vocab(term))
    }
    fn kind(&self, id: &str) -> Iri {
        Self::at(KIND, self.names.kind(id))
    }
    fn rel(&self, id: &str) -> Iri {
        Self::at(REL, self.names.relation(id))
    }
    fn attr(&self, id: &str) -> Iri {
        Self::at(ATTR, self.names.attribute(id))
    }
    fn entity(&self, id: &str) -> Iri {
        Self::at(E, self.names.entity(id))
    }
    fn source(&self, id: &str) -> Iri {
        Self::at(SRC, self.names.source(id))
    }
    fn section(&self, source: &str, section: &str) -> Iri {
        Self::at(SRC, self.names.section(source, section))
    }
    fn conflict(&self, id: &str) -> Iri {
        Self::at(CONFLICT, self.names.conflict(id))
    }
    fn edge_claim(&self, index: u32) -> Iri {
        Self::at(CLAIM, self.names.edge_claim(index))
    }
    fn attribute_claim(&self, entity: &str, index: u32) -> Iri {
        Self::at(CLAIM, self.names.attribute_claim(entity, index))
    }
}

fn std_iri(prefix: usize, namespace: &str, local: &str) -> Iri {
    Iri {
        prefix: Some(prefix),
        iri: format!("{namespace}{local}"),
    }
}

/// The fixed terms, built once per export.
struct Terms {
    rdf_type: Iri,
    rdf_property: Iri,
    rdf_statement: Iri,
    rdf_subject: Iri,
    rdf_predicate: Iri,
    rdf_object: Iri,
    class: Iri,
    label: Iri,
    comment: Iri,
    sub_class_of: Iri,
    sub_property_of: Iri,
    alt_label: Iri,
    equivalent_property: Iri,
    graph: Iri,
    entity: Iri,
    source_class: Iri,
    section_class: Iri,
    conflict_class: Iri,
    plural: Iri,
    forward_phrase: Iri,
    inverse_phrase: Iri,
    domain_kind: Iri,
    range_kind: Iri,
    single_valued: Iri,
    hierarchy: Iri,
    location: Iri,
    has_section: Iri,
    section_of: Iri,
    id: Iri,
    source: Iri,
    section: Iri,
    certainty: Iri,
    hedge: Iri,
    frequency: Iri,
    rank: Iri,
    basis: Iri,
    conflict_kind: Iri,
    quantity: Iri,
    timing: Iri,
    context: Iri,
    note: Iri,
    conflict: Iri,
}

impl Terms {
    fn new(v: &Vocab<'_>) -> Self {
        let rdf = |l| std_iri(RDF, names::RDF, l);
        let rdfs = |l| std_iri(RDFS, names::RDFS, l);
        Terms {
            rdf_type: rdf("type"),
            rdf_property: rdf("Property"),
            rdf_statement: rdf("Statement"),
            rdf_subject: rdf("subject"),
            rdf_predicate: rdf("predicate"),
            rdf_object: rdf("object"),
            class: rdfs("Class"),
            label: rdfs("label"),
            comment: rdfs("comment"),
            sub_class_of: rdfs("subClassOf"),
            sub_property_of: rdfs("subPropertyOf"),
            alt_label: std_iri(SKOS, names::SKOS, "altLabel"),
            equivalent_property: std_iri(OWL, names::OWL, "equivalentProperty"),
            graph: v.bg("Graph"),
            entity: v.bg("Entity"),
            source_class: v.bg("Source"),
            section_class: v.bg("Section"),
            conflict_class: v.bg("Conflict"),
            plural: v.bg("plural"),
            forward_phrase: v.bg("forwardPhrase"),
            inverse_phrase: v.bg("inversePhrase"),
            domain_kind: v.bg("domainKind"),
            range_kind: v.bg("rangeKind"),
            single_valued: v.bg("singleValued"),
            hierarchy: v.bg("hierarchy"),
            location: v.bg("location"),
            has_section: v.bg("hasSection"),
            section_of: v.bg("sectionOf"),
            id: v.bg("id"),
            source: v.bg("source"),
            section: v.bg("section"),
            certainty: v.bg("certainty"),
            hedge: v.bg("hedge"),
            frequency: v.bg("frequency"),
            rank: v.bg("rank"),
            basis: v.bg("basis"),
            conflict_kind: v.bg("conflictKind"),
            quantity: v.bg("quantity"),
            timing: v.bg("timing"),
            context: v.bg("context"),
            note: v.bg("note"),
            conflict: v.bg("conflict"),
        }
    }
}

fn emit_graph<W: Write>(
    kg: &KnowledgeGraph,
    names: &RdfNames,
    w: &mut Emitter<'_, W>,
) -> io::Result<()> {
    let v = Vocab { names };
    let t = Terms::new(&v);
    let schema = kg.schema();

    // The graph itself.
    w.subject(&Iri {
        prefix: None,
        iri: names.base().to_owned(),
    })?;
    w.iri(&t.rdf_type, &t.graph)?;
    w.string(&t.label, kg.name())?;
    w.opt_string(&t.comment, kg.description())?;

    // Kinds.
    w.subject(&t.entity)?;
    w.iri(&t.rdf_type, &t.class)?;
    w.string(&t.label, "entity")?;
    for k in &schema.kinds {
        w.subject(&v.kind(&k.id))?;
        w.iri(&t.rdf_type, &t.class)?;
        w.iri(&t.sub_class_of, &t.entity)?;
        w.string(&t.label, &k.singular)?;
        w.string(&t.plural, &k.plural)?;
        for s in &k.synonyms {
            w.string(&t.alt_label, s)?;
        }
        w.opt_string(&t.comment, k.description.as_deref())?;
    }

    // Relation types.
    let kinds = |set: &KindSet| -> Vec<Iri> {
        match set {
            KindSet::Any => Vec::new(),
            KindSet::Only(ks) => ks.iter().map(|&k| v.kind(&schema.kind(k).id)).collect(),
        }
    };
    for r in &schema.relations {
        w.subject(&v.rel(&r.id))?;
        w.iri(&t.rdf_type, &t.rdf_property)?;
        w.string(&t.label, &r.id.replace('_', " "))?;
        for p in &r.forward {
            w.string(&t.forward_phrase, p)?;
        }
        for p in &r.inverse {
            w.string(&t.inverse_phrase, p)?;
        }
        if let Some(parent) = r.parent {
            w.iri(&t.sub_property_of, &v.rel(&schema.relation(parent).id))?;
        }
        for k in kinds(&r.from) {
            w.iri(&t.domain_kind, &k)?;
        }
        for k in kinds(&r.to) {
            w.iri(&t.range_kind, &k)?;
        }
        if r.single_valued {
            w.triple(&t.single_valued, Obj::True)?;
        }
        if r.hierarchy {
            w.iri(&t.equivalent_property, &t.sub_class_of)?;
            w.triple(&t.hierarchy, Obj::True)?;
        }
        w.opt_string(&t.comment, r.description.as_deref())?;
    }

    // Attributes.
    for a in &schema.attributes {
        w.subject(&v.attr(&a.id))?;
        w.iri(&t.rdf_type, &t.rdf_property)?;
        w.string(&t.label, &a.label)?;
        w.opt_string(&t.comment, a.description.as_deref())?;
        if a.single_valued {
            w.triple(&t.single_valued, Obj::True)?;
        }
    }

    // Sources and their sections.
    for s in kg.sources() {
        let src = v.source(&s.id);
        w.subject(&src)?;
        w.iri(&t.rdf_type, &t.source_class)?;
        w.string(&t.label, &s.title)?;
        w.opt_string(&t.location, s.location.as_deref())?;
        w.opt_string(&t.comment, s.note.as_deref())?;
        for (id, _) in &s.sections {
            w.iri(&t.has_section, &v.section(&s.id, id))?;
        }
        for (id, title) in &s.sections {
            w.subject(&v.section(&s.id, id))?;
            w.iri(&t.rdf_type, &t.section_class)?;
            w.string(&t.label, title)?;
            w.iri(&t.section_of, &src)?;
        }
    }

    // Conflicts.
    for c in kg.conflicts() {
        w.subject(&v.conflict(&c.id))?;
        w.iri(&t.rdf_type, &t.conflict_class)?;
        w.string(&t.conflict_kind, c.kind.as_str())?;
        w.string(&t.comment, &c.note)?;
    }

    // Entities, each followed by the statements of its attribute values.
    for n in kg.nodes() {
        let e = kg.entity(n);
        let subject = v.entity(&e.id);
        w.subject(&subject)?;
        w.iri(&t.rdf_type, &v.kind(&schema.kind(e.kind).id))?;
        w.string(&t.id, &e.id)?;
        w.string(&t.label, &e.name)?;
        for a in &e.aliases {
            w.string(&t.alt_label, a)?;
        }
        w.opt_string(&t.comment, e.summary.as_deref())?;
        if let Some(p) = e.provenance {
            let (src, sec) = kg.describe_provenance(&p);
            w.iri(&t.source, &v.source(&src.id))?;
            if let Some(sec) = sec {
                w.iri(&t.section, &v.section(&src.id, sec))?;
            }
        }
        let attrs: Vec<Iri> = e
            .attributes
            .iter()
            .map(|a| v.attr(&schema.attributes[usize::from(a.key)].id))
            .collect();
        for (a, key) in e.attributes.iter().zip(&attrs) {
            w.string(key, &a.value)?;
        }
        for (a, key) in e.attributes.iter().zip(&attrs) {
            w.subject(&v.attribute_claim(&e.id, a.claim.file_index))?;
            w.iri(&t.rdf_type, &t.rdf_statement)?;
            w.iri(&t.rdf_subject, &subject)?;
            w.iri(&t.rdf_predicate, key)?;
            w.string(&t.rdf_object, &a.value)?;
            claim(kg, &v, &t, &a.claim, w)?;
        }
    }

    // Edges: the asserted triple, then its statement.
    for ix in kg.edges() {
        let (a, edge, b) = kg.edge(ix);
        let rel = schema.relation(edge.rel);
        let from = v.entity(&kg.entity(a).id);
        let to = v.entity(&kg.entity(b).id);
        let own;
        let predicate = if rel.hierarchy {
            &t.sub_class_of
        } else {
            own = v.rel(&rel.id);
            &own
        };
        w.subject(&from)?;
        w.iri(predicate, &to)?;
        w.subject(&v.edge_claim(edge.claim.file_index))?;
        w.iri(&t.rdf_type, &t.rdf_statement)?;
        w.iri(&t.rdf_subject, &from)?;
        w.iri(&t.rdf_predicate, predicate)?;
        w.iri(&t.rdf_object, &to)?;
        claim(kg, &v, &t, &edge.claim, w)?;
    }
    w.end()
}

/// The provenance, qualifiers and conflict of a statement.
fn claim<W: Write>(
    kg: &KnowledgeGraph,
    v: &Vocab<'_>,
    t: &Terms,
    c: &Claim,
    w: &mut Emitter<'_, W>,
) -> io::Result<()> {
    if let Some(p) = c.provenance {
        let (src, sec) = kg.describe_provenance(&p);
        w.iri(&t.source, &v.source(&src.id))?;
        if let Some(sec) = sec {
            w.iri(&t.section, &v.section(&src.id, sec))?;
        }
    }
    let q = c.qualifiers();
    if let Some(certainty) = q.certainty {
        w.string(&t.certainty, &format!("{certainty:?}").to_lowercase())?;
    }
    for (predicate, value) in [
        (&t.hedge, &q.hedge),
        (&t.frequency, &q.frequency),
        (&t.rank, &q.rank),
        (&t.quantity, &q.quantity),
        (&t.timing, &q.timing),
        (&t.context, &q.context),
        (&t.note, &q.note),
    ] {
        w.opt_string(predicate, value.as_deref())?;
    }
    if let Some(conflict) = c.conflict {
        w.iri(&t.conflict, &v.conflict(&kg.conflict(conflict).id))?;
    }
    if let Some(basis) = c.basis {
        w.string(&t.basis, basis.as_str())?;
    }
    Ok(())
}
