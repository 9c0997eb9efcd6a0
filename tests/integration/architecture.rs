//! The tree shows the data flow (DESIGN.md §2): few loose files in `src/`, and no cycle
//! between its top-level modules.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The top-level modules each top-level module of the library uses, from its `crate::`
/// paths outside comments and unit tests (`crate::Name` resolved through `lib.rs`'s
/// re-exports).
fn module_uses() -> BTreeMap<String, BTreeSet<String>> {
    let src = crate::util::root().join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let reexported = reexports(&lib);
    let mut uses: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut files = Vec::new();
    collect_rs(&src, &mut files);
    for file in files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel
            .components()
            .next()
            .unwrap()
            .as_os_str()
            .to_string_lossy();
        let top = top.trim_end_matches(".rs").to_string();
        if ["lib", "main", "cli"].contains(&top.as_str()) {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]\nmod tests").next().unwrap();
        for line in code.lines().filter(|l| !l.trim_start().starts_with("//")) {
            for (i, _) in line.match_indices("crate::") {
                let rest = &line[i + "crate::".len()..];
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                let used = reexported.get(&name).cloned().unwrap_or(name);
                if used != top {
                    uses.entry(top.clone()).or_default().insert(used);
                }
            }
        }
    }
    uses
}

/// Name → the top-level module it is re-exported from, for `pub use module::...` in lib.rs.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for stmt in lib.split("pub use ").skip(1) {
        let stmt = stmt.split(';').next().unwrap();
        let module = stmt.split("::").next().unwrap().trim().to_string();
        let names = stmt.rsplit("::").next().unwrap();
        for name in names
            .split([',', '{', '}', ' ', '\n'])
            .filter(|n| !n.is_empty())
        {
            out.insert(name.to_string(), module.clone());
        }
    }
    out
}

fn collect_rs(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect_rs(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn only_the_crate_root_files_are_loose_in_src() {
    let mut loose: Vec<String> = std::fs::read_dir(crate::util::root().join("src"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    loose.sort();
    assert_eq!(loose, ["error.rs", "lib.rs", "main.rs", "text.rs"]);
}

#[test]
fn top_level_modules_have_no_cycle() {
    let uses = module_uses();
    // the pipeline reads in one direction (jobs at the top, inputs at the bottom)
    assert!(uses["jobs"].contains("table") && uses["table"].contains("inputs"));
    for start in uses.keys() {
        let mut stack = vec![vec![start.clone()]];
        while let Some(path) = stack.pop() {
            let last = path.last().unwrap();
            for next in uses.get(last).into_iter().flatten() {
                assert_ne!(next, start, "module cycle: {} -> {next}", path.join(" -> "));
                if !path.contains(next) {
                    let mut longer = path.clone();
                    longer.push(next.clone());
                    stack.push(longer);
                }
            }
        }
    }
    assert!(
        !uses["inputs"]
            .iter()
            .any(|m| ["stats", "export", "table", "jobs", "index"].contains(&m.as_str())),
        "inputs know nothing of what is done with them: {:?}",
        uses["inputs"]
    );
    assert!(
        !uses["stats"].contains("export"),
        "statistics never depend on how they are drawn"
    );
}
