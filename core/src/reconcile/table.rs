//! Compact storage for the reconciler: an open-addressing table that holds only slot numbers
//! (the keys live in the items or in the payment id arena, so a 1M-item index is 8 MB rather
//! than the ~100 MB of a `HashMap<MatchKey, u32>`), and the arena of payment ids.

/// A slot number stored in a [`SlotTable`]: `u32` for items (their count is capped at
/// `u32::MAX − 1`), `usize` for payments (a long watcher run has no such cap).
pub(super) trait Slot: Copy + Eq {
    /// The marker of a free entry, never a real slot.
    const FREE: Self;
}

impl Slot for u32 {
    const FREE: u32 = u32::MAX;
}

impl Slot for usize {
    const FREE: usize = usize::MAX;
}

/// A hash table of slot numbers with linear probing, kept at most half full. It does not
/// store keys or hashes: `find` asks the caller whether a candidate slot holds the key, and
/// growing asks for each slot's hash again. So equal hashes never mean equal keys; the
/// caller's comparison decides.
#[derive(Clone, Debug)]
pub(super) struct SlotTable<T: Slot> {
    entries: Vec<T>,
    len: usize,
}

impl<T: Slot> SlotTable<T> {
    /// A table that holds `capacity` slots without growing.
    pub(super) fn with_capacity(capacity: usize) -> Self {
        let size = capacity.saturating_mul(2).max(16).next_power_of_two();
        SlotTable {
            entries: vec![T::FREE; size],
            len: 0,
        }
    }

    /// The first slot with this hash for which `is_key` holds.
    pub(super) fn find(&self, hash: u64, mut is_key: impl FnMut(T) -> bool) -> Option<T> {
        let mask = self.entries.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.entries[at];
            if slot == T::FREE {
                return None;
            }
            if is_key(slot) {
                return Some(slot);
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds a slot (the caller has checked that its key is not present). `hash_of` gives the
    /// hash of any stored slot, for when the table grows.
    pub(super) fn insert(&mut self, hash: u64, slot: T, hash_of: impl Fn(T) -> u64) {
        if (self.len + 1) * 2 > self.entries.len() {
            let size = self.entries.len() * 2;
            let old = std::mem::replace(&mut self.entries, vec![T::FREE; size]);
            for slot in old.into_iter().filter(|&s| s != T::FREE) {
                self.place(hash_of(slot), slot);
            }
        }
        self.place(hash, slot);
        self.len += 1;
    }

    fn place(&mut self, hash: u64, slot: T) {
        let mask = self.entries.len() - 1;
        let mut at = hash as usize & mask;
        while self.entries[at] != T::FREE {
            at = (at + 1) & mask;
        }
        self.entries[at] = slot;
    }
}

/// Every accepted payment's id in arrival order, in one string: about 20 bytes a payment
/// instead of a `String` (24 bytes plus a heap block) or an `Arc<str>` each.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct PaymentIds {
    text: String,
    ends: Vec<usize>,
}

impl PaymentIds {
    /// Appends an id and returns its record number.
    pub(super) fn push(&mut self, id: &str) -> usize {
        self.text.push_str(id);
        self.ends.push(self.text.len());
        self.ends.len() - 1
    }

    /// The id of record `record` (empty for a record that does not exist).
    pub(super) fn get(&self, record: usize) -> &str {
        let start = match record {
            0 => 0,
            r => self.ends.get(r - 1).copied().unwrap_or(0),
        };
        let end = self.ends.get(record).copied().unwrap_or(start);
        self.text.get(start..end).unwrap_or("")
    }

    /// How many ids are stored.
    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_hashes_are_told_apart_by_the_key() {
        let keys = ["a", "b", "c", "d"];
        let mut table = SlotTable::<u32>::with_capacity(1);
        // Every key has hash 7: only the caller's comparison separates them.
        for (i, _) in keys.iter().enumerate() {
            let i = i as u32;
            assert_eq!(table.find(7, |s| s == i), None);
            table.insert(7, i, |_| 7);
        }
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(table.find(7, |s| keys[s as usize] == *key), Some(i as u32));
        }
        assert_eq!(table.find(7, |_| false), None);
    }

    #[test]
    fn grows_and_keeps_every_slot() {
        let mut table = SlotTable::<usize>::with_capacity(0);
        for i in 0..1000usize {
            table.insert(i as u64 * 31, i, |s| s as u64 * 31);
        }
        for i in 0..1000usize {
            assert_eq!(table.find(i as u64 * 31, |s| s == i), Some(i));
        }
    }

    #[test]
    fn ids_round_trip() {
        let mut ids = PaymentIds::default();
        assert_eq!(ids.push("p1"), 0);
        assert_eq!(ids.push(""), 1);
        assert_eq!(ids.push("p3"), 2);
        assert_eq!(
            (ids.get(0), ids.get(1), ids.get(2), ids.get(3)),
            ("p1", "", "p3", "")
        );
        assert_eq!(ids.len(), 3);
    }
}
