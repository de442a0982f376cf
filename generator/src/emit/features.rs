//! Per-tag Cargo features (`Config::tag_features`): which feature gates
//! each operation and each type, and the `[features]` table that ties
//! them together.
//!
//! An operation is compiled when one of its tags' features is on. A type
//! is compiled when a feature whose operations reach it is on. A type
//! reached by one or two features names them in its `cfg`; a type
//! reached by more names one internal feature for its whole set, which
//! each of those features enables in `Cargo.toml`: `cfg` lists stay
//! short however many tags share a type, and rustc drops the items of
//! disabled features right after parsing.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use heck::ToKebabCase;
use proc_macro2::TokenStream;
use quote::quote;

use super::Parts;
use crate::model::{Api, TypeId};

/// Features the generated manifest defines itself; a tag never takes them.
const RESERVED: &[&str] = &[
    "default",
    "default-tls",
    "native-tls",
    "serialize",
    "full",
    UNTAGGED,
];

/// The feature of operations without tags.
const UNTAGGED: &str = "untagged";

/// Sets of at most this many features are named in a `cfg` directly.
const INLINE_SET: usize = 2;

/// The longest file stem of a part named after its features.
const MAX_STEM: usize = 100;

/// File stems a part cannot have: `mod` (the module's own file) and the
/// device names Windows reserves.
const RESERVED_STEMS: &[&str] = &[
    "mod", "con", "prn", "aux", "nul", "com1", "com2", "com3", "com4", "com5", "com6", "com7",
    "com8", "com9", "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

/// What gates the items of one type or operation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Gate {
    /// Any of these features (indices into `Features::names`).
    Any(Vec<usize>),
    /// The internal feature of a shared set (index into `Features::sets`).
    Set(usize),
}

/// The features of a crate generated with `tag_features`.
#[derive(Debug)]
pub struct Features {
    /// Tag feature names, sorted; `untagged` among them when used.
    names: Vec<String>,
    /// Umbrella features of dotted tags: prefix → the tag features under it.
    umbrellas: BTreeMap<String, Vec<usize>>,
    /// Per operation, its gate.
    operations: Vec<Gate>,
    /// Per operation, the first of its features (an example's requirement).
    first_features: Vec<Option<usize>>,
    /// Per type, its gate (`None`: reached by no operation, under `full`).
    types: Vec<Option<Gate>>,
    /// Shared feature sets, each an internal feature.
    sets: Vec<Vec<usize>>,
}

/// A tag's feature name: kebab case of its ASCII letters and digits, kept
/// clear of the manifest's own features.
pub fn feature_name(tag: &str) -> String {
    let ascii: String = tag
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' })
        .collect();
    let mut name = ascii.to_kebab_case();
    if name.is_empty() {
        name = "tag".to_owned();
    }
    if RESERVED.contains(&name.as_str()) || name.starts_with("set-") {
        name.push_str("-tag");
    }
    name
}

impl Features {
    /// Works out every gate of `api`.
    pub fn new(api: &Api) -> Self {
        let op_names: Vec<Vec<String>> = api
            .operations
            .iter()
            .map(|op| {
                let mut names: Vec<String> = op.tags.iter().map(|t| feature_name(t)).collect();
                if names.is_empty() {
                    names.push(UNTAGGED.to_owned());
                }
                names.sort();
                names.dedup();
                names
            })
            .collect();
        let names: Vec<String> = op_names
            .iter()
            .flatten()
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        let index: HashMap<&str, usize> = names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        let op_features: Vec<Vec<usize>> = op_names
            .iter()
            .map(|ns| {
                ns.iter()
                    .filter_map(|n| index.get(n.as_str()).copied())
                    .collect()
            })
            .collect();
        let umbrellas = umbrellas(api, &names, &index);
        let reached = reached_by(api, &op_features, names.len());
        let mut sets: Vec<Vec<usize>> = Vec::new();
        let mut set_ids: HashMap<Vec<usize>, usize> = HashMap::new();
        let mut gate = |features: Vec<usize>| {
            if features.len() <= INLINE_SET {
                return Gate::Any(features);
            }
            let next = sets.len();
            let id = *set_ids.entry(features.clone()).or_insert(next);
            if id == next {
                sets.push(features);
            }
            Gate::Set(id)
        };
        let first_features = op_features.iter().map(|f| f.first().copied()).collect();
        let operations = op_features.into_iter().map(&mut gate).collect();
        let types = reached
            .into_iter()
            .map(|features| (!features.is_empty()).then(|| gate(features)))
            .collect();
        Self {
            names,
            umbrellas,
            operations,
            first_features,
            types,
            sets,
        }
    }

