//! Checking the schema (kinds, relation types with their phrases and parents, attribute
//! keys), the sources with their sections, and the declared conflicts.

use super::spans::Step;
use super::{MAX_CHAIN_SHOWN, MAX_SMALL_TABLE, Validator, elide_list, known};
use crate::diagnostic::Code;
use crate::graph::*;
use crate::model::{self, ANY_KIND};
use crate::text::{did_you_mean, normalize};
use std::collections::{HashMap, HashSet};

impl Validator<'_> {
    pub(super) fn schema(&mut self, s: &model::SchemaDef) -> Schema {
        if s.kinds.len() > MAX_SMALL_TABLE
            || s.relations.len() > MAX_SMALL_TABLE
            || s.attributes.len() > MAX_SMALL_TABLE
        {
            self.error(Code::TooLarge, path!["schema"], format!("a schema may have at most {MAX_SMALL_TABLE} kinds, relation types and attributes each"), None);
        }
        let mut kinds: Vec<Kind> = Vec::new();
        let mut words: HashMap<String, (String, usize)> = HashMap::new();
        // Ids seen so far, so that every duplicate check is one look-up (a schema may have
        // tens of thousands of types).
        let mut kind_seen: HashSet<&str> = HashSet::new();
        for (i, k) in s.kinds.iter().enumerate().take(MAX_SMALL_TABLE) {
            self.empty_check(&k.id, path!["schema", "kinds", i, "id"], "a kind id");
            if !kind_seen.insert(&k.id) {
                self.error(
                    Code::DuplicateId,
                    path!["schema", "kinds", i, "id"],
                    format!("kind `{}` is defined twice", k.id),
                    None,
                );
            }
            let all_words = [
                (&k.singular, path!["schema", "kinds", i, "singular"]),
                (&k.plural, path!["schema", "kinds", i, "plural"]),
            ];
            for (word, p) in all_words {
                self.empty_check(word, p, &format!("a word for kind `{}`", k.id));
            }
            let mut own = HashSet::new();
            for (j, word) in [&k.singular, &k.plural]
                .into_iter()
                .chain(&k.synonyms)
                .enumerate()
            {
                let key = normalize(word);
                if key.is_empty() || !own.insert(key.clone()) {
                    continue;
                }
                if let Some((other, _)) = words.get(&key) {
                    let p: &[Step<'_>] = match j {
                        0 => path!["schema", "kinds", i, "singular"],
                        1 => path!["schema", "kinds", i, "plural"],
                        _ => path!["schema", "kinds", i, "synonyms", j - 2],
                    };
                    self.error(
                        Code::PhraseClash,
                        p,
                        format!(
                            "the word `{word}` is claimed by kinds `{other}` and `{}`",
                            k.id
                        ),
                        Some(
                            "a kind word must name one kind; remove it from one of them".to_owned(),
                        ),
                    );
                } else {
                    words.insert(key, (k.id.clone(), i));
                }
            }
            kinds.push(Kind {
                id: k.id.clone(),
                singular: k.singular.clone(),
                plural: k.plural.clone(),
                synonyms: k.synonyms.clone(),
                description: k.description.clone(),
            });
        }
        let kind_ids: Vec<&str> = kinds.iter().map(|k| k.id.as_str()).collect();
        let rel_ids: Vec<&str> = s.relations.iter().map(|r| r.id.as_str()).collect();
        let mut rel_seen: HashSet<&str> = HashSet::new();
        // The first relation type of each id, for parent look-ups.
        let mut rel_first: HashMap<&str, usize> = HashMap::new();
        for (i, id) in rel_ids.iter().enumerate().take(MAX_SMALL_TABLE) {
            rel_first.entry(id).or_insert(i);
        }
        let kind_first: HashMap<&str, usize> = kind_ids
            .iter()
            .enumerate()
            .rev()
            .map(|(i, id)| (*id, i))
            .collect();
        let mut relations: Vec<RelationType> = Vec::new();
        let mut phrases: HashMap<String, String> = HashMap::new();
        let mut hierarchy = None;
        for (i, r) in s.relations.iter().enumerate().take(MAX_SMALL_TABLE) {
            self.empty_check(
                &r.id,
                path!["schema", "relations", i, "id"],
                "a relation type id",
            );
            if !rel_seen.insert(&r.id) {
                self.error(
                    Code::DuplicateId,
                    path!["schema", "relations", i, "id"],
                    format!("relation type `{}` is defined twice", r.id),
                    None,
                );
            }
            let mut ends = [KindSet::Only(Vec::new()), KindSet::Only(Vec::new())];
            for (end, (field, list)) in [("from", &r.from), ("to", &r.to)].into_iter().enumerate() {
                if list.is_empty() {
                    self.error(
                        Code::Empty,
                        &[
                            Step::Field("schema"),
                            Step::Field("relations"),
                            Step::Index(i),
                            Step::Field(field),
                        ],
                        format!("relation type `{}` has an empty `{field}` list", r.id),
                        Some(format!(
                            "list the kinds it accepts, or `\"{ANY_KIND}\"` for any kind"
                        )),
                    );
                }
                let mut set = Vec::new();
                for (j, k) in list.iter().enumerate() {
                    if k == ANY_KIND {
                        ends[end] = KindSet::Any;
                        continue;
                    }
                    match kind_first.get(k.as_str()).copied() {
                        Some(ix) => set.push(KindId(ix as u16)),
                        None => self.error_lazy(
                            Code::UnknownKind,
                            &[
                                Step::Field("schema"),
                                Step::Field("relations"),
                                Step::Index(i),
                                Step::Field(field),
                                Step::Index(j),
                            ],
                            format!("relation type `{}` names unknown kind `{k}`", r.id),
                            || {
                                did_you_mean(k, kind_ids.iter().copied())
                                    .or_else(|| Some(format!("known kinds: {}", known(&kind_ids))))
                            },
                        ),
                    }
                }
                if ends[end] != KindSet::Any {
                    ends[end] = KindSet::Only(set);
                }
            }
            let mut own = HashSet::new();
            for (field, list) in [("forward", &r.forward), ("inverse", &r.inverse)] {
                for (j, phrase) in list.iter().enumerate() {
                    let at = [
                        Step::Field("schema"),
                        Step::Field("relations"),
                        Step::Index(i),
                        Step::Field(field),
                        Step::Index(j),
                    ];
                    let key = normalize(phrase);
                    if key.is_empty() {
                        self.error(
                            Code::Empty,
                            &at,
                            format!("a phrase of relation type `{}` is empty", r.id),
                            None,
                        );
                        continue;
                    }
                    if !own.insert(key.clone()) {
                        self.error(
                            Code::PhraseClash,
                            &at,
                            format!("relation type `{}` lists the phrase `{phrase}` twice", r.id),
                            Some(
                                "a phrase must say one direction of one relation; keep one"
                                    .to_owned(),
                            ),
                        );
                        continue;
                    }
                    if let Some(other) = phrases.get(&key) {
                        self.error(
                            Code::PhraseClash,
                            &at,
                            format!("the phrase `{phrase}` is claimed by relation types `{other}` and `{}`", r.id),
                            Some("a phrase must name one relation; remove it from one of them".to_owned()),
                        );
                    } else {
                        phrases.insert(key, r.id.clone());
                    }
                }
            }
            if r.hierarchy {
                match hierarchy {
                    None => hierarchy = Some(RelId(i as u16)),
                    Some(RelId(first)) => self.error(
                        Code::DuplicateId,
                        path!["schema", "relations", i, "hierarchy"],
                        format!(
                            "relation types `{}` and `{}` are both marked `hierarchy`",
                            rel_ids[usize::from(first)],
                            r.id
                        ),
                        Some("only one relation type can be the `is_a` hierarchy".to_owned()),
                    ),
                }
            }
            let parent = r.parent.as_ref().and_then(|p| {
                let found = rel_first.get(p.as_str()).copied();
                if found.is_none() {
                    self.error_lazy(
                        Code::UnknownRelationType,
                        path!["schema", "relations", i, "parent"],
                        format!("relation type `{}` has unknown parent `{p}`", r.id),
                        || did_you_mean(p, rel_ids.iter().copied()),
                    );
                }
                found.map(|ix| RelId(ix as u16))
            });
            let [from, to] = ends;
            relations.push(RelationType {
                id: r.id.clone(),
                from,
                to,
                forward: r.forward.clone(),
                inverse: r.inverse.clone(),
                parent,
                hierarchy: r.hierarchy,
                single_valued: r.single_valued,
                description: r.description.clone(),
                critical: r.critical,
            });
        }
        // Relation parents must not loop, or widening a relation would never end. Each type
        // has at most one parent, so one walk per unvisited type finds every loop in linear
        // time; a loop is reported once, from its lowest member.
        let mut state = vec![0u8; relations.len()]; // 0 new, 1 on the current walk, 2 done
        let mut walk_at = vec![u32::MAX; relations.len()];
        for start in 0..relations.len() {
            let mut walk: Vec<usize> = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at {
                match state[i] {
                    2 => break,
                    1 => {
                        let members = &walk[walk_at[i] as usize..];
                        let lowest = members
                            .iter()
                            .position(|&m| m == *members.iter().min().unwrap_or(&i))
                            .unwrap_or(0);
                        let ordered: Vec<usize> = members[lowest..]
                            .iter()
                            .chain(&members[..lowest])
                            .copied()
                            .collect();
                        let first = ordered[0];
                        let names = elide_list(ordered.len(), MAX_CHAIN_SHOWN, " -> ", |k| {
                            relations[ordered[k]].id.as_str()
                        });
                        self.error(
                            Code::Cycle,
                            path!["schema", "relations", first, "parent"],
                            format!(
                                "relation parents form a loop: {names} -> {}",
                                relations[first].id
                            ),
                            Some(
                                "a relation type cannot be a kind of itself; remove one `parent`"
                                    .to_owned(),
                            ),
                        );
                        break;
                    }
                    _ => {
                        state[i] = 1;
                        walk_at[i] = walk.len() as u32;
                        walk.push(i);
                        at = relations[i].parent.map(|RelId(p)| usize::from(p));
                    }
                }
            }
            for i in walk {
                state[i] = 2;
            }
        }
        let mut attributes: Vec<AttributeKey> = Vec::new();
        let mut attribute_seen: HashSet<&str> = HashSet::new();
        for (i, a) in s.attributes.iter().enumerate().take(MAX_SMALL_TABLE) {
            if !attribute_seen.insert(&a.id) {
                self.error(
                    Code::DuplicateId,
                    path!["schema", "attributes", i, "id"],
                    format!("attribute `{}` is defined twice", a.id),
                    None,
                );
            }
            attributes.push(AttributeKey {
                id: a.id.clone(),
                label: a.label.clone(),
                single_valued: a.single_valued,
                description: a.description.clone(),
            });
        }
        let mut schema = Schema {
            kinds,
            relations,
            attributes,
            hierarchy,
            preorder: Vec::new(),
            subtree: Vec::new(),
            index: Default::default(),
        };
        schema.index_parents();
        schema.index_ids();
        schema
    }

    pub(super) fn sources(&mut self, list: &[model::SourceDef]) -> Vec<Source> {
        let mut out: Vec<Source> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, s) in list.iter().enumerate().take(MAX_SMALL_TABLE) {
            if !seen.insert(&s.id) {
                self.error(
                    Code::DuplicateId,
                    path!["sources", i, "id"],
                    format!("source `{}` is defined twice", s.id),
                    None,
                );
            }
            let mut sections: Vec<(String, String)> = Vec::new();
            let mut section_seen: HashSet<&str> = HashSet::new();
            for (j, sec) in s.sections.iter().enumerate().take(MAX_SMALL_TABLE) {
                if !section_seen.insert(&sec.id) {
                    self.error(
                        Code::DuplicateId,
                        path!["sources", i, "sections", j, "id"],
                        format!("source `{}` has section `{}` twice", s.id, sec.id),
                        None,
                    );
                }
                sections.push((sec.id.clone(), sec.title.clone()));
            }
            out.push(Source {
                id: s.id.clone(),
                title: s.title.clone(),
                location: s.location.clone(),
                sections,
                note: s.note.clone(),
            });
        }
        out
    }

    pub(super) fn conflicts(&mut self, list: &[model::ConflictDef]) -> Vec<Conflict> {
        let mut out: Vec<Conflict> = Vec::new();
        let mut seen: HashSet<&str> = HashSet::new();
        for (i, c) in list.iter().enumerate().take(MAX_SMALL_TABLE) {
            if !seen.insert(&c.id) {
                self.error(
                    Code::DuplicateId,
                    path!["conflicts", i, "id"],
                    format!("conflict `{}` is defined twice", c.id),
                    None,
                );
            }
            out.push(Conflict {
                id: c.id.clone(),
                kind: c.kind,
                note: c.note.clone(),
            });
        }
        out
    }
}

/// Names the kinds of a [`KindSet`] for a message: `` `therapy` or `test` ``.
pub(super) fn kind_set_words(schema: &Schema, set: &KindSet) -> String {
    match set {
        KindSet::Any => "any kind".to_owned(),
        KindSet::Only(kinds) => {
            let words: Vec<String> = kinds
                .iter()
                .map(|k| format!("`{}`", schema.kind(*k).id))
                .collect();
            words.join(" or ")
        }
    }
}
