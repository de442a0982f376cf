//! Whole-model passes that run after lowering, when every type is known.

use crate::diagnostics::Diagnostics;
use crate::model::{Constraints, Ty, TypeDef, TypeId, TypeKind, TypeSpace};

/// Aliases that refer to themselves, through other aliases only, cannot be
/// Rust `type` aliases (E0391). A cycle that passes through a list or map
/// is a real recursive type: its aliases become newtype structs. A cycle
/// of bare references defines nothing and is an error at each member.
pub fn break_alias_cycles(types: &mut TypeSpace, diags: &mut Diagnostics) {
    let edges: Vec<Vec<usize>> = types
        .defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias { ty, .. } => {
                let mut named = Vec::new();
                mentioned(ty, &mut named);
                named
                    .into_iter()
                    .filter(|id| is_alias(types, *id))
                    .map(|id| id.0)
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let component = strongly_connected(types.defs.len(), &edges);
    let mut size = vec![0usize; types.defs.len()];
    for &c in &component {
        if let Some(count) = size.get_mut(c) {
            *count += 1;
        }
    }
    let cyclic = |index: usize| -> bool {
        let c = component.get(index).copied().unwrap_or(usize::MAX);
        size.get(c).is_some_and(|n| *n > 1)
            || edges
                .get(index)
                .is_some_and(|targets| targets.contains(&index))
    };
    // A cycle is bare when no member holds another through a container.
    let mut bare = vec![true; types.defs.len()];
    for (index, def) in types.defs.iter().enumerate() {
        if !cyclic(index) {
            continue;
        }
        if let TypeKind::Alias { ty, .. } = &def.kind
            && direct_named(ty).is_none()
            && let Some(c) = component.get(index)
            && let Some(flag) = bare.get_mut(*c)
        {
            *flag = false;
        }
    }
    let names: Vec<String> = types.defs.iter().map(|d| d.name.clone()).collect();
    for (index, def) in types.defs.iter_mut().enumerate() {
        if !cyclic(index) {
            continue;
        }
        let is_bare = component
            .get(index)
            .and_then(|c| bare.get(*c))
            .copied()
            .unwrap_or(true);
        if is_bare {
            let others: Vec<&str> = edges
                .get(index)
                .into_iter()
                .flatten()
                .filter_map(|t| names.get(*t).map(String::as_str))
                .collect();
            diags.error(
                &def.origin,
                format!(
                    "`{}` refers to itself through `$ref`s only (via `{}`) and defines no type",
                    def.name,
                    others.join("`, `")
                ),
            );
            def.kind = TypeKind::Alias {
                ty: Ty::Json,
                constraints: Constraints::default(),
            };
        } else if let TypeKind::Alias { ty, constraints } = &def.kind {
            def.kind = TypeKind::Newtype {
                ty: ty.clone(),
                constraints: constraints.clone(),
            };
        }
    }
}

fn is_alias(types: &TypeSpace, id: TypeId) -> bool {
    types
        .defs
        .get(id.0)
        .is_some_and(|d| matches!(d.kind, TypeKind::Alias { .. }))
}

/// Every named type `ty` mentions, at any depth.
fn mentioned(ty: &Ty, out: &mut Vec<TypeId>) {
    match ty {
        Ty::Named(id) => out.push(*id),
        Ty::Nullable(inner) | Ty::Array(inner) | Ty::Map(inner) => mentioned(inner, out),
        _ => {}
    }
}

/// Decides every `Box` the model needs, seeing through aliases and
/// newtypes: a struct field or union payload is boxed when its type
/// reaches back to its holder without passing through a `Vec` or map
/// (which already allocate). Union payloads that are structs or unions
/// are boxed too, so one large alternative does not make every value
/// large (`clippy::large_enum_variant`). Uses strongly connected
/// components of the "holds inline" graph, so it is linear in the size of
/// the model.
pub fn box_cycles(types: &mut TypeSpace) {
    let n = types.defs.len();
    let edges: Vec<Vec<usize>> = types
        .defs
        .iter()
        .map(|def| inline_edges(def).into_iter().map(|t| t.0).collect())
        .collect();
    let component = strongly_connected(n, &edges);
    let same_cycle = |from: usize, to: TypeId| -> bool {
        let (Some(a), Some(b)) = (component.get(from), component.get(to.0)) else {
            return false;
        };
        a == b
            && (to.0 != from
                || edges
                    .get(from)
                    .is_some_and(|targets| targets.contains(&from)))
    };
    let large: Vec<bool> = (0..n)
        .map(|index| is_large(types, TypeId(index), 0))
        .collect();
    for (index, def) in types.defs.iter_mut().enumerate() {
        match &mut def.kind {
            TypeKind::Struct(s) => {
                for field in &mut s.fields {
                    field.boxed = direct_named(&field.ty).is_some_and(|t| same_cycle(index, t));
                }
            }
            TypeKind::Union(u) => {
                for variant in &mut u.variants {
                    variant.boxed = direct_named(&variant.ty).is_some_and(|t| {
                        same_cycle(index, t) || large.get(t.0).copied().unwrap_or(false)
                    });
                }
            }
            _ => {}
        }
    }
}

/// Whether values of `id` are structs or unions, seen through aliases.
pub fn is_large(types: &TypeSpace, id: TypeId, depth: usize) -> bool {
    let Some(def) = types.defs.get(id.0) else {
        return false;
    };
    match &def.kind {
        TypeKind::Struct(_) | TypeKind::Union(_) => true,
        TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } if depth < MAX_ALIAS_DEPTH => {
            direct_named(ty).is_some_and(|t| is_large(types, t, depth + 1))
        }
        _ => false,
    }
}

