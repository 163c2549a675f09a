//! Export to other graph stores: RDF (N-Triples and Turtle, parsed back with oxttl), the
//! Cypher script (Neo4j and Kuzu dialects, string literals decoded back), the CSV directory
//! (parsed back with the csv crate), golden output on the tiny graph, the `export` command's
//! options and exit codes, and, where Python's `kuzu` package is installed, loading both
//! property-graph forms into Kuzu itself.

use crate::util::{assert_golden, bonegraph, fixture, root, scratch, stderr, stdout};
use bonegraph::KnowledgeGraph;
use bonegraph::interchange::names::{RdfNames, rdf_string};
use bonegraph::interchange::pg::{
    self, CsvExport, Dialect, PgError, relation_file_name, write_cypher,
};
use bonegraph::interchange::rdf::{RdfFormat, write_rdf};
use std::collections::{BTreeMap, HashSet};
use std::path::Path;
use std::process::Command;

/// Names that are hard to quote in CSV, Cypher and shell: quotes, `;` and `|` in aliases (so
/// the array delimiter moves), brackets, commas, line breaks, control characters, a relation
/// type with a quote and one with spaces.
const HOSTILE_PG: &str = r#"(
  name: "it's a \"graph\"",
  schema: (
    kinds: [(id: "thing", singular: "thing", plural: "things")],
    relations: [
      (id: "it's", from: ["*"], to: ["*"], forward: ["quoting"], inverse: ["quoted by"]),
      (id: "rel with space", from: ["*"], to: ["*"], forward: ["spacing"], inverse: ["spaced by"]),
      (id: "is_a", from: ["*"], to: ["*"], hierarchy: true, forward: ["that are"], inverse: ["including"]),
    ],
    attributes: [(id: "note,key", label: "a note")],
  ),
  sources: [(id: "s", title: "S", sections: [(id: "a;b", title: "A")])],
  entities: [
    (id: "it's", kind: "thing", name: "O'Brien; \"x\", y",
     aliases: ["a;b", "c|d", " lead", "[list]", "tab\there"],
     summary: "bell \u{7} and\r\nCRLF", source: "s", section: "a;b",
     attributes: [(key: "note,key", value: "1,2\n3 'q'", source: "s", hedge: "can't")]),
    (id: "plain", kind: "thing", name: "plain"),
    (id: "{x}", kind: "thing", name: "  spaced  ", aliases: ["(p)"]),
  ],
  relations: [
    (from: "it's", rel: "it's", to: "plain", source: "s", section: "a;b", note: "n,o;t\"e"),
    (from: "plain", rel: "rel with space", to: "{x}"),
    (from: "{x}", rel: "is_a", to: "plain", certainty: Likely),
    (from: "plain", rel: "it's", to: "plain"),
  ],
)"#;

/// The CSV export written into a new directory `dir`, one file per name (what the command
/// line does, without its staging).
fn write_csv_dir(kg: &KnowledgeGraph, dir: &std::path::Path) -> Result<CsvExport, PgError> {
    // The directory is made with the first file, so a refused export leaves nothing.
    pg::write_csv(
        kg,
        |name| {
            std::fs::create_dir_all(dir)?;
            std::fs::File::create(dir.join(name))
        },
        |_, _| Ok(()),
    )
}

fn load(rel: &str) -> KnowledgeGraph {
    KnowledgeGraph::from_path(root().join(fixture(rel))).unwrap()
}

fn hostile_pg() -> KnowledgeGraph {
    KnowledgeGraph::from_str(HOSTILE_PG).unwrap()
}

/// A graph whose only relation type is named `rel`, with one edge.
fn graph_with_relation(rel: &str, extra: &str) -> KnowledgeGraph {
    KnowledgeGraph::from_str(&format!(
        r#"(
          name: "r",
          schema: (
            kinds: [(id: "k", singular: "k", plural: "ks")],
            relations: [(id: "{rel}", from: ["*"], to: ["*"], forward: ["relating to"], inverse: ["related from"]){extra}],
          ),
          entities: [(id: "a", kind: "k", name: "a"), (id: "b", kind: "k", name: "b")],
          relations: [(from: "a", rel: "{rel}", to: "b")],
        )"#
    ))
    .unwrap()
}

