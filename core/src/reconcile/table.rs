//! Compact storage for the reconciler: an open-addressing table that holds only slot numbers
//! (the keys live in the items or in the payment id arena, so a 1M-item index is 8 MB rather
//! than the ~100 MB of a `HashMap<MatchKey, u32>`), and the arena of payment ids.

/// A hash table of slot numbers with linear probing, at most 75 % full. Each entry is one
/// `u64`: the slot number in the high bits and a fingerprint of the key's hash in the low
/// `fingerprint_bits`, so a probe rarely touches the key itself. It does not store keys:
/// `find` asks the caller whether a candidate slot holds the key, and growing asks for each
/// slot's hash again. So equal hashes or fingerprints never mean equal keys; the caller's
/// comparison decides.
#[derive(Clone, Debug)]
pub(super) struct SlotTable {
    entries: Vec<u64>,
    len: usize,
    fingerprint_bits: u32,
}

/// A free entry (no slot number reaches `u64::MAX >> fingerprint_bits` in practice: item
/// numbers are `u32`, payment ids offsets below 2^40 bytes).
const FREE: u64 = u64::MAX;

impl SlotTable {
    /// A table that holds `capacity` slots without growing; slot numbers must stay below
    /// `2^(64 − fingerprint_bits) − 1`.
    pub(super) fn with_capacity(capacity: usize, fingerprint_bits: u32) -> Self {
        SlotTable {
            entries: vec![FREE; Self::size_for(capacity)],
            len: 0,
            fingerprint_bits,
        }
    }

    /// Entries for `len` slots at 75 % load. Not a power of two: [`SlotTable::home`] maps a
    /// hash onto any size, which saves up to half the memory of rounding up.
    fn size_for(len: usize) -> usize {
        (len.saturating_mul(4).div_ceil(3) + 1).max(16)
    }

    /// Where a hash starts probing: its high bits scaled onto the table (multiply-shift).
    fn home(&self, hash: u64) -> usize {
        ((u128::from(hash) * self.entries.len() as u128) >> 64) as usize
    }

    fn fingerprint(&self, hash: u64) -> u64 {
        hash & ((1 << self.fingerprint_bits) - 1)
    }

    /// The first slot with this hash for which `is_key` holds.
    pub(super) fn find(&self, hash: u64, mut is_key: impl FnMut(u64) -> bool) -> Option<u64> {
        let fingerprint = self.fingerprint(hash);
        let mut at = self.home(hash);
        loop {
            let entry = self.entries[at];
            if entry == FREE {
                return None;
            }
            if entry & ((1 << self.fingerprint_bits) - 1) == fingerprint {
                let slot = entry >> self.fingerprint_bits;
                if is_key(slot) {
                    return Some(slot);
                }
            }
            at += 1;
            if at == self.entries.len() {
                at = 0;
            }
        }
    }

    /// Adds a slot (the caller has checked that its key is not present). `hash_of` gives the
    /// hash of any stored slot, for when the table grows.
    pub(super) fn insert(&mut self, hash: u64, slot: u64, hash_of: impl Fn(u64) -> u64) {
        if (self.len + 1) * 4 > self.entries.len() * 3 {
            let size = Self::size_for((self.len + 1) * 2);
            let old = std::mem::replace(&mut self.entries, vec![FREE; size]);
            for entry in old.into_iter().filter(|&e| e != FREE) {
                let slot = entry >> self.fingerprint_bits;
                self.place(hash_of(slot), slot);
            }
        }
        self.place(hash, slot);
        self.len += 1;
    }

    fn place(&mut self, hash: u64, slot: u64) {
        let mut at = self.home(hash);
        while self.entries[at] != FREE {
            at += 1;
            if at == self.entries.len() {
                at = 0;
            }
        }
        self.entries[at] = (slot << self.fingerprint_bits) | self.fingerprint(hash);
    }
}

/// Ids shorter than this take one length byte in [`PaymentIds`]; longer ones the marker
/// byte and 16 hex digits.
const SHORT_ID: usize = 0x7f;

/// Every accepted payment's id in arrival order, in one string, each behind its length:
/// about 21 bytes a payment instead of a `String` (24 bytes plus a heap block) or an
/// `Arc<str>` each. A record is the id's byte offset, so no table of offsets is kept.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(super) struct PaymentIds {
    text: String,
    count: usize,
}

impl PaymentIds {
    /// Appends an id and returns its record (offset).
    pub(super) fn push(&mut self, id: &str) -> usize {
        let record = self.text.len();
        if id.len() < SHORT_ID {
            // Below 0x7f: one ASCII character, so the text stays valid UTF-8.
            self.text.push(char::from(id.len() as u8));
        } else {
            self.text.push(char::from(SHORT_ID as u8));
            self.text.push_str(&format!("{:016x}", id.len()));
        }
        self.text.push_str(id);
        self.count += 1;
        record
    }

    /// The id at `record` and the record after it (empty and the end for a record that does
    /// not exist).
    pub(super) fn read(&self, record: usize) -> (&str, usize) {
        let end = self.text.len();
        let Some(&first) = self.text.as_bytes().get(record) else {
            return ("", end);
        };
        let (start, len) = if usize::from(first) < SHORT_ID {
            (record + 1, usize::from(first))
        } else {
            let digits = self.text.get(record + 1..record + 17).unwrap_or("");
            (record + 17, usize::from_str_radix(digits, 16).unwrap_or(0))
        };
        let id = self.text.get(start..start + len).unwrap_or("");
        (id, start + len)
    }

    /// The id at `record`.
    pub(super) fn get(&self, record: usize) -> &str {
        self.read(record).0
    }

    /// How many ids are stored.
    pub(super) fn len(&self) -> usize {
        self.count
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colliding_hashes_are_told_apart_by_the_key() {
        let keys = ["a", "b", "c", "d"];
        let mut table = SlotTable::with_capacity(1, 32);
        // Every key has hash 7: only the caller's comparison separates them.
        for i in 0..keys.len() as u64 {
            assert_eq!(table.find(7, |s| s == i), None);
            table.insert(7, i, |_| 7);
        }
        for (i, key) in keys.iter().enumerate() {
            assert_eq!(table.find(7, |s| keys[s as usize] == *key), Some(i as u64));
        }
        assert_eq!(table.find(7, |_| false), None);
    }

    #[test]
    fn grows_and_keeps_every_slot() {
        let mut table = SlotTable::with_capacity(0, 24);
        let hash = |s: u64| s.wrapping_mul(0x9e37_79b9_7f4a_7c15);
        for i in 0..1000u64 {
            table.insert(hash(i), i, hash);
        }
        for i in 0..1000u64 {
            assert_eq!(table.find(hash(i), |s| s == i), Some(i));
        }
    }

    #[test]
    fn ids_round_trip() {
        let mut ids = PaymentIds::default();
        let long = "x".repeat(300);
        let records = [
            ids.push("p1"),
            ids.push(""),
            ids.push(&long),
            ids.push("p4"),
        ];
        assert_eq!(ids.get(records[0]), "p1");
        assert_eq!(ids.get(records[1]), "");
        assert_eq!(ids.get(records[2]), long);
        assert_eq!(ids.read(records[2]).1, records[3]);
        assert_eq!(ids.get(records[3]), "p4");
        assert_eq!(ids.get(10_000), "");
        assert_eq!(ids.len(), 4);
    }
}