/// Aliases chain at most this deep (alias cycles are broken before).
const MAX_ALIAS_DEPTH: usize = 64;

/// The named type a field holds inline (through `Option` but not through
/// collections).
fn direct_named(ty: &Ty) -> Option<TypeId> {
    match ty {
        Ty::Named(id) => Some(*id),
        Ty::Nullable(inner) => direct_named(inner),
        _ => None,
    }
}

fn inline_edges(def: &TypeDef) -> Vec<TypeId> {
    match &def.kind {
        TypeKind::Struct(s) => s
            .fields
            .iter()
            .filter_map(|f| direct_named(&f.ty))
            .collect(),
        TypeKind::Union(u) => u
            .variants
            .iter()
            .filter_map(|v| direct_named(&v.ty))
            .collect(),
        TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } => {
            direct_named(ty).into_iter().collect()
        }
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative so deep graphs cannot overflow the stack.
/// Returns the component index of every node.
// Every index is a node below `n`: callers build `edges` with `n` entries
// whose targets are type ids of the same arena (checked on entry).
#[allow(clippy::indexing_slicing)]
fn strongly_connected(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSET: usize = usize::MAX;
    if edges.len() != n || edges.iter().flatten().any(|&target| target >= n) {
        // Not a graph over `n` nodes: every node is its own component.
        return (0..n).collect();
    }
    let mut index = vec![UNSET; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSET; n];
    let mut next_index = 0;
    let mut next_component = 0;
    for root in 0..n {
        if index[root] != UNSET {
            continue;
        }
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some((node, edge)) = work.pop() {
            if edge == 0 {
                index[node] = next_index;
                low[node] = next_index;
                next_index += 1;
                stack.push(node);
                on_stack[node] = true;
            }
            if let Some(&target) = edges[node].get(edge) {
                work.push((node, edge + 1));
                if index[target] == UNSET {
                    work.push((target, 0));
                } else if on_stack[target] {
                    low[node] = low[node].min(index[target]);
                }
                continue;
            }
            if low[node] == index[node] {
                while let Some(member) = stack.pop() {
                    on_stack[member] = false;
                    component[member] = next_component;
                    if member == node {
                        break;
                    }
                }
                next_component += 1;
            }
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[node]);
            }
        }
    }
    component
}

/// Drops the types no operation reaches (when operations were filtered
/// out) and renumbers the rest, keeping their order.
pub fn prune_unreachable(types: &mut TypeSpace, operations: &mut [crate::model::Operation]) {
    let n = types.defs.len();
    let mut reached = vec![false; n];
    let mut work: Vec<TypeId> = Vec::new();
    let mut roots = Vec::new();
    for op in operations.iter() {
        for p in &op.params {
            mentioned(&p.ty, &mut roots);
        }
        if let Some(b) = &op.body {
            mentioned(&b.ty, &mut roots);
        }
        for r in &op.responses {
            if let Some((ty, _)) = &r.body {
                mentioned(ty, &mut roots);
            }
        }
    }
    work.extend(roots);
    while let Some(id) = work.pop() {
        match reached.get_mut(id.0) {
            Some(flag) if !*flag => *flag = true,
            _ => continue,
        }
        if let Some(def) = types.defs.get(id.0) {
            for_each_ty(def, |ty| mentioned(ty, &mut work));
        }
    }
    let mut new_id = vec![None; n];
    let mut next = 0;
    for (old, keep) in reached.iter().enumerate() {
        if *keep && let Some(slot) = new_id.get_mut(old) {
            *slot = Some(TypeId(next));
            next += 1;
        }
    }
    let remap = |ty: &mut Ty| renumber(ty, &new_id);
    let defs = std::mem::take(&mut types.defs);
    types.defs = defs
        .into_iter()
        .zip(reached)
        .filter_map(|(def, keep)| keep.then_some(def))
        .collect();
    for def in &mut types.defs {
        for_each_ty_mut(def, remap);
    }
    for op in operations {
        for p in &mut op.params {
            remap(&mut p.ty);
        }
        if let Some(b) = &mut op.body {
            remap(&mut b.ty);
        }
        for r in &mut op.responses {
            if let Some((ty, _)) = &mut r.body {
                remap(ty);
            }
        }
    }
}

fn renumber(ty: &mut Ty, new_id: &[Option<TypeId>]) {
    match ty {
        Ty::Named(id) => {
            // Every type a kept type mentions is kept too.
            if let Some(Some(new)) = new_id.get(id.0) {
                *id = *new;
            }
        }
        Ty::Nullable(inner) | Ty::Array(inner) | Ty::Map(inner) => renumber(inner, new_id),
        _ => {}
    }
}

/// Calls `f` on every type a definition holds.
fn for_each_ty(def: &TypeDef, mut f: impl FnMut(&Ty)) {
    match &def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter().for_each(|field| f(&field.ty));
            if let Some(ty) = &s.additional {
                f(ty);
            }
        }
        TypeKind::Union(u) => u.variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } => f(ty),
        TypeKind::Enum(_) => {}
    }
}

/// Calls `f` on every type a definition holds, mutably.
fn for_each_ty_mut(def: &mut TypeDef, mut f: impl FnMut(&mut Ty)) {
    match &mut def.kind {
        TypeKind::Struct(s) => {
            s.fields.iter_mut().for_each(|field| f(&mut field.ty));
            if let Some(ty) = &mut s.additional {
                f(ty);
            }
        }
        TypeKind::Union(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias { ty, .. } | TypeKind::Newtype { ty, .. } => f(ty),
        TypeKind::Enum(_) => {}
    }
}