fn rdf_text(kg: &KnowledgeGraph, names: &RdfNames, format: RdfFormat) -> String {
    let mut out = Vec::new();
    write_rdf(kg, names, format, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// Every triple of `text`, in N-Triples form, as oxttl parses it (duplicates kept).
fn parse(text: &str, format: RdfFormat) -> Vec<String> {
    let triples: Result<Vec<_>, _> = match format {
        RdfFormat::NTriples => oxttl::NTriplesParser::new()
            .for_slice(text.as_bytes())
            .map(|t| t.map(|t| t.to_string()))
            .collect(),
        RdfFormat::Turtle => oxttl::TurtleParser::new()
            .for_slice(text.as_bytes())
            .map(|t| t.map(|t| t.to_string()))
            .collect(),
    };
    triples.unwrap_or_else(|e| panic!("{format:?} does not parse: {e}\n{text}"))
}

/// Parses both syntaxes, checks they hold the same triples, and returns them.
fn same_triples(kg: &KnowledgeGraph, names: &RdfNames) -> HashSet<String> {
    let nt = parse(
        &rdf_text(kg, names, RdfFormat::NTriples),
        RdfFormat::NTriples,
    );
    let ttl = parse(&rdf_text(kg, names, RdfFormat::Turtle), RdfFormat::Turtle);
    assert_eq!(nt.len(), ttl.len(), "the two syntaxes differ in size");
    let nt: HashSet<String> = nt.into_iter().collect();
    let ttl: HashSet<String> = ttl.into_iter().collect();
    let only_nt: Vec<_> = nt.difference(&ttl).collect();
    let only_ttl: Vec<_> = ttl.difference(&nt).collect();
    assert!(
        only_nt.is_empty() && only_ttl.is_empty(),
        "only in N-Triples: {only_nt:?}\nonly in Turtle: {only_ttl:?}"
    );
    nt
}

const RDF_TYPE: &str = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>";
const SUB_CLASS_OF: &str = "<http://www.w3.org/2000/01/rdf-schema#subClassOf>";
const LABEL: &str = "<http://www.w3.org/2000/01/rdf-schema#label>";
const ALT_LABEL: &str = "<http://www.w3.org/2004/02/skos/core#altLabel>";
const STATEMENT: &str = "<http://www.w3.org/1999/02/22-rdf-syntax-ns#Statement>";

fn triple(s: &str, p: &str, o: &str) -> String {
    format!("{s} {p} {o}")
}

fn iri(text: &str) -> String {
    format!("<{text}>")
}

#[test]
fn ntriples_and_turtle_of_every_graph_parse_to_the_same_triples() {
    let custom = RdfNames::parse_base("urn:example:kb/").unwrap();
    for (what, kg) in [
        ("embedded", KnowledgeGraph::embedded().clone()),
        ("tiny", load("valid/tiny.ron")),
        ("hostile", load("valid/hostile.ron")),
        ("hostile-pg", hostile_pg()),
    ] {
        for names in [RdfNames::default(), custom.clone()] {
            let triples = same_triples(&kg, &names);
            assert!(!triples.is_empty(), "{what}");
            // One statement per edge and per attribute value.
            let attributes: usize = kg.nodes().map(|n| kg.entity(n).attributes.len()).sum();
            let statements = triples
                .iter()
                .filter(|t| t.ends_with(&format!("{RDF_TYPE} {STATEMENT}")))
                .count();
            assert_eq!(statements, kg.edge_count() + attributes, "{what}");
            // Every subject is under the base (or is the base).
            for t in &triples {
                assert!(t.starts_with(&format!("<{}", names.base())), "{what}: {t}");
            }
        }
    }
}

#[test]
fn the_rdf_export_holds_the_triples_users_rely_on() {
    let kg = KnowledgeGraph::embedded();
    let n = RdfNames::default();
    let triples = same_triples(kg, &n);
    let has = |t: String| assert!(triples.contains(&t), "missing {t}");
    let zol = iri(&n.entity("zoledronic_acid"));
    has(triple(
        &zol,
        SUB_CLASS_OF,
        &iri(&n.entity("bisphosphonates")),
    ));
    has(triple(&zol, LABEL, &rdf_string("zoledronic acid")));
    has(triple(&zol, ALT_LABEL, &rdf_string("Zometa")));
    has(triple(&zol, RDF_TYPE, &iri(&n.kind("therapy"))));
    has(triple(
        &zol,
        &iri(&n.vocab("id")),
        &rdf_string("zoledronic_acid"),
    ));
    has(triple(
        &iri(&n.kind("therapy")),
        SUB_CLASS_OF,
        &iri(&n.vocab("Entity")),
    ));
    // The hierarchy relation is declared, and its edges use rdfs:subClassOf only.
    let is_a = iri(&n.relation("is_a"));
    has(triple(
        &is_a,
        "<http://www.w3.org/2002/07/owl#equivalentProperty>",
        SUB_CLASS_OF,
    ));
    assert!(
        !triples
            .iter()
            .any(|t| t.split(' ').nth(1) == Some(is_a.as_str())),
        "an edge written with rel:is_a"
    );
    // A hedged edge and its statement.
    let (edge, (a, b)) = kg
        .edges()
        .map(|e| {
            let (a, edge, b) = kg.edge(e);
            (edge, (a, b))
        })
        .find(|(e, _)| e.claim.qualifiers().hedge.as_deref() == Some("may"))
        .expect("an edge hedged with `may`");
    let rel = iri(&n.relation(&kg.schema().relation(edge.rel).id));
    let from = iri(&n.entity(&kg.entity(a).id));
    let to = iri(&n.entity(&kg.entity(b).id));
    has(triple(&from, &rel, &to));
    let claim = iri(&n.edge_claim(edge.claim.file_index));
    has(triple(&claim, RDF_TYPE, STATEMENT));
    has(triple(
        &claim,
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#subject>",
        &from,
    ));
    has(triple(
        &claim,
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate>",
        &rel,
    ));
    has(triple(
        &claim,
        "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object>",
        &to,
    ));
    has(triple(&claim, &iri(&n.vocab("hedge")), &rdf_string("may")));
    has(triple(
        &claim,
        &iri(&n.vocab("certainty")),
        &rdf_string("possible"),
    ));
    // Conflicts are marked on the statements that take part in them.
    has(triple(
        &iri(&n.conflict("denosumab_class")),
        RDF_TYPE,
        &iri(&n.vocab("Conflict")),
    ));
    assert!(triples.iter().any(|t| t.ends_with(&format!(
        "{} {}",
        iri(&n.vocab("conflict")),
        iri(&n.conflict("denosumab_class"))
    ))));
    // Single-valued flags are typed booleans.
    has(triple(
        &iri(&n.attribute("interval")),
        &iri(&n.vocab("singleValued")),
        "\"true\"^^<http://www.w3.org/2001/XMLSchema#boolean>",
    ));
}

#[test]
fn the_rdf_export_is_deterministic_and_refuses_a_base_with_a_fragment() {
    let kg = KnowledgeGraph::embedded();
    let n = RdfNames::default();
    for format in [RdfFormat::NTriples, RdfFormat::Turtle] {
        assert_eq!(rdf_text(kg, &n, format), rdf_text(kg, &n, format));
    }
    let mut out = Vec::new();
    let err = write_rdf(
        kg,
        &RdfNames::new("https://example.org/kb#"),
        RdfFormat::Turtle,
        &mut out,
    )
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("may not contain `#`"), "{err}");
    assert!(out.is_empty());
}

fn cypher(kg: &KnowledgeGraph, dialect: Dialect) -> String {
    let mut out = Vec::new();
    write_cypher(kg, dialect, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

/// One piece of a Cypher statement.
#[derive(Debug, PartialEq)]
enum Token {
    /// A string literal, decoded by Neo4j's escape rules.
    Str(String),
    /// A back-quoted identifier, decoded.
    Ident(String),
    /// Anything else.
    Other(char),
}

/// Splits one Cypher statement into tokens, panicking on an unterminated string or
/// identifier or an escape Neo4j does not know.
fn tokens(line: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some('\\') => s.push(match chars.next() {
                            Some('n') => '\n',
                            Some('r') => '\r',
                            Some('t') => '\t',
                            Some('\'') => '\'',
                            Some('"') => '"',
                            Some('\\') => '\\',
                            Some('u') => {
                                let hex: String = chars.by_ref().take(4).collect();
                                char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap()
                            }
                            other => panic!("unknown escape {other:?} in {line}"),
                        }),
                        Some(c) => s.push(c),
                        None => panic!("unterminated string in {line}"),
                    }
                }
                out.push(Token::Str(s));
            }
            '`' => {
                let mut s = String::new();
                loop {
                    match chars.next() {
                        Some('`') if chars.peek() == Some(&'`') => {
                            chars.next();
                            s.push('`');
                        }
                        Some('`') => break,
                        Some(c) => s.push(c),
                        None => panic!("unterminated identifier in {line}"),
                    }
                }
                out.push(Token::Ident(s));
            }
            c => out.push(Token::Other(c)),
        }
    }
    out
}

