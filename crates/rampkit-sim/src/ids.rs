//! Identifiers the simulated vendors hand out: drawn from the run's seed, so that a run repeated with
//! the same seed (and the same requests in the same order) hands out the same ids.

use std::sync::Mutex;

use crate::progress::lock;

/// One vendor's id generator.
pub struct Ids {
    rng: Mutex<fastrand::Rng>,
}

impl Ids {
    /// A generator for `vendor` in a run seeded with `seed`.
    pub fn new(seed: u64, vendor: &str) -> Self {
        Self {
            rng: Mutex::new(crate::faults::seeded(seed, &[b"ids", vendor.as_bytes()])),
        }
    }

    /// A random lower-case alphanumeric identifier of `len` characters.
    pub fn random(&self, len: usize) -> String {
        const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
        let mut rng = lock(&self.rng);
        (0..len)
            .map(|_| char::from(ALPHABET[rng.usize(..ALPHABET.len())]))
            .collect()
    }
}

impl Ids {
    /// A random version-4 UUID, lower-case hex (`3b2f…-…`).
    pub fn uuid(&self) -> String {
        let mut rng = lock(&self.rng);
        let mut bytes: [u8; 16] = std::array::from_fn(|_| rng.u8(..));
        bytes[6] = (bytes[6] & 0x0f) | 0x40;
        bytes[8] = (bytes[8] & 0x3f) | 0x80;
        let hex = hex::encode(bytes);
        format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_ids() {
        let a = Ids::new(3, "leap");
        let b = Ids::new(3, "leap");
        assert_eq!(a.random(12), b.random(12));
        assert_ne!(
            Ids::new(3, "leap").random(12),
            Ids::new(4, "leap").random(12)
        );
        assert_ne!(
            Ids::new(3, "leap").random(12),
            Ids::new(3, "sumsub").random(12)
        );
        assert!(a.random(28).bytes().all(|c| c.is_ascii_alphanumeric()));
        let uuid = a.uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4", "{uuid}");
    }
}
