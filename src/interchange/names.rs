//! How graph ids become IRIs and Cypher identifiers, and how text is quoted in N-Triples,
//! Turtle, SPARQL and Cypher. Exporters and the query translator both use these, so a query
//! names exactly what the export wrote.
//!
//! Graph ids are free text in a graph file, so every rule here escapes whatever it is given:
//! IRI segments are percent-encoded (everything but ASCII letters, digits, `-`, `.`, `_`, `~`),
//! string literals escape quotes, backslashes and control characters, and Cypher identifiers
//! are back-quoted with inner back-quotes doubled.

use std::fmt::Write as _;

/// The base IRI exports use unless told otherwise. `.example` is reserved (RFC 2606), so it
/// never clashes with a real vocabulary.
pub const DEFAULT_BASE: &str = "https://bonegraph.example/";

/// `rdf:` namespace.
pub const RDF: &str = "http://www.w3.org/1999/02/22-rdf-syntax-ns#";
/// `rdfs:` namespace.
pub const RDFS: &str = "http://www.w3.org/2000/01/rdf-schema#";
/// `skos:` namespace.
pub const SKOS: &str = "http://www.w3.org/2004/02/skos/core#";
/// `owl:` namespace.
pub const OWL: &str = "http://www.w3.org/2002/07/owl#";
/// `xsd:` namespace.
pub const XSD: &str = "http://www.w3.org/2001/XMLSchema#";

/// The IRIs of one export: every IRI is the base followed by a fixed path and an id.
///
/// | prefix | namespace | what |
/// |---|---|---|
/// | `bg:` | `{base}vocab#` | the fixed vocabulary (`bg:Entity`, `bg:source`, `bg:hedge`, ...) |
/// | `kind:` | `{base}kind/` | one class per kind |
/// | `rel:` | `{base}rel/` | one property per relation type |
/// | `attr:` | `{base}attr/` | one property per attribute |
/// | `e:` | `{base}entity/` | entities |
/// | `src:` | `{base}source/` | sources; a section is `{base}source/{source}#{section}` |
/// | `conflict:` | `{base}conflict/` | marked conflicts |
/// | `claim:` | `{base}claim/` | reified statements: `edge-{i}`, `attr-{entity}-{i}` |
///
/// ```
/// use bonegraph::interchange::names::RdfNames;
/// let n = RdfNames::new("https://example.org/kb/");
/// assert_eq!(n.entity("zoledronic_acid"), "https://example.org/kb/entity/zoledronic_acid");
/// assert_eq!(n.entity("a b/c"), "https://example.org/kb/entity/a%20b%2Fc");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RdfNames {
    base: String,
}

impl Default for RdfNames {
    fn default() -> Self {
        RdfNames::new(DEFAULT_BASE)
    }
}

impl RdfNames {
    /// Names under `base`, used as given; [`RdfNames::parse_base`] checks a base first.
    pub fn new(base: &str) -> Self {
        RdfNames {
            base: base.to_owned(),
        }
    }

    /// Names under a base given by a user: an absolute IRI (a scheme such as `https:` or
    /// `urn:`) that ends in `/` (or `:` for a URN), without a `#` (the names add their own:
    /// `{base}vocab#Entity`, and an IRI has only one), spaces, or the characters IRIs forbid.
    ///
    /// ```
    /// use bonegraph::interchange::names::RdfNames;
    /// assert!(RdfNames::parse_base("https://example.org/kb/").is_ok());
    /// let err = RdfNames::parse_base("example.org/kb").unwrap_err();
    /// assert!(err.contains("absolute"), "{err}");
    /// assert!(RdfNames::parse_base("https://example.org/kb#").is_err());
    /// ```
    pub fn parse_base(base: &str) -> Result<Self, String> {
        let scheme_ok = base.split_once(':').is_some_and(|(scheme, _)| {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        });
        if !scheme_ok {
            return Err(format!(
                "`{base}` is not an absolute IRI; give one with a scheme, as in `{DEFAULT_BASE}`"
            ));
        }
        if base.contains('#') {
            return Err(format!(
                "the base IRI `{base}` may not contain `#`: bonegraph adds its own \
                 (`{base}vocab#Entity`), and an IRI has only one; end the base in `/`"
            ));
        }
        if let Some(c) = base
            .chars()
            .find(|c| c.is_whitespace() || c.is_control() || "<>\"{}|^`\\".contains(*c))
        {
            return Err(format!("the base IRI `{base}` may not contain {c:?}"));
        }
        if !base.ends_with('/') && !base.ends_with(':') {
            return Err(format!(
                "the base IRI `{base}` must end in `/` (or `:` for a URN), as in `{base}/`"
            ));
        }
        Ok(RdfNames::new(base))
    }