/// The statements of a script: every line that is not a comment.
fn statements(script: &str) -> Vec<&str> {
    script
        .lines()
        .filter(|l| !l.starts_with("//") && !l.is_empty())
        .collect()
}

#[test]
fn the_cypher_script_has_one_statement_per_entity_attribute_and_edge() {
    let kg = KnowledgeGraph::embedded();
    for dialect in [Dialect::Neo4j, Dialect::Kuzu] {
        let script = cypher(kg, dialect);
        assert!(
            script.starts_with("// bonegraph export of `"),
            "{dialect:?}"
        );
        let lines = statements(&script);
        for l in &lines {
            assert!(l.ends_with(';'), "{l}");
            tokens(l);
        }
        let count = |prefix: &str| lines.iter().filter(|l| l.starts_with(prefix)).count();
        let attributes: usize = kg.nodes().map(|n| kg.entity(n).attributes.len()).sum();
        assert_eq!(
            count("CREATE (:`Entity` {"),
            kg.entity_count(),
            "{dialect:?}"
        );
        assert_eq!(
            count("MATCH (a:`Entity` {id: "),
            kg.edge_count(),
            "{dialect:?}"
        );
        assert_eq!(count("MATCH (e:`Entity` {id: "), attributes, "{dialect:?}");
        let ddl = count("CREATE NODE TABLE ") + count("CREATE REL TABLE ");
        let constraints = count("CREATE CONSTRAINT ");
        match dialect {
            Dialect::Neo4j => assert_eq!((ddl, constraints), (0, 2)),
            Dialect::Kuzu => {
                assert_eq!(ddl, 2 + kg.schema().relations.len() + 1);
                assert_eq!(constraints, 0);
            }
        }
        assert_eq!(
            lines.len(),
            kg.entity_count() + kg.edge_count() + attributes + ddl + constraints
        );
    }
    let script = cypher(kg, Dialect::Neo4j);
    assert!(script.contains(
        "CREATE (:`Entity` {id: 'zoledronic_acid', name: 'zoledronic acid', kind: 'therapy', \
         aliases: ['Zometa'], summary: "
    ));
}

