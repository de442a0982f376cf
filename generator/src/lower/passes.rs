//! Whole-model passes that run after lowering, when every type is known.

use std::cmp::Reverse;

use crate::model::{Ty, TypeDef, TypeId, TypeKind, TypeSpace};

/// Orders untagged union variants so that serde, which tries them in order,
/// picks the most specific one: structs with more required fields before
/// looser ones, objects before scalars, and catch-alls (open enums, plain
/// strings, any JSON) last.
pub fn order_union_variants(types: &mut TypeSpace) {
    let ranks: Vec<Vec<(u8, Reverse<usize>)>> = types
        .defs
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Union(u) if u.tag.is_none() => {
                u.variants.iter().map(|v| rank(types, &v.ty)).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    for (def, ranks) in types.defs.iter_mut().zip(ranks) {
        if let TypeKind::Union(u) = &mut def.kind {
            if u.tag.is_some() {
                continue;
            }
            let mut keyed: Vec<_> = u.variants.drain(..).zip(ranks).collect();
            keyed.sort_by_key(|(_, r)| *r);
            u.variants = keyed.into_iter().map(|(v, _)| v).collect();
        }
    }
}

fn rank(types: &TypeSpace, ty: &Ty) -> (u8, Reverse<usize>) {
    match ty.non_null() {
        Ty::Named(id) => match &types.get(*id).kind {
            TypeKind::Struct(s) => {
                let required = s.fields.iter().filter(|f| f.required).count();
                (
                    if required > 0 { 0 } else { 2 },
                    Reverse(required + s.fields.len()),
                )
            }
            TypeKind::Union(_) => (1, Reverse(0)),
            TypeKind::Enum(_) => (8, Reverse(0)),
            TypeKind::Alias { ty, .. } => rank_alias(types, ty),
        },
        Ty::Map(_) | Ty::JsonObject => (3, Reverse(0)),
        Ty::Array(_) => (4, Reverse(0)),
        Ty::DateTime | Ty::Date | Ty::Uuid => (5, Reverse(0)),
        Ty::Int(_) => (6, Reverse(0)),
        Ty::Float { .. } => (7, Reverse(0)),
        Ty::Bool => (7, Reverse(0)),
        Ty::String | Ty::Bytes => (9, Reverse(0)),
        Ty::Json | Ty::Nullable(_) => (10, Reverse(0)),
    }
}

fn rank_alias(types: &TypeSpace, ty: &Ty) -> (u8, Reverse<usize>) {
    // Aliases of aliases are rare; one level of lookup is enough to rank.
    match ty.non_null() {
        Ty::Named(_) => (1, Reverse(0)),
        other => rank(types, other),
    }
}

/// Marks struct fields that must be boxed: those whose type reaches back to
/// the struct without passing through a `Vec` or map (which already
/// allocate). Uses strongly connected components of the "contains inline"
/// graph, so it is linear in the size of the model.
pub fn box_cycles(types: &mut TypeSpace) {
    let n = types.defs.len();
    let edges: Vec<Vec<usize>> = types
        .defs
        .iter()
        .map(|def| inline_edges(def).into_iter().map(|t| t.0).collect())
        .collect();
    let component = strongly_connected(n, &edges);
    let mut self_loop = vec![false; n];
    for (from, targets) in edges.iter().enumerate() {
        if targets.contains(&from) {
            self_loop[from] = true;
        }
    }
    for (index, def) in types.defs.iter_mut().enumerate() {
        let TypeKind::Struct(s) = &mut def.kind else {
            continue;
        };
        for field in &mut s.fields {
            if let Some(target) = direct_named(&field.ty) {
                let cyclic = component[target.0] == component[index]
                    && (target.0 != index || self_loop[index]);
                field.boxed = cyclic;
            }
        }
    }
}

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
        TypeKind::Alias { ty, .. } => direct_named(ty).into_iter().collect(),
        // Union payloads that are structs are boxed by the emitter.
        TypeKind::Union(_) | TypeKind::Enum(_) => Vec::new(),
    }
}

/// Tarjan's algorithm, iterative so deep graphs cannot overflow the stack.
/// Returns the component index of every node.
fn strongly_connected(n: usize, edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSET: usize = usize::MAX;
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
