//! Source positions for values in a RON document.
//!
//! `ron` deserialises a graph file into plain structs but forgets where each value stood. To
//! point a validation error at `file:line:column`, this module re-reads the same text into a
//! light tree of spans, addressed by field names and list indices (`entities[3].kind`); a long
//! list keeps only where its items stand, and one is read again when a path goes into it.
//! It is only run on text that `ron` has already accepted, so it is lenient: anything it does
//! not understand simply has no position. It never panics and never recurses deeper than
//! [`MAX_DEPTH`].

/// Deeper nesting than this is not located (ron's own recursion limit is lower).
pub const MAX_DEPTH: usize = 512;

/// A list longer than this keeps only where each of its items stands ([`NodeValue::Items`]),
/// and an item is read again when a path goes into it ([`Node::span_at`]): a graph file's
/// millions of relations would otherwise take a node and a field list each, gigabytes to
/// place a few hundred warnings.
pub const SHALLOW_ITEMS: usize = 4096;

/// A byte range in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ByteSpan {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

/// A located value; field names borrow from the document text.
#[derive(Debug, Clone, PartialEq)]
pub struct Node<'a> {
    /// Where the value stands.
    pub span: ByteSpan,
    /// What it contains, as far as locating needs to know.
    pub value: NodeValue<'a>,
}

/// The shape of a located value.
#[derive(Debug, Clone, PartialEq)]
pub enum NodeValue<'a> {
    /// A string, number, identifier or anything else without children.
    Leaf,
    /// `[a, b]`
    Seq(Vec<Node<'a>>),
    /// `(x: a, y: b)` or `Name(x: a)`: named fields.
    Struct(Vec<(&'a str, Node<'a>)>),
    /// `(a, b)` or `Some(a)`: positional fields.
    Tuple(Vec<Node<'a>>),
    /// `{k: v}`
    Map(Vec<(Node<'a>, Node<'a>)>),
    /// `[a, b, ...]` with more than [`SHALLOW_ITEMS`] items: where each stands, nothing more.
    Items(Vec<ByteSpan>),
}

/// One step of a path into the tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step<'a> {
    /// A named struct field.
    Field(&'a str),
    /// A list element.
    Index(usize),
}

impl<'a> Node<'a> {
    /// Follows `path` from this node, looking through `Some(..)` wrappers; not into the items
    /// of a long list ([`NodeValue::Items`]: see [`Node::span_at`]).
    pub fn get(&self, path: &[Step<'_>]) -> Option<&Node<'a>> {
        let mut node = self;
        for step in path {
            node = node.unwrap_some();
            node = match (step, &node.value) {
                (Step::Field(name), NodeValue::Struct(fields)) => {
                    fields.iter().find(|(k, _)| k == name).map(|(_, v)| v)?
                }
                (Step::Index(i), NodeValue::Seq(items)) => items.get(*i)?,
                _ => return None,
            };
        }
        Some(node.unwrap_some())
    }

    /// Where the value at `path` stands, reading again (in `text`, the document this tree was
    /// read from) an item of a long list the path goes into ([`NodeValue::Items`]).
    pub fn span_at(&self, text: &'a str, path: &[Step<'_>]) -> Option<ByteSpan> {
        // Step by step as `get` goes, until the path enters an item of a long list: that
        // item is read again and the rest of the path followed in it.
        let mut node = self;
        for (k, step) in path.iter().enumerate() {
            if let (Step::Index(i), NodeValue::Items(spans)) = (step, &node.unwrap_some().value) {
                let at = spans.get(*i)?;
                let mut p = Parser {
                    s: text.as_bytes(),
                    pos: at.start,
                };
                return Some(p.value(0)?.get(&path[k + 1..])?.span);
            }
            node = node.get(std::slice::from_ref(step))?;
        }
        Some(node.unwrap_some().span)
    }

    fn unwrap_some(&self) -> &Node<'a> {
        let mut node = self;
        while let NodeValue::Tuple(items) = &node.value {
            match items.as_slice() {
                [only] => node = only,
                _ => break,
            }
        }
        node
    }
}

/// Reads `text` into a located tree; `None` if it is not understood.
pub fn parse(text: &str) -> Option<Node<'_>> {
    let mut p = Parser {
        s: text.as_bytes(),
        pos: 0,
    };
    p.skip_trivia();
    // Inner attributes such as `#![enable(implicit_some)]`.
    while p.peek() == Some(b'#') {
        p.skip_attribute()?;
        p.skip_trivia();
    }
    p.value(0)
}