#[test]
fn hostile_names_survive_the_cypher_script() {
    for kg in [load("valid/hostile.ron"), hostile_pg()] {
        let script = cypher(&kg, Dialect::Neo4j);
        let mut strings = HashSet::new();
        let mut idents = HashSet::new();
        for l in statements(&script) {
            for t in tokens(l) {
                match t {
                    Token::Str(s) => {
                        strings.insert(s);
                    }
                    Token::Ident(s) => {
                        idents.insert(s);
                    }
                    Token::Other(_) => {}
                }
            }
        }
        for n in kg.nodes() {
            let e = kg.entity(n);
            assert!(strings.contains(&e.id), "{:?}", e.id);
            assert!(strings.contains(&e.name), "{:?}", e.name);
            for a in &e.aliases {
                assert!(strings.contains(a), "{a:?}");
            }
            for a in &e.attributes {
                assert!(strings.contains(&a.value), "{:?}", a.value);
            }
        }
        for r in &kg.schema().relations {
            assert!(idents.contains(&r.id), "{:?}", r.id);
        }
    }
    // Kuzu reads `\'` and `\\` but not `\n`: control characters are spelled another way.
    let kuzu = cypher(&hostile_pg(), Dialect::Kuzu);
    assert!(kuzu.contains(
        "CREATE (:`Entity` {id: 'it\\'s', name: 'O\\'Brien; \"x\", y', kind: 'thing', \
         aliases: ['a;b', 'c|d', ' lead', '[list]', 'tab' + decode(BLOB('\\\\x09')) + 'here'], \
         summary: 'bell ' + decode(BLOB('\\\\x07')) + ' and' + decode(BLOB('\\\\x0D\\\\x0A')) + 'CRLF', \
         source: 's', section: 'a;b'});\n"
    ));
    assert!(kuzu.contains("CREATE REL TABLE `it's`(FROM `Entity` TO `Entity`, source STRING,"));
}

#[test]
fn reserved_and_clashing_relation_names_are_refused() {
    for name in ["HAS_ATTRIBUTE", "has_attribute", "entity", "Attribute"] {
        let kg = graph_with_relation(name, "");
        let err = write_cypher(&kg, Dialect::Neo4j, &mut Vec::new()).unwrap_err();
        assert!(
            matches!(&err, PgError::ReservedName { relation, .. } if relation == name),
            "{err:?}"
        );
        let message = err.to_string();
        assert!(
            message.contains(&format!("relation type `{name}`")),
            "{message}"
        );
        let dir = scratch("reserved").join("out");
        assert!(matches!(
            write_csv_dir(&kg, &dir),
            Err(PgError::ReservedName { .. })
        ));
        assert!(!dir.exists());
    }
    let kg = graph_with_relation(
        "treats",
        r#", (id: "Treats", from: ["*"], to: ["*"], forward: ["curing"], inverse: ["cured by"])"#,
    );
    assert!(write_cypher(&kg, Dialect::Neo4j, &mut Vec::new()).is_ok());
    let err = write_cypher(&kg, Dialect::Kuzu, &mut Vec::new()).unwrap_err();
    assert_eq!(
        err.to_string(),
        "relation types `treats` and `Treats` differ only in case, and Kuzu table names ignore \
         case, so they cannot both be exported for Kuzu or as CSV"
    );
    assert!(matches!(
        write_csv_dir(&kg, &scratch("clash").join("out")),
        Err(PgError::CaseClash { .. })
    ));
}

/// The records of a CSV file (header first).
fn csv_records(path: &Path) -> Vec<Vec<String>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_path(path)
        .unwrap();
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_csv_directory_has_a_file_per_table_with_neo4j_headers() {
    let kg = KnowledgeGraph::embedded();
    let dir = scratch("csv-embedded").join("graph-csv");
    let written = write_csv_dir(kg, &dir).unwrap();
    assert_eq!(written.array_delimiter, ';');
    let mut expected = vec![
        "entities.csv".to_owned(),
        "attributes.csv".to_owned(),
        "has_attribute.csv".to_owned(),
    ];
    expected.extend(
        kg.schema()
            .relations
            .iter()
            .map(|r| relation_file_name(&r.id)),
    );
    expected.extend([pg::KUZU_SCRIPT.to_owned(), pg::NEO4J_SCRIPT.to_owned()]);
    assert_eq!(written.files, expected);
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(on_disk, sorted);

    let entities = csv_records(&dir.join("entities.csv"));
    assert_eq!(
        entities[0],
        [
            "id:ID(Entity)",
            "name",
            "kind",
            "aliases:string[]",
            "summary",
            "source",
            "section"
        ]
    );
    assert_eq!(entities.len(), 1 + kg.entity_count());
    let attribute_count: usize = kg.nodes().map(|n| kg.entity(n).attributes.len()).sum();
    let zol = entities.iter().find(|r| r[0] == "zoledronic_acid").unwrap();
    assert_eq!(zol[1..4], ["zoledronic acid", "therapy", "Zometa"]);
    let attributes = csv_records(&dir.join("attributes.csv"));
    assert_eq!(
        attributes[0].join(","),
        "id:ID(Attribute),entity,key,value,source,section,certainty,hedge,frequency,rank,\
         quantity,timing,context,note,conflict,basis"
    );
    assert_eq!(attributes.len(), 1 + attribute_count);
    let links = csv_records(&dir.join("has_attribute.csv"));
    assert_eq!(links[0], [":START_ID(Entity)", ":END_ID(Attribute)"]);
    assert_eq!(links.len(), 1 + attribute_count);
    let mut edges = 0;
    for r in &kg.schema().relations {
        let rows = csv_records(&dir.join(relation_file_name(&r.id)));
        assert_eq!(
            rows[0].join(","),
            ":START_ID(Entity),:END_ID(Entity),source,section,certainty,hedge,frequency,\
             rank,quantity,timing,context,note,conflict,basis"
        );
        edges += rows.len() - 1;
    }
    assert_eq!(edges, kg.edge_count());
    let is_a = csv_records(&dir.join("rel-is_a.csv"));
    assert!(is_a.iter().any(|r| r[0] == "zoledronic_acid"
        && r[1] == "bisphosphonates"
        && r[2] == "article"
        && r[3] == "bisphosphonates"));

    let kuzu = std::fs::read_to_string(dir.join(pg::KUZU_SCRIPT)).unwrap();
    assert!(kuzu.contains("COPY `Attribute` FROM 'attributes.csv' (HEADER=true"));
    assert!(kuzu.contains("COPY `is_a` FROM 'rel-is_a.csv' (HEADER=true"));
    assert!(kuzu.contains("string_split(aliases, ';')"));
    let neo4j = std::fs::read_to_string(dir.join(pg::NEO4J_SCRIPT)).unwrap();
    assert!(neo4j.starts_with("#!/bin/sh\n"));
    assert!(neo4j.contains("exec neo4j-admin database import full \"$database\" \"$@\" \\\n"));
    assert!(neo4j.contains("  --nodes=Entity=entities.csv \\\n"));
    assert!(neo4j.contains("  --relationships=has_side_effect=rel-has_side_effect.csv \\\n"));
    assert!(!neo4j.contains("--multiline-fields"));
    assert_shell_syntax(&dir.join(pg::NEO4J_SCRIPT));
}

