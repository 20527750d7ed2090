//! The README and rustdoc examples of every committed generated crate (from
//! `spec/` and the fixtures) compile: each README's `rust` code blocks are
//! extracted here and counted, and `cargo test --doc` compiles (and runs)
//! them, as each crate's `lib.rs` includes its README as doctests.

use std::path::{Path, PathBuf};
use std::process::Command;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag, TagEnd};

/// The committed generated crates: `generated/*` and `tests/expected/*/*`.
fn generated_crates() -> Vec<PathBuf> {
    let root = apiforge_tests::root();
    let mut dirs = vec![root.join("generated")];
    for entry in std::fs::read_dir(root.join("tests/expected")).expect("tests/expected") {
        dirs.push(entry.expect("entry").path());
    }
    let mut crates: Vec<PathBuf> = dirs
        .iter()
        .flat_map(|dir| std::fs::read_dir(dir).expect("a directory of crates"))
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.join("Cargo.toml").is_file())
        .collect();
    crates.sort();
    crates
}

/// The `rust` code blocks of a README, as rustdoc and GitHub read them.
fn rust_blocks(readme: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for event in Parser::new(readme) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) if &*info == "rust" => {
                current = Some(String::new())
            }
            Event::Text(text) => {
                if let Some(block) = &mut current {
                    block.push_str(&text);
                }
            }
            Event::End(TagEnd::CodeBlock) => blocks.extend(current.take()),
            _ => {}
        }
    }
    blocks
}

fn package_name(dir: &Path) -> String {
    dir.file_name()
        .expect("a crate directory")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn every_readme_example_is_a_compiled_doctest() {
    let crates = generated_crates();
    assert!(crates.len() >= 12, "{crates:?}");
    let mut expected = Vec::new();
    for dir in &crates {
        let readme = std::fs::read_to_string(dir.join("README.md")).expect("README.md");
        let lib = std::fs::read_to_string(dir.join("src/lib.rs")).expect("src/lib.rs");
        assert!(
            lib.contains("#[cfg(doctest)]\n#[doc = include_str!(\"../README.md\")]"),
            "{}: the README is not included as doctests",
            dir.display()
        );
        let blocks = rust_blocks(&readme);
        assert!(
            !blocks.is_empty(),
            "{}: no usage example in\n{readme}",
            dir.display()
        );
        expected.push((package_name(dir), blocks.len()));
    }

    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command
        .args(["test", "--doc", "--offline"])
        .current_dir(apiforge_tests::root())
        // Beside the outer build, which holds the workspace's target dir.
        .env(
            "CARGO_TARGET_DIR",
            apiforge_tests::root().join("target/hostile-docs"),
        )
        .env_remove("RUSTFLAGS");
    for (package, _) in &expected {
        command.args(["-p", package]);
    }
    let output = command.output().expect("cargo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for (package, blocks) in &expected {
        // rustdoc names a doctest by its file's path from the workspace.
        let name = format!("/{package}/src/lib.rs - ReadmeExamples (line ");
        let passed = stdout
            .lines()
            .filter(|line| line.starts_with("test ") && line.contains(&name))
            .filter(|line| line.ends_with(" ... ok"))
            .count();
        assert_eq!(passed, *blocks, "{package}:\n{stdout}");
    }
}
