//! The last table made, kept for the next call that asks for the same one.
//!
//! Permutation and rank draws depend on a seed and sizes only, never on the values they are
//! applied to, and the weights' sums on the weights only: a batch of petitions on one layer
//! asks for the same tables again and again. Keeping the last one gives the same results as
//! making it again, for the cost of its memory.

use std::sync::{Arc, Mutex};

/// The last table made, and the key it was made for.
pub(crate) type Memo<K, T> = Mutex<Option<(K, Arc<T>)>>;

/// The table for `key`: the last one if it was made for the same key, else a new one from
/// `make` (then kept).
pub(crate) fn remembered<K: PartialEq + Clone, T>(
    memo: &Memo<K, T>,
    key: &K,
    make: impl FnOnce() -> T,
) -> Arc<T> {
    // a poisoned lock still holds a whole table or none
    let lock = || memo.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((k, table)) = &*lock()
        && k == key
    {
        return Arc::clone(table);
    }
    let table = Arc::new(make());
    *lock() = Some((key.clone(), Arc::clone(&table)));
    table
}