/// Fails unless `sh -n` accepts the script (where `sh` exists).
fn assert_shell_syntax(path: &Path) {
    match Command::new("sh").arg("-n").arg(path).output() {
        Ok(out) => assert!(
            out.status.success(),
            "sh rejects {}: {}",
            path.display(),
            stderr(&out)
        ),
        Err(_) => eprintln!("note: no `sh`; shell syntax not checked"),
    }
}

/// Runs `neo4j-import.sh` in `dir` with `args`, with a stand-in `neo4j-admin` on the path
/// that prints its arguments one a line, and returns them.
fn run_neo4j_script(dir: &Path, args: &[&str]) -> Vec<String> {
    let bin = dir.with_extension("bin");
    std::fs::create_dir_all(&bin).unwrap();
    let admin = bin.join("neo4j-admin");
    std::fs::write(
        &admin,
        "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n",
    )
    .unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&admin, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = Command::new("sh")
        .arg(dir.join(pg::NEO4J_SCRIPT))
        .args(args)
        .env("PATH", path)
        .output()
        .expect("sh runs");
    assert!(out.status.success(), "{}", stderr(&out));
    stdout(&out).lines().map(str::to_owned).collect()
}

#[test]
fn hostile_names_round_trip_through_csv_quoting() {
    let kg = hostile_pg();
    let dir = scratch("csv-hostile").join("out");
    let written = write_csv_dir(&kg, &dir).unwrap();
    // `;` and `|` occur in aliases, so the next delimiter is used.
    assert_eq!(written.array_delimiter, '^');
    assert!(written.multiline);
    let entities = csv_records(&dir.join("entities.csv"));
    for n in kg.nodes() {
        let e = kg.entity(n);
        let row = entities.iter().find(|r| r[0] == e.id).expect(&e.id);
        assert_eq!(row[1], e.name);
        let aliases: Vec<&str> = if row[3].is_empty() {
            Vec::new()
        } else {
            row[3].split('^').collect()
        };
        assert_eq!(aliases, e.aliases);
        assert_eq!(row[4], e.summary.clone().unwrap_or_default());
    }
    let attributes = csv_records(&dir.join("attributes.csv"));
    assert_eq!(
        attributes[1][..4],
        ["attr-it's-0", "it's", "note,key", "1,2\n3 'q'"]
    );
    assert_eq!(attributes[1][7], "can't");
    let quoted = csv_records(&dir.join(relation_file_name("it's")));
    assert_eq!(quoted[1][..4], ["it's", "plain", "s", "a;b"]);
    assert_eq!(quoted[1][11], "n,o;t\"e");
    // Absent values are empty, unquoted fields.
    let raw = std::fs::read_to_string(dir.join(relation_file_name("it's"))).unwrap();
    assert!(raw.ends_with("\nplain,plain,,,,,,,,,,,,\n"), "{raw}");
    let neo4j = std::fs::read_to_string(dir.join(pg::NEO4J_SCRIPT)).unwrap();
    assert!(neo4j.contains("  '--array-delimiter=^' \\\n  --multiline-fields=true \\\n"));
    assert!(neo4j.contains("  '--relationships=it'\\''s=rel-it%27s.csv' \\\n"));
    assert!(neo4j.contains("  '--relationships=rel with space=rel-rel%20with%20space.csv' \\\n"));
    assert_shell_syntax(&dir.join(pg::NEO4J_SCRIPT));
    assert_eq!(
        run_neo4j_script(&dir, &["mydb", "--overwrite-destination"]),
        [
            "database",
            "import",
            "full",
            "mydb",
            "--overwrite-destination",
            "--array-delimiter=^",
            "--multiline-fields=true",
            "--nodes=Entity=entities.csv",
            "--nodes=Attribute=attributes.csv",
            "--relationships=HAS_ATTRIBUTE=has_attribute.csv",
            "--relationships=it's=rel-it%27s.csv",
            "--relationships=rel with space=rel-rel%20with%20space.csv",
            "--relationships=is_a=rel-is_a.csv",
        ]
    );
    assert_eq!(run_neo4j_script(&dir, &[])[3], "neo4j");
    let kuzu = std::fs::read_to_string(dir.join(pg::KUZU_SCRIPT)).unwrap();
    assert!(kuzu.contains("string_split(aliases, '^')"));
    assert!(kuzu.contains(
        "FROM 'entities.csv' (HEADER=true, DELIM=',', QUOTE='\"', ESCAPE='\"', PARALLEL=false)"
    ));
}

