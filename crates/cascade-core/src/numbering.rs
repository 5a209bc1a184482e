//! Names numbered in order of first sight, with a small open-addressing hash table to find
//! them again: what a dataset's areas and respondents, and a document's duplicate checks, need.
//!
//! Why not `std::collections::HashMap`: its code (hashbrown's groups, rehashing in place) is
//! the larger part of a map in the WebAssembly module the widget downloads, and each key type
//! carries a copy. This table is one small non-generic type: a list of the names and a table
//! of their numbers, linear probing, kept at most half full, so a lookup is a hash and a
//! probe or two, as fast as the map it replaces.

/// Names, each numbered from 0 in the order first inserted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Numbering {
    names: Vec<Box<str>>,
    /// Each name's number plus one, at its hash's slot or after; 0 is an empty slot. A power
    /// of two long, at least twice as long as `names`.
    slots: Vec<u32>,
}

impl Numbering {
    /// How many names it holds.
    pub(crate) fn len(&self) -> usize {
        self.names.len()
    }

    /// The names, by number.
    pub(crate) fn names(&self) -> &[Box<str>] {
        &self.names
    }

    /// The number of `name`, if it has one.
    pub(crate) fn get(&self, name: &str) -> Option<u32> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut at = hash(name) & mask;
        loop {
            let slot = self.slots[at];
            if slot == 0 {
                return None;
            }
            if *self.names[slot as usize - 1] == *name {
                return Some(slot - 1);
            }
            at = (at + 1) & mask;
        }
    }

    /// The number of `name`, numbering it first if it is new; `true` with it when it is new.
    pub(crate) fn insert(&mut self, name: &str) -> (u32, bool) {
        if let Some(i) = self.get(name) {
            return (i, false);
        }
        // Far more names than any file holds would have run out of memory first.
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX - 1);
        self.names.push(name.into());
        if self.names.len() * 2 > self.slots.len() {
            self.slots = vec![0; (self.slots.len() * 2).max(16)];
            for n in 0..self.names.len() {
                self.place(n);
            }
        } else {
            self.place(i as usize);
        }
        (i, true)
    }

    /// Puts name `n`'s number in the first free slot from its hash's.
    fn place(&mut self, n: usize) {
        let mask = self.slots.len() - 1;
        let mut at = hash(&self.names[n]) & mask;
        while self.slots[at] != 0 {
            at = (at + 1) & mask;
        }
        self.slots[at] = n as u32 + 1;
    }

    /// Forgets every name, keeping the memory for the next.
    pub(crate) fn clear(&mut self) {
        self.names.clear();
        self.slots.fill(0);
    }

    /// Gives number `i` the name `name` in place of its own (which must not be taken).
    pub(crate) fn rename(&mut self, i: u32, name: &str) {
        self.names[i as usize] = name.into();
        self.renumber();
    }

    /// Forgets number `i`: the names after it move down one, as a `Vec`'s do.
    pub(crate) fn remove(&mut self, i: u32) {
        self.names.remove(i as usize);
        self.renumber();
    }

    /// The table again from the names: for the rare edits, not for reading.
    fn renumber(&mut self) {
        self.slots.fill(0);
        for n in 0..self.names.len() {
            self.place(n);
        }
    }
}

/// The Fx hash (from rustc): one multiply and rotate per word. The names are a file's own,
/// not chosen to collide in any way that matters here, so it replaces `SipHash`, which cost as
/// much per lookup as reading a row.
fn hash(name: &str) -> usize {
    const K: u64 = 0x51_7c_c1_b7_27_22_0a_95;
    let bytes = name.as_bytes();
    let mut h: u64 = 0;
    let mut chunks = bytes.chunks_exact(8);
    for c in &mut chunks {
        let word = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
        h = (h.rotate_left(5) ^ word).wrapping_mul(K);
    }
    for &b in chunks.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    // The high bits are the best mixed; the table takes the low ones.
    (h ^ (h >> 32)) as usize
}

#[cfg(test)]
mod tests {
    use super::Numbering;

    #[test]
    fn numbers_in_order_of_first_sight_and_finds_them_again() {
        let mut n = Numbering::default();
        assert_eq!(n.get("ana"), None);
        let names: Vec<String> = (0..1000).map(|i| format!("person {i}")).collect();
        for (i, name) in names.iter().enumerate() {
            assert_eq!(n.insert(name), (i as u32, true));
        }
        assert_eq!(n.insert("person 7"), (7, false));
        assert_eq!(n.len(), 1000);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(n.get(name), Some(i as u32));
        }
        assert_eq!(n.get("person 1000"), None);
        assert_eq!(n.get(""), None);
        assert_eq!(&*n.names()[999], "person 999");
        n.rename(3, "Person Three");
        assert_eq!((n.get("person 3"), n.get("Person Three")), (None, Some(3)));
        n.remove(1);
        assert_eq!((n.len(), n.get("person 1"), n.get("Person Three"), n.get("person 999")), (999, None, Some(2), Some(998)));
        n.clear();
        assert_eq!((n.len(), n.get("person 7")), (0, None));
        assert_eq!(n.insert("person 7"), (0, true));
    }
}
