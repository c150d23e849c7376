//! The document as a whole: the vendor API version, the API's title and description, and the servers
//! (keyed by environment and host).

use std::collections::BTreeMap;

use serde_json::Value;

use crate::diff::engine::differ::Differ;
use crate::diff::engine::node::text;

impl<'a> Differ<'a> {
    pub(super) fn document(&mut self) {
        let (old, new) = (self.old, self.new);
        let (ov, nv) = (
            text(old.pointer("/info/version")),
            text(new.pointer("/info/version")),
        );
        if ov != nv {
            self.push(
                "api-info-version-changed",
                "#/info/version".into(),
                format!(
                    "The vendor API version changed from `{}` to `{}`.",
                    ov.unwrap_or_default(),
                    nv.unwrap_or_default()
                ),
            );
        }
        for key in ["description", "title"] {
            if old.pointer(&format!("/info/{key}")) != new.pointer(&format!("/info/{key}")) {
                self.push(
                    "description-changed",
                    format!("#/info/{key}"),
                    format!("The API {key} changed."),
                );
            }
        }
        // Servers, keyed by environment and host.
        let servers = |doc: &'a Value| -> BTreeMap<(String, String), (usize, &'a Value)> {
            doc.get("servers")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, s)| {
                    let env = text(s.get("x-environment")).unwrap_or("default").to_owned();
                    let host = text(s.get("x-host")).unwrap_or("").to_owned();
                    ((env, host), (i, s))
                })
                .collect()
        };
        let (os, ns) = (servers(old), servers(new));
        let name = |(env, host): &(String, String)| {
            if host.is_empty() {
                format!("{env} server")
            } else {
                format!("{env} server of the `{host}` host")
            }
        };
        for (key, (i, o)) in &os {
            match ns.get(key) {
                None => self.push(
                    "api-server-removed",
                    format!("#/servers/{i}"),
                    format!(
                        "The {} (`{}`) was removed.",
                        name(key),
                        text(o.get("url")).unwrap_or_default()
                    ),
                ),
                Some((j, n)) => {
                    if o.get("url") != n.get("url") {
                        self.push(
                            "api-server-url-changed",
                            format!("#/servers/{j}/url"),
                            format!(
                                "The {} moved from `{}` to `{}`.",
                                name(key),
                                text(o.get("url")).unwrap_or_default(),
                                text(n.get("url")).unwrap_or_default()
                            ),
                        );
                    }
                    if o.get("description") != n.get("description") {
                        self.push(
                            "description-changed",
                            format!("#/servers/{j}/description"),
                            format!("The description of the {} changed.", name(key)),
                        );
                    }
                }
            }
        }
        for (key, (j, n)) in &ns {
            if !os.contains_key(key) {
                self.push(
                    "api-server-added",
                    format!("#/servers/{j}"),
                    format!(
                        "A {} was added (`{}`).",
                        name(key),
                        text(n.get("url")).unwrap_or_default()
                    ),
                );
            }
        }
    }
}