struct Parser<'a> {
    s: &'a [u8],
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.get(self.pos).copied()
    }

    fn skip_trivia(&mut self) {
        loop {
            match self.peek() {
                Some(c) if c.is_ascii_whitespace() => self.pos += 1,
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'/') => {
                    while let Some(c) = self.peek() {
                        self.pos += 1;
                        if c == b'\n' {
                            break;
                        }
                    }
                }
                Some(b'/') if self.s.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    let mut depth = 1usize;
                    while depth > 0 {
                        match (self.peek(), self.s.get(self.pos + 1)) {
                            (None, _) => return,
                            (Some(b'*'), Some(b'/')) => {
                                depth -= 1;
                                self.pos += 2;
                            }
                            (Some(b'/'), Some(b'*')) => {
                                depth += 1;
                                self.pos += 2;
                            }
                            _ => self.pos += 1,
                        }
                    }
                }
                _ => return,
            }
        }
    }

    fn skip_attribute(&mut self) -> Option<()> {
        // `#![ ... ]` with balanced brackets.
        while self.peek()? != b'[' {
            self.pos += 1;
        }
        let mut depth = 0usize;
        loop {
            match self.peek()? {
                b'[' => depth += 1,
                b']' => {
                    depth -= 1;
                    if depth == 0 {
                        self.pos += 1;
                        return Some(());
                    }
                }
                _ => {}
            }
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> bool {
        self.skip_trivia();
        if self.peek() == Some(c) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn value(&mut self, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_trivia();
        let start = self.pos;
        let value = match self.peek()? {
            b'(' => self.group(depth)?,
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                // Past `SHALLOW_ITEMS` items, only where each stands.
                let mut spans: Option<Vec<ByteSpan>> = None;
                while !self.eat(b']') {
                    let item = self.value(depth + 1)?;
                    match &mut spans {
                        Some(spans) => spans.push(item.span),
                        None => {
                            items.push(item);
                            if items.len() > SHALLOW_ITEMS {
                                spans = Some(items.drain(..).map(|n| n.span).collect());
                            }
                        }
                    }
                    if !self.eat(b',') {
                        self.eat(b']').then_some(())?;
                        break;
                    }
                }
                match spans {
                    Some(spans) => NodeValue::Items(spans),
                    None => NodeValue::Seq(items),
                }
            }
            b'{' => {
                self.pos += 1;
                let mut entries = Vec::new();
                while !self.eat(b'}') {
                    let key = self.value(depth + 1)?;
                    self.eat(b':').then_some(())?;
                    let val = self.value(depth + 1)?;
                    entries.push((key, val));
                    if !self.eat(b',') {
                        self.eat(b'}').then_some(())?;
                        break;
                    }
                }
                NodeValue::Map(entries)
            }
            b'"' => {
                self.string()?;
                NodeValue::Leaf
            }
            b'r' if matches!(self.s.get(self.pos + 1), Some(b'"' | b'#')) => {
                self.raw_string()?;
                NodeValue::Leaf
            }
            b'b' if self.s.get(self.pos + 1) == Some(&b'"') => {
                self.pos += 1;
                self.string()?;
                NodeValue::Leaf
            }
            b'\'' => {
                self.char_literal()?;
                NodeValue::Leaf
            }
            _ => {
                self.word()?;
                // `Name(..)`: a named struct, tuple struct or `Some(..)`.
                let after_word = self.pos;
                self.skip_trivia();
                if self.peek() == Some(b'(') {
                    self.group(depth)?
                } else {
                    self.pos = after_word;
                    NodeValue::Leaf
                }
            }
        };
        Some(Node {
            span: ByteSpan {
                start,
                end: self.pos,
            },
            value,
        })
    }

    /// `( ... )`: named fields if the first entry is `ident:`, positional otherwise.
    fn group(&mut self, depth: usize) -> Option<NodeValue<'a>> {
        self.pos += 1; // '('
        let mut fields = Vec::new();
        let mut items = Vec::new();
        while !self.eat(b')') {
            self.skip_trivia();
            let save = self.pos;
            let name = self.word();
            let named = name.is_some() && self.eat(b':');
            if named {
                let v = self.value(depth + 1)?;
                fields.push((name?, v));
            } else {
                self.pos = save;
                items.push(self.value(depth + 1)?);
            }
            if !self.eat(b',') {
                self.eat(b')').then_some(())?;
                break;
            }
        }
        Some(if fields.is_empty() && !items.is_empty() {
            NodeValue::Tuple(items)
        } else {
            NodeValue::Struct(fields)
        })
    }

    /// An identifier or number: a run of bytes that are not punctuation or space.
    fn word(&mut self) -> Option<&'a str> {
        let start = self.pos;
        while let Some(c) = self.peek() {
            if c.is_ascii_whitespace() || b"()[]{},:\"'/".contains(&c) {
                break;
            }
            self.pos += 1;
        }
        if self.pos == start {
            return None;
        }
        std::str::from_utf8(&self.s[start..self.pos]).ok()
    }

    fn string(&mut self) -> Option<()> {
        self.pos += 1; // opening quote
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    fn char_literal(&mut self) -> Option<()> {
        self.pos += 1;
        loop {
            match self.peek()? {
                b'\\' => self.pos += 2,
                b'\'' => {
                    self.pos += 1;
                    return Some(());
                }
                _ => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) -> Option<()> {
        self.pos += 1; // 'r'
        let mut hashes = 0;
        while self.peek()? == b'#' {
            hashes += 1;
            self.pos += 1;
        }
        (self.peek()? == b'"').then_some(())?;
        self.pos += 1;
        loop {
            if self.peek()? == b'"'
                && self.s[self.pos + 1..]
                    .iter()
                    .take(hashes)
                    .filter(|&&c| c == b'#')
                    .count()
                    == hashes
            {
                self.pos += 1 + hashes;
                return Some(());
            }
            self.pos += 1;
        }
    }
}

/// Line starts of a text, for turning many byte offsets into lines and columns quickly.
#[derive(Debug, Clone)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes `text`'s line starts (one pass).
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(
            text.bytes()
                .enumerate()
                .filter(|&(_, b)| b == b'\n')
                .map(|(i, _)| i + 1),
        );
        LineIndex { starts }
    }

    /// Line `n` (1-based) of the text this index was built from, without its line break.
    pub fn line<'t>(&self, text: &'t str, n: usize) -> Option<&'t str> {
        let start = *self.starts.get(n.checked_sub(1)?)?;
        let end = self.starts.get(n).map_or(text.len(), |&e| e - 1);
        text.get(start..end).map(|l| l.trim_end_matches('\r'))
    }

    /// Line and column (both 1-based; the column counts characters) of a byte offset in the
    /// text this index was built from. Costs a binary search and the length of one line.
    pub fn line_col(&self, text: &str, offset: usize) -> (usize, usize) {
        let offset = offset.min(text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        (line, chars_in(&text.as_bytes()[start..offset]) + 1)
    }
}

