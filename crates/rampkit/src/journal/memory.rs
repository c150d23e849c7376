//! [`MemoryJournal`]: a journal held in this process's memory.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use super::{Claim, Journal, JournalEntry, JournalError};
use crate::onboarding::BoxFuture;
use crate::providers::Provider;

/// A [`Journal`] in this process's memory: what an [`Onboarder`](crate::batch::Onboarder) needs when
/// nothing has to outlive the process — one customer onboarded from a command line, a test, a tool.
///
/// Within the process it is a journal like the others: claims exclude two tasks onboarding the same
/// customer at once, an intent is recorded before each registration, and a vendor's "already exists"
/// is resolved by looking the customer up. What it cannot do is remember across processes: a service
/// with replicas, or a batch that must resume after a crash, uses [`SqliteJournal`](crate::SqliteJournal)
/// or [`PostgresJournal`](crate::PostgresJournal).
///
/// ```
/// use rampkit::{Journal, MemoryJournal};
///
/// let journal = MemoryJournal::new();
/// journal.open_batch("one-off")?;
/// assert_eq!(journal.batch_id()?.as_deref(), Some("one-off"));
/// assert!(journal.open_batch("another").is_err());
/// # Ok::<(), rampkit::JournalError>(())
/// ```
#[derive(Debug, Default)]
pub struct MemoryJournal {
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    batch_id: Option<String>,
    entries: Vec<JournalEntry>,
    /// Per customer × provider: the holder and when its lease runs out.
    claims: HashMap<(String, Provider), (String, Instant)>,
}

impl MemoryJournal {
    /// An empty journal.
    pub fn new() -> Self {
        Self::default()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        // A panic while holding the lock leaves whole values behind (each change is one push or insert).
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

impl Journal for MemoryJournal {
    fn open_batch(&self, batch_id: &str) -> Result<(), JournalError> {
        let mut state = self.lock();
        match &state.batch_id {
            Some(journal) if journal != batch_id => Err(JournalError::OtherBatch {
                journal: journal.clone(),
                requested: batch_id.to_owned(),
            }),
            Some(_) => Ok(()),
            None => {
                state.batch_id = Some(batch_id.to_owned());
                Ok(())
            }
        }
    }

    fn batch_id(&self) -> Result<Option<String>, JournalError> {
        Ok(self.lock().batch_id.clone())
    }

    fn append(&self, entry: &JournalEntry) -> Result<(), JournalError> {
        self.lock().entries.push(entry.clone());
        Ok(())
    }

    fn entries(&self) -> Result<Vec<JournalEntry>, JournalError> {
        Ok(self.lock().entries.clone())
    }

    fn entries_of(
        &self,
        customer: &str,
        provider: Provider,
    ) -> BoxFuture<'_, Result<Vec<JournalEntry>, JournalError>> {
        let found = self
            .lock()
            .entries
            .iter()
            .filter(|e| e.customer == customer && e.provider == provider)
            .cloned()
            .collect();
        Box::pin(async move { Ok(found) })
    }

    fn claim(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
        lease: Duration,
    ) -> BoxFuture<'_, Result<Claim, JournalError>> {
        let now = Instant::now();
        let until = now
            .checked_add(lease)
            .unwrap_or(now + Duration::from_secs(86_400 * 365));
        let mut state = self.lock();
        let key = (customer.to_owned(), provider);
        let claim = match state.claims.get(&key) {
            Some((holder, expires)) if holder != owner && *expires > now => Claim::Held {
                expires_in: *expires - now,
            },
            _ => {
                state.claims.insert(key, (owner.to_owned(), until));
                Claim::Granted
            }
        };
        Box::pin(async move { Ok(claim) })
    }

    fn release(
        &self,
        customer: &str,
        provider: Provider,
        owner: &str,
    ) -> BoxFuture<'_, Result<(), JournalError>> {
        let mut state = self.lock();
        let key = (customer.to_owned(), provider);
        if state
            .claims
            .get(&key)
            .is_some_and(|(holder, _)| holder == owner)
        {
            state.claims.remove(&key);
        }
        Box::pin(async move { Ok(()) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::journal::{Phase, Step};

    fn block<T>(future: BoxFuture<'_, T>) -> T {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a runtime")
            .block_on(future)
    }

    #[test]
    fn one_owner_holds_a_pair_until_it_releases_or_its_lease_runs_out() {
        let journal = MemoryJournal::new();
        let long = Duration::from_secs(60);
        let claim = |owner: &str, lease| block(journal.claim("c1", Provider::Leap, owner, lease));
        assert_eq!(claim("a", long).unwrap(), Claim::Granted);
        assert_eq!(claim("a", long).unwrap(), Claim::Granted, "a renewal");
        assert!(matches!(claim("b", long).unwrap(), Claim::Held { .. }));
        // Another pair is free.
        assert_eq!(
            block(journal.claim("c1", Provider::Crossmint, "b", long)).unwrap(),
            Claim::Granted
        );
        // A release by another owner does nothing; by the holder, frees the pair.
        block(journal.release("c1", Provider::Leap, "b")).unwrap();
        assert!(matches!(claim("b", long).unwrap(), Claim::Held { .. }));
        block(journal.release("c1", Provider::Leap, "a")).unwrap();
        assert_eq!(claim("b", Duration::ZERO).unwrap(), Claim::Granted);
        // b's lease has run out: a takes the pair over.
        assert_eq!(claim("a", long).unwrap(), Claim::Granted);
    }

    #[test]
    fn entries_come_back_in_order_per_pair() {
        let journal = MemoryJournal::new();
        for (customer, provider, step) in [
            ("c1", Provider::Leap, Step::Register),
            ("c2", Provider::Leap, Step::Register),
            ("c1", Provider::Leap, Step::StartVerification),
            ("c1", Provider::Crossmint, Step::Register),
        ] {
            journal
                .append(&JournalEntry::now(customer, provider, step, Phase::Intent))
                .unwrap();
        }
        let steps: Vec<Step> = block(journal.entries_of("c1", Provider::Leap))
            .unwrap()
            .into_iter()
            .map(|e| e.step)
            .collect();
        assert_eq!(steps, [Step::Register, Step::StartVerification]);
        assert_eq!(journal.entries().unwrap().len(), 4);
    }
}