    /// The base IRI.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// The namespace of a prefix in the table above (`"bg"`, `"kind"`, ...), or `None`.
    pub fn namespace(&self, prefix: &str) -> Option<String> {
        let path = match prefix {
            "bg" => "vocab#",
            "kind" => "kind/",
            "rel" => "rel/",
            "attr" => "attr/",
            "e" => "entity/",
            "src" => "source/",
            "conflict" => "conflict/",
            "claim" => "claim/",
            _ => return None,
        };
        Some(format!("{}{path}", self.base))
    }

    /// Every prefix of the table above with its namespace, then `rdf`, `rdfs`, `skos`, `owl`
    /// and `xsd`, in a fixed order.
    pub fn prefixes(&self) -> Vec<(&'static str, String)> {
        let mut out: Vec<(&'static str, String)> =
            ["bg", "kind", "rel", "attr", "e", "src", "conflict", "claim"]
                .into_iter()
                .map(|p| (p, self.namespace(p).expect("a known prefix")))
                .collect();
        out.extend(
            [
                ("rdf", RDF),
                ("rdfs", RDFS),
                ("skos", SKOS),
                ("owl", OWL),
                ("xsd", XSD),
            ]
            .map(|(p, ns)| (p, ns.to_owned())),
        );
        out
    }

    fn under(&self, path: &str, id: &str) -> String {
        let mut s = String::with_capacity(self.base.len() + path.len() + id.len());
        s.push_str(&self.base);
        s.push_str(path);
        push_iri_segment(&mut s, id);
        s
    }

    /// A term of the fixed vocabulary: `vocab("Entity")`.
    pub fn vocab(&self, term: &str) -> String {
        self.under("vocab#", term)
    }

    /// The class of a kind.
    pub fn kind(&self, id: &str) -> String {
        self.under("kind/", id)
    }

    /// The property of a relation type (the hierarchy relation is written as
    /// `rdfs:subClassOf`; this is its declared name).
    pub fn relation(&self, id: &str) -> String {
        self.under("rel/", id)
    }

    /// The property of an attribute.
    pub fn attribute(&self, id: &str) -> String {
        self.under("attr/", id)
    }

    /// An entity.
    pub fn entity(&self, id: &str) -> String {
        self.under("entity/", id)
    }

    /// A source.
    pub fn source(&self, id: &str) -> String {
        self.under("source/", id)
    }

    /// A section of a source: `{base}source/{source}#{section}`.
    pub fn section(&self, source: &str, section: &str) -> String {
        let mut s = self.source(source);
        s.push('#');
        push_iri_segment(&mut s, section);
        s
    }

    /// A marked conflict.
    pub fn conflict(&self, id: &str) -> String {
        self.under("conflict/", id)
    }

    /// The reified statement of the edge at `relations[index]` of the graph file.
    pub fn edge_claim(&self, index: u32) -> String {
        format!("{}claim/edge-{index}", self.base)
    }

    /// The reified statement of an entity's `attributes[index]`.
    pub fn attribute_claim(&self, entity: &str, index: u32) -> String {
        let mut s = format!("{}claim/attr-", self.base);
        push_iri_segment(&mut s, entity);
        let _ = write!(s, "-{index}");
        s
    }
}

/// Appends `text` percent-encoded for one IRI path segment or fragment: ASCII letters,
/// digits and `-._~` stay, every other byte becomes `%XX`.
pub fn push_iri_segment(out: &mut String, text: &str) {
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
}

/// `<iri>` for N-Triples, Turtle and SPARQL. The IRIs built by [`RdfNames`] only hold
/// characters that need no escaping except what the base brings; characters IRIs forbid are
/// written as `\u` escapes.
pub fn iri_ref(iri: &str) -> String {
    let mut s = String::with_capacity(iri.len() + 2);
    s.push('<');
    for c in iri.chars() {
        match c {
            '<' | '>' | '"' | '{' | '}' | '|' | '^' | '`' | '\\' | '\0'..=' ' => {
                let _ = write!(s, "\\u{:04X}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push('>');
    s
}

/// A string literal for N-Triples, Turtle and SPARQL: `"..."` with `"`, `\` and control
/// characters escaped.
///
/// ```
/// use bonegraph::interchange::names::rdf_string;
/// assert_eq!(rdf_string("say \"hi\"\n"), r#""say \"hi\"\n""#);
/// ```
pub fn rdf_string(text: &str) -> String {
    quoted(text, '"')
}

/// `text` between `quote`s, with the quote, `\` and control characters escaped the way
/// N-Triples, Turtle, SPARQL and Cypher all read them (`\n`, `\r`, `\t`, `\uXXXX`).
fn quoted(text: &str, quote: char) -> String {
    let mut s = String::with_capacity(text.len() + 2);
    s.push(quote);
    for c in text.chars() {
        match c {
            '\\' => s.push_str("\\\\"),
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c if c == quote => {
                s.push('\\');
                s.push(c);
            }
            c if c.is_control() => {
                let _ = write!(s, "\\u{:04X}", c as u32);
            }
            c => s.push(c),
        }
    }
    s.push(quote);
    s
}

/// How Turtle and SPARQL spell `iri`: `prefix:local` when it lies in `namespace` and the rest
/// is a plain local name, else `<iri>`.
///
/// ```
/// use bonegraph::interchange::names::spell_iri;
/// assert_eq!(spell_iri("e", "http://x/e/", "http://x/e/moon"), "e:moon");
/// assert_eq!(spell_iri("e", "http://x/e/", "http://x/e/-moon"), "<http://x/e/-moon>");
/// ```
pub fn spell_iri(prefix: &str, namespace: &str, iri: &str) -> String {
    match iri.strip_prefix(namespace) {
        Some(local) if is_plain_local_name(local) => format!("{prefix}:{local}"),
        _ => iri_ref(iri),
    }
}

/// Whether `local` can follow `prefix:` in Turtle and SPARQL as it is (letters, digits, `_`,
/// `%XX`, and `-` or `.` inside).
pub fn is_plain_local_name(local: &str) -> bool {
    let bytes = local.as_bytes();
    let Some((&first, _)) = bytes.split_first() else {
        return true;
    };
    let body_ok = bytes
        .iter()
        .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'%'));
    body_ok
        && (first.is_ascii_alphanumeric() || first == b'_' || first == b'%')
        && !local.ends_with('.')
}

/// A string literal for Cypher: `'...'` with `'`, `\` and control characters escaped.
///
/// ```
/// use bonegraph::interchange::names::cypher_string;
/// assert_eq!(cypher_string("it's"), r"'it\'s'");
/// ```
pub fn cypher_string(text: &str) -> String {
    quoted(text, '\'')
}

/// A Cypher identifier (label, relationship type, property), back-quoted, with inner
/// back-quotes doubled.
///
/// ```
/// use bonegraph::interchange::names::cypher_ident;
/// assert_eq!(cypher_ident("has_side_effect"), "`has_side_effect`");
/// assert_eq!(cypher_ident("odd`name"), "`odd``name`");
/// ```
pub fn cypher_ident(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// The node label (Neo4j) and node table (Kuzu) of entities.
pub const ENTITY_LABEL: &str = "Entity";
/// The node label and table of attribute values.
pub const ATTRIBUTE_LABEL: &str = "Attribute";
/// The relationship type linking an entity to its attribute values.
pub const HAS_ATTRIBUTE: &str = "HAS_ATTRIBUTE";
/// The names a relation type may not take in property-graph form (compared without case,
/// as Kuzu compares table names).
pub const RESERVED_PG_NAMES: [&str; 3] = [ENTITY_LABEL, ATTRIBUTE_LABEL, HAS_ATTRIBUTE];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_names() {
        assert!(is_plain_local_name("zoledronic_acid"));
        assert!(is_plain_local_name("a%20b"));
        assert!(!is_plain_local_name("-a"));
        assert!(!is_plain_local_name("a."));
        assert!(!is_plain_local_name("a~b"));
    }

    #[test]
    fn bases_are_checked() {
        assert!(RdfNames::parse_base("urn:bonegraph:").is_ok());
        assert!(RdfNames::parse_base("urn:x#").is_err());
        assert!(RdfNames::parse_base("https://x/kb").is_err());
        assert!(RdfNames::parse_base("http://a b/").is_err());
        assert!(RdfNames::parse_base("http://x/<y>/").is_err());
        assert!(RdfNames::parse_base("1http://x/").is_err());
        assert!(RdfNames::parse_base("").is_err());
    }

    #[test]
    fn iris_escape_what_they_must() {
        assert_eq!(iri_ref("http://x/a b"), "<http://x/a\\u0020b>");
        let n = RdfNames::default();
        assert_eq!(
            n.section("article", "side effects"),
            "https://bonegraph.example/source/article#side%20effects"
        );
        assert_eq!(
            n.attribute_claim("a-1", 2),
            "https://bonegraph.example/claim/attr-a-1-2"
        );
    }
}
