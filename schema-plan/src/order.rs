//! Dependency ordering: statements grouped into nodes, edges saying "must run before",
//! and a deterministic topological sort.
//!
//! Kahn's algorithm with a min-heap: of the nodes whose dependencies have all run, the
//! one with the lowest [`Kind`] runs first, then by name. The kind order is the phase
//! order of a dump (schemas, types, tables, foreign keys, views, ...), so dependencies
//! only need to be declared where an object can depend on one of a later phase or of its
//! own phase.

use crate::Statement;
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

/// The phase of a node: its rank when nothing else decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Kind {
    Setting,
    Schema,
    Extension,
    Collation,
    Type,
    Sequence,
    Function,
    Aggregate,
    Table,
    SequenceOwner,
    ForeignKey,
    Index,
    View,
    ViewIndex,
    Trigger,
    RowSecurity,
    Policy,
    Opaque,
    Comment,
    Grant,
    DefaultPrivilege,
}

struct Node<S> {
    /// Sorts before `kind`: a plan runs its drops (phase 0) before what it creates.
    phase: u8,
    kind: Kind,
    name: String,
    statements: Vec<S>,
}

/// Collects nodes and edges, then sorts them.
pub(crate) struct Graph<S = Statement> {
    graph: DiGraph<Node<S>, ()>,
    keys: HashMap<String, NodeIndex>,
    edges: Vec<(String, String)>,
    owners: HashMap<String, String>,
    /// The selected object being rendered (see [`crate::select`]), which the nodes added
    /// meanwhile come from; `None` for realm-level nodes and whole-realm renders.
    pub(crate) current: Option<u32>,
    origins: HashMap<String, u32>,
}

impl<S> Default for Graph<S> {
    fn default() -> Self {
        Graph {
            graph: DiGraph::default(),
            keys: HashMap::new(),
            edges: Vec::new(),
            owners: HashMap::new(),
            current: None,
            origins: HashMap::new(),
        }
    }
}

/// A rendered node, as the planner compares them.
pub(crate) struct RenderedNode {
    pub(crate) kind: Kind,
    pub(crate) statements: Vec<Statement>,
    /// The keys of the nodes this one depends on.
    pub(crate) deps: Vec<String>,
    /// The node whose drop takes this one with it (a table for its indexes).
    pub(crate) owner: Option<String>,
    /// The selected object the node was rendered from, when the render was selective.
    pub(crate) origin: Option<u32>,
}

impl Graph<Statement> {
    /// The nodes by key, with their dependencies, unsorted. Dependencies on keys that
    /// got no node are left out, unless `dangling` keeps them: a selective render adds
    /// nodes in rounds, and a node's dependency may be rendered in a later round.
    pub(crate) fn into_rendered(self, dangling: bool) -> HashMap<String, RenderedNode> {
        let mut deps: HashMap<String, Vec<String>> = HashMap::with_capacity(self.keys.len());
        for (before, after) in self.edges {
            if before != after && (dangling || self.keys.contains_key(&before)) {
                deps.entry(after).or_default().push(before);
            }
        }
        let mut owners = self.owners;
        let mut origins = self.origins;
        let (nodes, _) = self.graph.into_nodes_edges();
        let mut slots: Vec<Option<Node<Statement>>> =
            nodes.into_iter().map(|n| Some(n.weight)).collect();
        let mut out = HashMap::with_capacity(self.keys.len());
        for (key, index) in self.keys {
            let Some(node) = slots.get_mut(index.index()).and_then(Option::take) else {
                continue;
            };
            let mut node_deps = deps.remove(&key).unwrap_or_default();
            node_deps.sort();
            node_deps.dedup();
            let owner = owners.remove(&key);
            let origin = origins.remove(&key);
            out.insert(
                key,
                RenderedNode {
                    kind: node.kind,
                    statements: node.statements,
                    deps: node_deps,
                    owner,
                    origin,
                },
            );
        }
        out
    }
}

impl<S> Graph<S> {
    /// Says that dropping `owner` drops the node `key` with it.
    pub(crate) fn own(&mut self, key: impl Into<String>, owner: impl Into<String>) {
        self.owners.insert(key.into(), owner.into());
    }

    /// Adds a node. `key` identifies it for edges; `name` breaks ties within its kind.
    /// Adding statements to an existing key appends them to that node.
    pub(crate) fn add(
        &mut self,
        kind: Kind,
        key: impl Into<String>,
        name: impl Into<String>,
        statements: Vec<S>,
    ) {
        self.add_in_phase(0, kind, key, name, statements);
    }