#[test]
fn the_csv_directory_is_written_whole_or_not_at_all() {
    // Writing a directory is the command line's job (the library writes through `open`).
    let base = scratch("csv-dirs");
    let export = |dir: &std::path::Path| {
        bonegraph(&[
            "--graph",
            "tests/fixtures/valid/tiny.ron",
            "export",
            "csv",
            "-o",
            dir.to_str().unwrap(),
        ])
    };
    // An empty directory is filled.
    let empty = base.join("empty");
    std::fs::create_dir(&empty).unwrap();
    assert_eq!(export(&empty).status.code(), Some(0));
    assert!(empty.join("entities.csv").exists());
    // A directory with anything in it is refused and left alone.
    let out = export(&empty);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("is a directory that is not empty; give a new or an empty directory"),
        "{}",
        stderr(&out)
    );
    // So is a file.
    let file = base.join("file.txt");
    std::fs::write(&file, "keep").unwrap();
    let out = export(&file);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("is not a directory"),
        "{}",
        stderr(&out)
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
    // A directory whose parent is missing fails with nothing left behind.
    assert_eq!(
        export(&base.join("missing").join("out")).status.code(),
        Some(3)
    );
    // A 254-byte name works: the staging directory has a short name of its own.
    let long = base.join("d".repeat(254));
    assert_eq!(export(&long).status.code(), Some(0));
    assert!(long.join("entities.csv").exists());
    std::fs::remove_dir_all(&long).unwrap();
    let mut names: Vec<String> = std::fs::read_dir(&base)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["empty", "file.txt"]);
}

#[test]
fn the_tiny_graph_exports_exactly_as_expected() {
    let kg = load("valid/tiny.ron");
    let n = RdfNames::default();
    assert_golden(
        &fixture("valid/tiny.nt"),
        &rdf_text(&kg, &n, RdfFormat::NTriples),
    );
    assert_golden(
        &fixture("valid/tiny.ttl"),
        &rdf_text(&kg, &n, RdfFormat::Turtle),
    );
    assert_golden(&fixture("valid/tiny.cypher"), &cypher(&kg, Dialect::Neo4j));
    assert_golden(
        &fixture("valid/tiny-kuzu.cypher"),
        &cypher(&kg, Dialect::Kuzu),
    );
}

