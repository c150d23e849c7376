//! Proof pairs of the diff's rule table: for each rule, a spec edit of the toy provider and a consumer
//! written against the crate generated before the edit, which must compile against the crate generated
//! after it exactly when the rule's Rust judgment is not breaking.

pub mod toy;
