//! The `generator` binary: exit codes, messages that point at the input,
//! nothing written on failure, and `--check`.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_generator"))
        .args(args)
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn write_spec(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const MINIMAL: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n";

/// Runs the generator on `text` and returns its stderr with the temporary
/// directory replaced by `<dir>`, asserting it failed and wrote nothing.
fn failure(name: &str, text: &str) -> String {
    failure_with(name, text, &["--crate-name", "x"])
}

/// [`failure`], with `options` after `--spec` and `--out`.
fn failure_with(name: &str, text: &str, options: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let spec = write_spec(dir.path(), name, text);
    let out = dir.path().join("out");
    let mut args = vec![
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(options);
    let output = run(&args);
    assert!(!output.status.success(), "expected failure for {name}");
    assert_eq!(output.status.code(), Some(1));
    assert!(
        !out.exists(),
        "output directory created despite the failure"
    );
    let text = stderr(&output);
    assert!(!text.contains("panicked"), "{text}");
    text.replace(&dir.path().display().to_string(), "<dir>")
}

#[test]
fn invalid_yaml_names_file_line_and_column() {
    let message = failure("bad.yaml", "openapi: 3.0.3\ninfo:\n  title: [unclosed\n");
    insta::assert_snapshot!(message);
    assert!(message.contains("<dir>/bad.yaml:"), "{message}");
}

#[test]
fn invalid_json_names_file_line_and_column() {
    let message = failure("bad.json", "{\"openapi\": \"3.0.3\",\n \"info\": }");
    assert!(message.contains("<dir>/bad.json:2:"), "{message}");
}

#[test]
fn broken_ref_names_the_pointer() {
    let message = failure(
        "ref.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      properties:\n        b: {$ref: '#/components/schemas/Missing'}\n",
    );
    insta::assert_snapshot!(message);
    assert!(
        message.contains("#/components/schemas/A/properties/b"),
        "{message}"
    );
}

#[test]
fn unsupported_versions_are_named() {
    let message = failure(
        "v2.yaml",
        "openapi: 2.5.0\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    assert!(
        message.contains("unsupported OpenAPI version `2.5.0`"),
        "{message}"
    );
    let message = failure(
        "swagger.yaml",
        "swagger: '1.2'\ninfo: {title: T, version: '1'}\npaths: {}\n",
    );
    assert!(message.contains("Swagger version `1.2`"), "{message}");
    let message = failure("none.yaml", "info: {title: T, version: '1'}\n");
    assert!(message.contains("missing `openapi`"), "{message}");
}

#[test]
fn structural_errors_name_the_pointer() {
    let message = failure(
        "shape.yaml",
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n      responses: 7\n",
    );
    assert!(message.contains("#/paths/~1a/get"), "{message}");
}

#[test]
fn invalid_crate_name_is_rejected() {
    let message = failure_with("ok.yaml", MINIMAL, &["--crate-name", "bad name\"]"]);
    assert!(message.contains("invalid crate name"), "{message}");
}

#[test]
fn tag_features_in_a_module_file_are_refused() {
    let message = failure_with("ok.yaml", MINIMAL, &["--module", "--tag-features"]);
    assert!(
        message.contains("tag features need the crate layout"),
        "{message}"
    );
}

#[test]
fn writes_only_into_out_and_check_reports_drift() {
    let dir = tempfile::tempdir().unwrap();
    let spec = write_spec(dir.path(), "ok.yaml", MINIMAL);
    let out = dir.path().join("out");
    let args = [
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "ok",
    ];
    assert!(run(&args).status.success());
    let mut entries: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    entries.sort();
    assert_eq!(entries, ["ok.yaml", "out"]);
    assert!(out.join("Cargo.toml").exists() && out.join("src/lib.rs").exists());

    let check = [&args[..], &["--check"]].concat();
    assert!(
        run(&check).status.success(),
        "fresh output must pass --check"
    );

    std::fs::write(out.join("src/types.rs"), "// edited\n").unwrap();
    std::fs::write(
        out.join("src/stale.rs"),
        "// @generated by `generator --spec old.yaml`.\n// Do not edit by hand: change the spec or the generator and regenerate.\n",
    )
    .unwrap();
    // Other tools' generated files are not ours: Cargo's lock file says
    // "@generated" too.
    let lock = "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\nversion = 4\n";
    std::fs::write(out.join("Cargo.lock"), lock).unwrap();
    std::fs::write(out.join("src/other.rs"), "// @generated by another tool\n").unwrap();
    std::fs::write(out.join("src/mine.rs"), "// hand-written\n").unwrap();
    let output = run(&check);
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("differs: src/types.rs"), "{message}");
    assert!(
        message.contains("should not exist: src/stale.rs"),
        "{message}"
    );
    assert!(!message.contains("mine.rs"), "{message}");
    assert!(!message.contains("Cargo.lock"), "{message}");
    assert!(!message.contains("other.rs"), "{message}");
    assert_eq!(
        std::fs::read_to_string(out.join("src/types.rs")).unwrap(),
        "// edited\n",
        "--check must not write"
    );

    // Writing again repairs the edit and removes the orphan, not the
    // hand-written file.
    assert!(run(&args).status.success());
    assert!(run(&check).status.success());
    assert!(!out.join("src/stale.rs").exists());
    assert!(out.join("src/mine.rs").exists());
    assert!(out.join("src/other.rs").exists());
    assert_eq!(
        std::fs::read_to_string(out.join("Cargo.lock")).unwrap(),
        lock
    );

    // A checkout with CRLF line endings is current for `--check`, and
    // `write` leaves it alone: both compare the same way.
    let types = out.join("src/types.rs");
    let crlf = std::fs::read_to_string(&types)
        .unwrap()
        .replace('\n', "\r\n");
    std::fs::write(&types, &crlf).unwrap();
    assert!(run(&check).status.success());
    let output = run(&args);
    assert!(
        stderr(&output).contains(" 0 files written"),
        "{}",
        stderr(&output)
    );
    assert_eq!(std::fs::read_to_string(&types).unwrap(), crlf);
}

/// The output does not depend on the current directory, on `--out`, or on
/// how the spec path was typed.
#[test]
fn output_does_not_depend_on_paths() {
    let dir = tempfile::tempdir().unwrap();
    let nested = dir.path().join("specs");
    std::fs::create_dir_all(&nested).unwrap();
    write_spec(&nested, "api.yaml", MINIMAL);
    let generate = |cwd: &Path, spec: &str, out: &Path| {
        let output = Command::new(env!("CARGO_BIN_EXE_generator"))
            .args([
                "--spec",
                spec,
                "--out",
                out.to_str().unwrap(),
                "--crate-name",
                "same",
            ])
            .current_dir(cwd)
            .output()
            .unwrap();
        assert!(output.status.success(), "{}", stderr(&output));
    };
    let out1 = dir.path().join("out1");
    let out2 = dir.path().join("deeper/out2");
    generate(dir.path(), "specs/api.yaml", &out1);
    generate(&nested, "./api.yaml", &out2);
    let read_tree = |out: &Path| {
        [
            "Cargo.toml",
            "src/lib.rs",
            "src/types.rs",
            "src/client.rs",
            "src/operations.rs",
        ]
        .map(|file| std::fs::read_to_string(out.join(file)).unwrap())
    };
    assert_eq!(read_tree(&out1), read_tree(&out2));
    // And `--check` from elsewhere, with the path spelled differently,
    // finds nothing to do.
    let output = Command::new(env!("CARGO_BIN_EXE_generator"))
        .args([
            "--spec",
            "../specs/./api.yaml",
            "--out",
            out1.to_str().unwrap(),
            "--crate-name",
            "same",
            "--check",
        ])
        .current_dir(dir.path().join("deeper"))
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
}

#[test]
fn two_runs_give_identical_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec/invent.yaml");
    let mut trees = Vec::new();
    let out = dir.path().join("out");
    for _ in 0..2 {
        let _ = std::fs::remove_dir_all(&out);
        let output = run(&[
            "--spec",
            spec.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--crate-name",
            "same",
        ]);
        assert!(output.status.success(), "{}", stderr(&output));
        let mut files = Vec::new();
        for name in [
            "Cargo.toml",
            "src/lib.rs",
            "src/types.rs",
            "src/client.rs",
            "src/operations.rs",
            "src/runtime.rs",
            "examples/create_assistant.rs",
        ] {
            files.push(std::fs::read(out.join(name)).unwrap());
        }
        trees.push(files);
    }
    assert!(trees[0] == trees[1], "two runs differ");
}

