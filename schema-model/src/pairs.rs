//! Walking large realms: two maps of the same kind of object side by side, and work
//! over many objects split between two threads.

use std::collections::BTreeMap;
use std::collections::btree_map;
use std::iter::Peekable;

/// Each entry of `from` with the entry of `to` under the same key, if any, in `from`'s
/// order. Both maps are sorted, so one pass over each finds every partner: a differ
/// walks tens of thousands of tables this way without a lookup per table.
pub fn paired<'a, T>(from: &'a BTreeMap<String, T>, to: &'a BTreeMap<String, T>) -> Paired<'a, T> {
    Paired {
        from: from.iter(),
        to: to.iter().peekable(),
    }
}

/// The iterator [`paired`] returns.
pub struct Paired<'a, T> {
    from: btree_map::Iter<'a, String, T>,
    to: Peekable<btree_map::Iter<'a, String, T>>,
}

impl<'a, T> Iterator for Paired<'a, T> {
    type Item = (&'a String, &'a T, Option<&'a T>);

    fn next(&mut self) -> Option<Self::Item> {
        let (key, value) = self.from.next()?;
        while self.to.next_if(|(other, _)| *other < key).is_some() {}
        let partner = self.to.next_if(|(other, _)| *other == key).map(|(_, v)| v);
        Some((key, value, partner))
    }
}

/// Below this many items, [`map_in_halves`] stays on the calling thread: a thread costs
/// more than it saves on small realms, which are most of them.
pub const PARALLEL_ITEMS: usize = 4096;

/// `f` applied to every item, in order. From [`PARALLEL_ITEMS`] items on, the second
/// half is done on another thread: comparing or searching tens of thousands of tables
/// is memory-bound work that splits evenly, and the caller sees the same result.
pub fn map_in_halves<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    if items.len() < PARALLEL_ITEMS {
        return items.iter().map(&f).collect();
    }
    let (first, second) = items.split_at(items.len() / 2);
    let (mut out, later) = on_two_threads(
        || first.iter().map(&f).collect::<Vec<R>>(),
        || second.iter().map(&f).collect::<Vec<R>>(),
    );
    out.extend(later);
    out
}

/// Runs `here` on the calling thread and `there` on another, and returns both results.
/// A panic in `there` is this call's panic, as it would be on one thread.
pub fn on_two_threads<A, B: Send>(
    here: impl FnOnce() -> A,
    there: impl FnOnce() -> B + Send,
) -> (A, B) {
    std::thread::scope(|scope| {
        let other = scope.spawn(there);
        let mine = here();
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (mine, theirs)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_equal_keys_and_leaves_the_rest_alone() {
        let from: BTreeMap<String, u8> = [("a", 1), ("c", 3), ("d", 4), ("f", 6)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let to: BTreeMap<String, u8> = [("b", 20), ("c", 30), ("e", 50), ("f", 60), ("g", 70)]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let pairs: Vec<(&str, u8, Option<u8>)> = paired(&from, &to)
            .map(|(k, a, b)| (k.as_str(), *a, b.copied()))
            .collect();
        assert_eq!(
            pairs,
            [
                ("a", 1, None),
                ("c", 3, Some(30)),
                ("d", 4, None),
                ("f", 6, Some(60))
            ]
        );
        let empty = BTreeMap::new();
        assert_eq!(
            paired(&from, &empty)
                .filter(|(_, _, b)| b.is_some())
                .count(),
            0
        );
        assert_eq!(paired(&empty, &to).count(), 0);
    }

    #[test]
    fn halves_keep_the_order_on_both_sides_of_the_threshold() {
        for len in [0, 3, PARALLEL_ITEMS + 7] {
            let items: Vec<usize> = (0..len).collect();
            let doubled = map_in_halves(&items, |n| n * 2);
            assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
        }
    }
}