    /// [`Self::add`] in a phase: lower phases sort first where edges leave a choice.
    pub(crate) fn add_in_phase(
        &mut self,
        phase: u8,
        kind: Kind,
        key: impl Into<String>,
        name: impl Into<String>,
        statements: Vec<S>,
    ) {
        if statements.is_empty() {
            return;
        }
        let key = key.into();
        if let Some(&index) = self.keys.get(&key) {
            self.graph[index].statements.extend(statements);
            return;
        }
        if let Some(origin) = self.current {
            self.origins.insert(key.clone(), origin);
        }
        let index = self.graph.add_node(Node {
            phase,
            kind,
            name: name.into(),
            statements,
        });
        self.keys.insert(key, index);
    }

    /// Says that the node `after` must run after the node `before`. Either may be added
    /// later; an edge to a key that never gets a node (an object outside the realm) is
    /// dropped.
    pub(crate) fn depend(&mut self, after: impl Into<String>, before: impl Into<String>) {
        self.edges.push((before.into(), after.into()));
    }

    /// The statements in dependency order. Cycles do not fail the sort: when no node is
    /// ready, the lowest remaining node runs anyway (and a warning is logged), so the
    /// output is complete and still deterministic.
    pub(crate) fn into_statements(mut self) -> Vec<S> {
        for (before, after) in std::mem::take(&mut self.edges) {
            if let (Some(&b), Some(&a)) = (self.keys.get(&before), self.keys.get(&after))
                && a != b
            {
                self.graph.update_edge(b, a, ());
            }
        }
        let graph = self.graph;
        let rank = |i: NodeIndex| {
            let node = &graph[i];
            Reverse((node.phase, node.kind, node.name.clone(), i.index()))
        };
        let mut waiting: Vec<usize> = graph
            .node_indices()
            .map(|i| graph.neighbors_directed(i, Direction::Incoming).count())
            .collect();
        let mut done = vec![false; graph.node_count()];
        let mut heap: BinaryHeap<_> = graph
            .node_indices()
            .filter(|i| waiting[i.index()] == 0)
            .map(rank)
            .collect();
        let mut order = Vec::with_capacity(graph.node_count());
        while order.len() < graph.node_count() {
            let next = match heap.pop() {
                Some(Reverse((_, _, _, i))) => NodeIndex::new(i),
                None => {
                    // Only cycles are left: break one at its lowest node.
                    let Some(i) = graph
                        .node_indices()
                        .filter(|i| !done[i.index()])
                        .min_by_key(|&i| rank(i).0)
                    else {
                        break;
                    };
                    tracing::warn!(
                        object = graph[i].name.as_str(),
                        "dependency cycle: rendering an object before all it depends on"
                    );
                    i
                }
            };
            if done[next.index()] {
                continue;
            }
            done[next.index()] = true;
            order.push(next);
            for succ in graph.neighbors_directed(next, Direction::Outgoing) {
                let w = &mut waiting[succ.index()];
                *w = w.saturating_sub(1);
                if *w == 0 && !done[succ.index()] {
                    heap.push(rank(succ));
                }
            }
        }
        let (nodes, _) = graph.into_nodes_edges();
        let mut slots: Vec<Option<Node<S>>> = nodes.into_iter().map(|n| Some(n.weight)).collect();
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i.index()).and_then(Option::take))
            .flat_map(|node| node.statements)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stmt(sql: &str) -> Vec<Statement> {
        vec![Statement::new(sql, sql)]
    }

    fn sqls(graph: Graph) -> Vec<String> {
        graph.into_statements().into_iter().map(|s| s.sql).collect()
    }

    #[test]
    fn kind_then_name_when_independent() {
        let mut g = Graph::default();
        g.add(Kind::View, "v", "a", stmt("v"));
        g.add(Kind::Table, "t2", "b", stmt("t2"));
        g.add(Kind::Table, "t1", "a", stmt("t1"));
        assert_eq!(sqls(g), ["t1;", "t2;", "v;"]);
    }

    #[test]
    fn edges_override_kind_order() {
        let mut g = Graph::default();
        g.add(Kind::Function, "f", "f", stmt("f"));
        g.add(Kind::Table, "t", "t", stmt("t"));
        g.depend("f", "t");
        g.depend("f", "missing");
        assert_eq!(sqls(g), ["t;", "f;"]);
    }

    #[test]
    fn cycles_still_render_everything() {
        let mut g = Graph::default();
        g.add(Kind::View, "a", "a", stmt("a"));
        g.add(Kind::View, "b", "b", stmt("b"));
        g.add(Kind::View, "c", "c", stmt("c"));
        g.depend("a", "b");
        g.depend("b", "a");
        g.depend("c", "b");
        assert_eq!(sqls(g), ["a;", "b;", "c;"]);
    }
}