    /// The part files of the operations module: one per gate.
    pub fn operation_parts(&self, dir: &'static str) -> Parts {
        self.parts(dir, self.operations.iter().map(Some))
    }

    /// The part files of the types module: one per gate, and `full` for
    /// the types no operation reaches.
    pub fn type_parts(&self, dir: &'static str) -> Parts {
        self.parts(dir, self.types.iter().map(Option::as_ref))
    }

    fn parts<'g>(&self, dir: &'static str, gates: impl Iterator<Item = Option<&'g Gate>>) -> Parts {
        let mut index: HashMap<Option<&Gate>, usize> = HashMap::new();
        let mut files = Vec::new();
        let of_group = gates
            .map(|gate| {
                *index.entry(gate).or_insert_with(|| {
                    files.push(match gate {
                        Some(gate) => (self.stem(gate), self.cfg(gate)),
                        None => ("full".to_owned(), quote!(#[cfg(feature = "full")])),
                    });
                    files.len() - 1
                })
            })
            .collect();
        Parts {
            dir,
            of_group,
            files,
        }
    }

    /// The file stem of a gate's part: its feature names in snake case,
    /// joined by `__` (which no kebab-case name holds, so stems are
    /// distinct). A pair too long for a comfortable file name is named by
    /// its features' indices instead.
    fn stem(&self, gate: &Gate) -> String {
        let stem = self.plain_stem(gate);
        // `types/mod.rs` would be a second file for the module `types`
        // (rustc refuses both), and Windows cannot create `con.rs` and the
        // like. A trailing `__` is free: joins put a name on each side.
        match RESERVED_STEMS.contains(&stem.as_str()) {
            true => format!("{stem}__"),
            false => stem,
        }
    }

    fn plain_stem(&self, gate: &Gate) -> String {
        match gate {
            Gate::Any(features) => {
                let names: Vec<String> = features
                    .iter()
                    .filter_map(|&i| self.names.get(i))
                    .map(|n| n.replace('-', "_"))
                    .collect();
                let stem = names.join("__");
                if stem.len() <= MAX_STEM {
                    return stem;
                }
                let indices: Vec<String> = features.iter().map(usize::to_string).collect();
                format!("any_{}", indices.join("_"))
            }
            Gate::Set(id) => set_name(*id).replace('-', "_"),
        }
    }

    fn cfg(&self, gate: &Gate) -> TokenStream {
        match gate {
            Gate::Any(features) => {
                let names = features.iter().filter_map(|&i| self.names.get(i));
                match features.len() {
                    1 => quote!(#[cfg(#(feature = #names)*)]),
                    _ => quote!(#[cfg(any(#(feature = #names),*))]),
                }
            }
            Gate::Set(id) => {
                let name = set_name(*id);
                quote!(#[cfg(feature = #name)])
            }
        }
    }

    /// The `[features]` lines after `default` and the TLS features.
    pub fn manifest_lines(&self) -> String {
        let quoted = |names: &mut dyn Iterator<Item = String>| {
            names
                .map(|n| format!("\"{n}\""))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut per_feature: Vec<Vec<usize>> = vec![Vec::new(); self.names.len()];
        for (set, features) in self.sets.iter().enumerate() {
            for &f in features {
                if let Some(list) = per_feature.get_mut(f) {
                    list.push(set);
                }
            }
        }
        let mut out = String::new();
        out.push_str("# Every operation and type (tags are features; see the crate docs).\n");
        let all = self
            .names
            .iter()
            .cloned()
            .chain(self.umbrellas.keys().cloned());
        out.push_str(&format!(
            "full = [{}]\n",
            quoted(&mut all.collect::<BTreeSet<_>>().into_iter())
        ));
        out.push_str("# One feature per tag: its operations and the types they reach.\n");
        let mut lines: BTreeMap<&str, Vec<String>> = BTreeMap::new();
        for (f, name) in self.names.iter().enumerate() {
            let sets = per_feature.get(f).map(Vec::as_slice).unwrap_or_default();
            lines
                .entry(name)
                .or_default()
                .extend(sets.iter().map(|&s| set_name(s)));
        }
        for (prefix, members) in &self.umbrellas {
            lines
                .entry(prefix)
                .or_default()
                .extend(members.iter().filter_map(|&m| self.names.get(m).cloned()));
        }
        for (name, enables) in lines {
            out.push_str(&format!(
                "{name} = [{}]\n",
                quoted(&mut enables.into_iter())
            ));
        }
        if !self.sets.is_empty() {
            out.push_str("# Internal: types shared by several tags.\n");
            for id in 0..self.sets.len() {
                out.push_str(&format!("{} = []\n", set_name(id)));
            }
        }
        out
    }

    /// The feature an example that calls operation `index` needs.
    pub fn required_by(&self, index: usize) -> Option<&str> {
        let first = self.first_features.get(index).copied().flatten()?;
        self.names.get(first).map(String::as_str)
    }
}

/// The internal feature of shared set `id`.
fn set_name(id: usize) -> String {
    format!("set-{id}")
}

/// Dotted tags' prefixes (`users` of `users.calendar`) that are not
/// otherwise a feature of their own, with the features under them.
fn umbrellas(
    api: &Api,
    names: &[String],
    index: &HashMap<&str, usize>,
) -> BTreeMap<String, Vec<usize>> {
    let mut umbrellas: BTreeMap<String, BTreeSet<usize>> = BTreeMap::new();
    for tag in api.operations.iter().flat_map(|op| &op.tags) {
        let Some((prefix, _)) = tag.split_once('.') else {
            continue;
        };
        let umbrella = feature_name(prefix);
        let Some(&member) = index.get(feature_name(tag).as_str()) else {
            continue;
        };
        if names.get(member) != Some(&umbrella) {
            umbrellas.entry(umbrella).or_default().insert(member);
        }
    }
    umbrellas
        .into_iter()
        .map(|(name, members)| (name, members.into_iter().collect()))
        .collect()
}

/// Per type, the features whose operations reach it (sorted).
fn reached_by(api: &Api, op_features: &[Vec<usize>], count: usize) -> Vec<Vec<usize>> {
    let mut roots: Vec<Vec<TypeId>> = vec![Vec::new(); count];
    for (op, features) in api.operations.iter().zip(op_features) {
        let mut mentioned = Vec::new();
        for p in &op.params {
            super::named_in(&p.ty, &mut mentioned);
        }
        if let Some(body) = &op.body {
            super::named_in(&body.ty, &mut mentioned);
        }
        for r in &op.responses {
            if let Some((ty, _)) = &r.body {
                super::named_in(ty, &mut mentioned);
            }
        }
        for &f in features {
            if let Some(list) = roots.get_mut(f) {
                list.extend(mentioned.iter().copied());
            }
        }
    }
    let n = api.types.defs.len();
    let mut reached: Vec<Vec<usize>> = vec![Vec::new(); n];
    // The feature that last marked each type: one walk per feature, with
    // no clearing in between.
    let mut seen: Vec<usize> = vec![usize::MAX; n];
    for (feature, mut work) in roots.into_iter().enumerate() {
        while let Some(id) = work.pop() {
            match seen.get_mut(id.0) {
                Some(mark) if *mark != feature => *mark = feature,
                _ => continue,
            }
            if let Some(list) = reached.get_mut(id.0) {
                list.push(feature);
            }
            super::type_edges(api.types.get(id), &mut work);
        }
    }
    reached
}

#[cfg(test)]
mod tests {
    use super::feature_name;

    #[test]
    fn tags_become_kebab_case_features_clear_of_the_manifest() {
        assert_eq!(feature_name("users.calendar"), "users-calendar");
        assert_eq!(feature_name("identityGovernance"), "identity-governance");
        assert_eq!(feature_name("Code Scanning"), "code-scanning");
        assert_eq!(feature_name("日本"), "tag");
        assert_eq!(feature_name("default"), "default-tag");
        assert_eq!(feature_name("serialize"), "serialize-tag");
        assert_eq!(feature_name("set-1"), "set-1-tag");
        assert_eq!(feature_name("full"), "full-tag");
    }
}
