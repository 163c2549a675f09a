//! The printers: answers, cards and reports as text for people, as JSON, and as pictures
//! (Graphviz DOT and Mermaid, both drawn from one [`picture::Drawing`]). They take the data
//! ([`crate::Answer`], the graph, a [`check::CheckReport`]) and return text; they write
//! nowhere. Text for people shows graph text with its control characters escaped; JSON, DOT
//! and Mermaid keep the exact text, escaped by their own rules.

mod card;
pub mod check;
mod conflicts;
pub mod dot;
pub(crate) mod json;
pub mod mermaid;
pub mod picture;
mod question;
mod records;
mod sentences;
mod text;

pub use card::card;
pub use json::{asked_json, card_json, json};
pub use question::{compare, reading};
pub use records::{Records, csv, lines, markdown, records};
pub use sentences::{claim_suffix, describe_edge, evidence_marks, relation_words};
pub use text::{conflict_text, empty_reason, explain, plain, table};