#[test]
fn export_writes_each_format_to_stdout_or_a_file() {
    let dir = scratch("export-cli");
    let kg = load("valid/tiny.ron");
    let tiny = "tests/fixtures/valid/tiny.ron";
    let cases: [(&[&str], String); 4] = [
        (
            &["rdf", "--format", "ntriples"],
            rdf_text(&kg, &RdfNames::default(), RdfFormat::NTriples),
        ),
        (
            &[
                "rdf",
                "--format",
                "turtle",
                "--base",
                "urn:example:orchard/",
            ],
            rdf_text(
                &kg,
                &RdfNames::new("urn:example:orchard/"),
                RdfFormat::Turtle,
            ),
        ),
        (&["cypher"], cypher(&kg, Dialect::Neo4j)),
        (&["cypher", "--dialect", "kuzu"], cypher(&kg, Dialect::Kuzu)),
    ];
    for (i, (family, expected)) in cases.into_iter().enumerate() {
        // The graph named as the argument, to standard output.
        let mut args = vec!["export"];
        args.extend_from_slice(family);
        args.push(tiny);
        let out = bonegraph(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert_eq!(stdout(&out), expected, "{args:?}");
        // The graph named with --graph, to a file.
        let path = dir.join(format!("out.{i}"));
        let mut args = vec!["--graph", tiny, "export"];
        args.extend_from_slice(family);
        args.extend(["-o", path.to_str().unwrap()]);
        let out = bonegraph(&args);
        assert_eq!(out.status.code(), Some(0), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty());
        assert_eq!(std::fs::read_to_string(&path).unwrap(), expected);
    }
    let csv_dir = dir.join("csv");
    let out = bonegraph(&["export", "csv", tiny, "-o", csv_dir.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(csv_records(&csv_dir.join("entities.csv")).len(), 1 + 4);
    let out = bonegraph(&["export", "json", tiny]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["name"], "orchard");
}

#[test]
fn export_refuses_misused_options_with_exit_64() {
    let dir = scratch("export-usage");
    let cases: [(&[&str], &str); 10] = [
        (
            &[
                "export",
                "rdf",
                "--format",
                "turtle",
                "--base",
                "example.org/",
            ],
            "is not an absolute IRI",
        ),
        (
            &[
                "export",
                "rdf",
                "--format",
                "turtle",
                "--base",
                "https://example.org/kb",
            ],
            "must end in `/`",
        ),
        (
            &[
                "export",
                "rdf",
                "--format",
                "ntriples",
                "--base",
                "https://example.org/kb#",
            ],
            "the base IRI `https://example.org/kb#` may not contain `#`",
        ),
        // Each family has only its own flags: clap refuses the others.
        (
            &["export", "cypher", "--base", "https://example.org/"],
            "unexpected argument '--base'",
        ),
        (
            &["export", "json", "--dialect", "kuzu"],
            "unexpected argument '--dialect'",
        ),
        (
            &["export", "rdf", "--format", "turtle", "--dialect", "kuzu"],
            "unexpected argument '--dialect'",
        ),
        (
            &["export", "csv"],
            "the following required arguments were not provided",
        ),
        (
            &["export", "rdf"],
            "the following required arguments were not provided",
        ),
        (
            &["export", "rdf", "--format", "json"],
            "invalid value 'json'",
        ),
        (
            &["export", "--format", "turtle"],
            "unexpected argument '--format'",
        ),
    ];
    for (args, message) in cases {
        let out = bonegraph(args);
        assert_eq!(out.status.code(), Some(64), "{args:?}");
        assert!(stderr(&out).contains(message), "{args:?}: {}", stderr(&out));
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    // A family must be named.
    let out = bonegraph(&["export"]);
    assert_eq!(out.status.code(), Some(64));
    assert!(stderr(&out).contains("json"), "{}", stderr(&out));
    assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 0);
}

#[test]
fn export_fails_with_exit_3_on_a_bad_graph_or_an_unwritable_output() {
    let dir = scratch("export-fail");
    let out = bonegraph(&["export", "rdf", "--format", "turtle", "no/such/graph.ron"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).starts_with("error[io]: cannot read `no/such/graph.ron`: no such file\n"),
        "{}",
        stderr(&out)
    );
    let out = bonegraph(&["export", "cypher", "tests/fixtures/invalid/dangling_id.ron"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(
        stderr(&out).contains("error[dangling-id]"),
        "{}",
        stderr(&out)
    );

    // A non-empty output directory is left alone.
    let full = dir.join("full");
    std::fs::create_dir(&full).unwrap();
    std::fs::write(full.join("notes.txt"), "mine").unwrap();
    let out = bonegraph(&["export", "csv", "-o", full.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        format!(
            "error: `{}` is a directory that is not empty; give a new or an empty directory\n",
            full.display()
        )
    );
    assert_eq!(std::fs::read_dir(&full).unwrap().count(), 1);

    // A relation type named like the layout's own labels cannot be exported.
    let graph = dir.join("reserved.ron");
    std::fs::write(
        &graph,
        r#"(name: "r", schema: (kinds: [(id: "k", singular: "k", plural: "ks")],
            relations: [(id: "Entity", from: ["*"], to: ["*"], forward: ["by"], inverse: ["of"])]),
            entities: [(id: "a", kind: "k", name: "a")])"#,
    )
    .unwrap();
    let out = bonegraph(&["export", "cypher", graph.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(3));
    assert_eq!(
        stderr(&out),
        "error: relation type `Entity` cannot be exported as a property graph: its name is \
         `Entity` (ignoring case), which the export uses for the node label of entities\n"
    );
}

/// The Python to run: `$BONEGRAPH_PYTHON` (set by .ci/run to one with kuzu installed), or
/// `python3`.
fn python() -> String {
    std::env::var("BONEGRAPH_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

/// Whether Python's `kuzu` package is importable; the Kuzu tests say so and stop where it
/// is not.
fn have_kuzu() -> bool {
    let ok = Command::new(python())
        .args(["-c", "import kuzu"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        eprintln!("note: Python's kuzu package not installed; the Kuzu load is not checked here");
    }
    ok
}

/// Loads a Cypher script (statement by statement) or a CSV directory (its
/// `kuzu-import.cypher`, run from inside it) into a new Kuzu database and prints, as JSON,
/// the counts and every entity, attribute node and relationship.
const KUZU_LOADER: &str = r#"
import json, kuzu, os, sys, tempfile
mode, src = sys.argv[1], sys.argv[2]
conn = kuzu.Connection(kuzu.Database(os.path.join(tempfile.mkdtemp(), "db")))
if mode == "script":
    with open(src, encoding="utf-8", newline="\n") as f:
        for line in f:
            line = line.rstrip("\n")
            if line and not line.startswith("//"):
                conn.execute(line)
else:
    os.chdir(src)
    with open("kuzu-import.cypher", encoding="utf-8") as f:
        conn.execute(f.read())
def rows(q):
    r = conn.execute(q)
    out = []
    while r.has_next():
        out.append(r.get_next())
    return out
print(json.dumps({
    "entities": rows("MATCH (e:Entity) RETURN e.id, e.name, e.kind, e.aliases, e.summary, e.source, e.section ORDER BY e.id"),
    "attributes": rows("MATCH (e:Entity)-[:HAS_ATTRIBUTE]->(a:Attribute) RETURN e.id, a.id, a.key, a.value, a.hedge ORDER BY a.id"),
    "edges": rows("MATCH (a:Entity)-[r]->(b:Entity) RETURN a.id, label(r), b.id, r.source, r.section, r.certainty, r.hedge, r.note, r.conflict ORDER BY a.id, label(r), b.id, r.note"),
}))
"#;

fn load_into_kuzu(mode: &str, src: &Path) -> serde_json::Value {
    let out = Command::new(python())
        .args(["-c", KUZU_LOADER, mode])
        .arg(src)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "Kuzu refuses the {mode} export {}: {}",
        src.display(),
        stderr(&out)
    );
    serde_json::from_slice(&out.stdout).expect("JSON from the loader")
}

/// What Kuzu should hold for `kg`, in the loader's JSON shape.
fn expected_in_kuzu(kg: &KnowledgeGraph) -> serde_json::Value {
    use serde_json::{Value, json};
    let opt = |s: Option<&str>| s.map_or(Value::Null, |s| json!(s));
    let mut entities = BTreeMap::new();
    let mut attributes = BTreeMap::new();
    for n in kg.nodes() {
        let e = kg.entity(n);
        let (source, section) = match e.provenance {
            Some(p) => {
                let (s, sec) = kg.describe_provenance(&p);
                (Some(s.id.as_str()), sec)
            }
            None => (None, None),
        };
        let aliases = if e.aliases.is_empty() {
            Value::Null
        } else {
            json!(e.aliases)
        };
        entities.insert(
            e.id.clone(),
            json!([
                e.id,
                e.name,
                kg.schema().kind(e.kind).id,
                aliases,
                opt(e.summary.as_deref()),
                opt(source),
                opt(section)
            ]),
        );
        for a in &e.attributes {
            let id = pg::attribute_node_id(&e.id, a.claim.file_index);
            attributes.insert(
                id.clone(),
                json!([
                    e.id,
                    id,
                    kg.schema().attributes[usize::from(a.key)].id,
                    a.value,
                    opt(a.claim.qualifiers().hedge.as_deref())
                ]),
            );
        }
    }
    json!({
        "entities": entities.into_values().collect::<Vec<_>>(),
        "attributes": attributes.into_values().collect::<Vec<_>>(),
    })
}

#[test]
fn kuzu_loads_the_script_and_the_csv_directory() {
    if !have_kuzu() {
        return;
    }
    let dir = scratch("kuzu");
    for (what, kg) in [
        ("embedded", KnowledgeGraph::embedded().clone()),
        ("hostile", load("valid/hostile.ron")),
        ("hostile-pg", hostile_pg()),
        ("inheritance", load("valid/inheritance.ron")),
    ] {
        let script = dir.join(format!("{what}.cypher"));
        std::fs::write(&script, cypher(&kg, Dialect::Kuzu)).unwrap();
        let csv_dir = dir.join(format!("{what}-csv"));
        write_csv_dir(&kg, &csv_dir).unwrap();
        let from_script = load_into_kuzu("script", &script);
        let from_csv = load_into_kuzu("csv", &csv_dir);
        assert_eq!(
            from_script, from_csv,
            "{what}: the two forms load differently"
        );
        let expected = expected_in_kuzu(&kg);
        assert_eq!(from_script["entities"], expected["entities"], "{what}");
        assert_eq!(from_script["attributes"], expected["attributes"], "{what}");
        let edges = from_script["edges"].as_array().unwrap();
        assert_eq!(edges.len(), kg.edge_count(), "{what}");
        // An inferred edge is not exported: no engine may answer with it.
        assert!(
            !edges.iter().any(|e| e[0] == "neem" && e[1] == "controls"),
            "{what}"
        );
        if what == "embedded" {
            assert_eq!(
                from_script["entities"].as_array().unwrap().len(),
                kg.entity_count()
            );
            assert!(edges.iter().any(|e| e[0] == "zoledronic_acid"
                && e[1] == "is_a"
                && e[2] == "bisphosphonates"
                && e[4] == "bisphosphonates"));
        }
    }
}

/// The lines of `text` from the first that starts with `first`, up to and including the next
/// that ends with ` .` (one Turtle block).
fn turtle_block<'a>(text: &'a str, first: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(first));
    let mut out = Vec::new();
    for l in lines.by_ref() {
        out.push(l);
        if l.ends_with(" .") {
            break;
        }
    }
    assert!(!out.is_empty(), "no block starting `{first}`");
    out
}

#[test]
fn the_turtle_shown_in_the_docs_is_what_the_export_writes() {
    let ttl = rdf_text(
        KnowledgeGraph::embedded(),
        &RdfNames::default(),
        RdfFormat::Turtle,
    );
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let first = "e:zoledronic_acid a kind:therapy ;";
    assert_eq!(turtle_block(&readme, first), turtle_block(&ttl, first));
    let doc = std::fs::read_to_string(root().join("docs/interchange.md")).unwrap();
    let edge = "e:bone_pain rel:resembles e:muscle_strain .";
    assert_eq!(turtle_block(&doc, edge), turtle_block(&ttl, edge));
    let claim = "claim:edge-36 a rdf:Statement ;";
    assert_eq!(turtle_block(&doc, claim), turtle_block(&ttl, claim));
}

/// Every field of every graph file survives loading: the file model written back from the
/// loaded graph is the file as read, and the JSON export reads back into the same graph.
#[test]
fn the_json_export_is_the_graph_file_and_reads_back_into_the_same_graph() {
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    for rel in [
        "graph.ron",
        "tests/fixtures/valid/tiny.ron",
        "tests/fixtures/valid/hostile.ron",
        "tests/fixtures/valid/inheritance.ron",
    ] {
        let text = std::fs::read_to_string(root().join(rel)).unwrap();
        let file: bonegraph::model::GraphFile = options.from_str(&text).unwrap();
        let kg = KnowledgeGraph::from_str(&text).unwrap();
        assert_eq!(
            kg.to_file(),
            file,
            "{rel}: the loaded graph lost or changed a field"
        );
        let mut json = Vec::new();
        bonegraph::interchange::json::write_json(&kg, &mut json).unwrap();
        let back: bonegraph::model::GraphFile = serde_json::from_slice(&json).unwrap();
        assert_eq!(back, file, "{rel}: the JSON export does not read back");
        let again = KnowledgeGraph::from_file(back).unwrap();
        assert_eq!(again.entity_count(), kg.entity_count(), "{rel}");
        assert_eq!(again.edge_count(), kg.edge_count(), "{rel}");
    }
}
