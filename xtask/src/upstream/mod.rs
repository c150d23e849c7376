//! `cargo xtask upstream`: our spec against what the vendor publishes, seen from our client.
//!
//! - `--vendor FILE…`: the vendor's own OpenAPI files (JSON or YAML; OpenAPI 3.x, or Swagger 2.0
//!   converted by [`swagger2`]; `info.version` not required). Operations match by method and path with
//!   parameter names blanked; each pair goes through `xtask diff`'s engine with our spec as the old
//!   side, so items carry `diff`'s rule ids and levels ([`rules`] adds the few only this comparison
//!   can see). Also reported: vendor operations neither in the spec nor excluded, exclusions whose
//!   `claim` a file contradicts, and operations the file our `x-source` cites no longer has.
//! - `--vendor-page FILE…`: a saved reference page; its JSON examples checked against our schemas with
//!   a JSON Schema validator ([`schema`], [`examples`]), independent of the generated types.
//!
//! Deliberate projections (specs/CONVENTIONS.md) are counted, not reported ([`normalize`]); an
//! `x-upstream-differs: <reason>` on a spec element silences the items about it ([`locate`]), and the
//! report lists them with the reason. docs/vendor-watch.md says how to run it on a schedule.
//!
//! Modules: [`load`] and [`swagger2`] read vendor files, [`exclusions`] the exclusion lists,
//! [`normalize`] and [`pair`] bring both sides to common ground, [`compare`] matches and collects,
//! [`locate`] maps items back to our spec, [`page`] reads pages, [`examples`] and [`schema`] validate,
//! [`item`] and [`report`] hold and render the result, [`command`] is the CLI.

pub mod command;
mod compare;
pub mod examples;
mod exclusions;
mod item;
mod load;
mod locate;
mod normalize;
mod page;
mod pair;
mod report;
mod rules;
mod schema;
mod swagger2;

#[cfg(test)]
mod tests;