#[test]
fn json_semantic_errors_show_the_line() {
    let message = failure(
        "api.json",
        "{\n  \"openapi\": \"3.0.3\",\n  \"info\": {\"title\": \"T\", \"version\": \"1\"},\n  \"paths\": {},\n  \"components\": {\"schemas\": {\n    \"A\": {\"$ref\": \"#/components/schemas/B\"},\n    \"B\": {\"$ref\": \"#/components/schemas/A\"}\n  }}\n}\n",
    );
    insta::assert_snapshot!(message);
    assert!(message.contains("<dir>/api.json:6:5"), "{message}");
}

/// Warnings that differ only in what they name are shown once, with a
/// count and the first few other places; `--verbose` shows each; a summary
/// line ends every run; `--quiet` prints nothing.
#[test]
fn warnings_are_grouped_and_summarised() {
    let dir = tempfile::tempdir().unwrap();
    let mut spec = String::from(
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n",
    );
    for i in 0..6 {
        spec.push_str(&format!(
            "    S{i}:\n      type: object\n      required: [missing{i}]\n      properties:\n        a: {{type: string}}\n"
        ));
    }
    let path = write_spec(dir.path(), "warn.yaml", &spec);
    let out = dir.path().join("out");
    let args = [
        "--spec",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--crate-name",
        "w",
    ];
    let output = run(&args);
    assert!(output.status.success());
    let text = stderr(&output).replace(&dir.path().display().to_string(), "<dir>");
    let summary = text.lines().last().unwrap().to_owned();
    let text = text.replace(&summary, "<summary>");
    insta::assert_snapshot!(text);
    assert!(
        summary.contains("6 types, 0 operations; 6 files written, 0 unchanged; 6 warnings"),
        "{summary}"
    );

    let verbose = stderr(&run(&[&args[..], &["--verbose"]].concat()));
    assert_eq!(verbose.matches("warning: ").count(), 6, "{verbose}");
    let quiet = run(&[&args[..], &["--quiet"]].concat());
    assert!(quiet.status.success());
    assert!(stderr(&quiet).is_empty(), "{}", stderr(&quiet));
}