/// How many characters UTF-8 `bytes` hold: the bytes that do not continue a character. A
/// plain count the compiler vectorises, so that a column far into a one-line file (a graph
/// written without line breaks) costs little.
fn chars_in(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

/// Line and column (both 1-based; the column counts characters) of a byte offset. Scans the
/// text up to the offset; use [`LineIndex`] for many look-ups.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text.as_bytes()[..offset];
    let line = before.iter().filter(|&&c| c == b'\n').count() + 1;
    let line_start = before
        .iter()
        .rposition(|&c| c == b'\n')
        .map_or(0, |i| i + 1);
    (line, chars_in(&before[line_start..]) + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locates_fields_through_lists_and_some() {
        let text = "#![enable(implicit_some)]\n(a: [ (x: \"one\"), (x: Some(\"two\")) ], // c\n b: r#\"raw\"# )";
        let root = parse(text).expect("parses");
        let two = root
            .get(&[Step::Field("a"), Step::Index(1), Step::Field("x")])
            .expect("found");
        assert_eq!(&text[two.span.start..two.span.end], "\"two\"");
        let b = root.get(&[Step::Field("b")]).expect("found");
        assert_eq!(&text[b.span.start..b.span.end], "r#\"raw\"#");
        assert_eq!(line_col(text, b.span.start), (3, 5));
        let index = LineIndex::new(text);
        assert_eq!(index.line(text, 3), Some(" b: r#\"raw\"# )"));
        assert_eq!(index.line(text, 4), None);
        for offset in 0..=text.len() {
            assert_eq!(
                index.line_col(text, offset),
                line_col(text, offset),
                "offset {offset}"
            );
        }
    }

    #[test]
    fn a_long_list_keeps_where_its_items_stand_and_reads_one_again_when_asked() {
        let n = SHALLOW_ITEMS * 2 + 5;
        let mut text = String::from("(list: [");
        for i in 0..n {
            text.push_str(&format!("(id: \"e{i}\", to: Some(\"t{i}\")),\n"));
        }
        text.push_str("], after: 1)");
        let root = parse(&text).expect("parses");
        let list = root.get(&[Step::Field("list")]).expect("found");
        assert!(matches!(&list.value, NodeValue::Items(spans) if spans.len() == n));
        for i in [0, SHALLOW_ITEMS, n - 1] {
            let to = root
                .span_at(
                    &text,
                    &[Step::Field("list"), Step::Index(i), Step::Field("to")],
                )
                .expect("found");
            assert_eq!(&text[to.start..to.end], format!("\"t{i}\""));
            let item = root
                .span_at(&text, &[Step::Field("list"), Step::Index(i)])
                .expect("found");
            assert!(text[item.start..item.end].starts_with(&format!("(id: \"e{i}\"")));
        }
        assert_eq!(
            root.span_at(&text, &[Step::Field("list"), Step::Index(n)]),
            None
        );
        let after = root.span_at(&text, &[Step::Field("after")]).expect("found");
        assert_eq!(&text[after.start..after.end], "1");
        // A short list is kept whole, and both ways of asking agree.
        let short = "(list: [(x: 1), (x: 2)])";
        let root = parse(short).expect("parses");
        let path = [Step::Field("list"), Step::Index(1), Step::Field("x")];
        assert_eq!(root.span_at(short, &path), root.get(&path).map(|n| n.span));
    }

    #[test]
    fn garbage_is_not_located_and_does_not_panic() {
        for text in [
            "",
            "(",
            "(a: [",
            "\"unterminated",
            "r#\"x",
            "((((",
            "#![",
            "/* open",
        ] {
            let _ = parse(text);
        }
    }
}
