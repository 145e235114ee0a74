//! `--output FILE.prom` read by a real node_exporter's textfile collector, including while
//! gatecheck rewrites the file (it is replaced atomically, so no scrape sees half of it).

use std::process::Command;

use super::{get, metric, small_copy, tools};

fn write_prom(project: &std::path::Path, file: &std::path::Path) {
    let status = Command::new(assert_cmd::cargo::cargo_bin!("gatecheck"))
        .arg("check")
        .arg(project)
        .args(["--format", "prometheus", "--output"])
        .arg(file)
        .status()
        .expect("run gatecheck");
    assert_eq!(status.code(), Some(1), "the small project fails its gates");
}

#[test]
fn node_exporter_textfile_collector_reads_the_output_file() {
    require_tool!(NodeExporter);
    let project = small_copy();
    let textfiles = tempfile::tempdir().expect("temp dir");
    let file = textfiles.path().join("gatecheck.prom");
    write_prom(project.path(), &file);
    let exporter = tools::node_exporter(textfiles.path());
    // Functions in the file on disk, and in the project (which the rewrite writes).
    let (mut on_disk, mut functions) = (15.0, 15.0);
    for round in 0..4 {
        // The scrape that races the rewrite must see one whole file, old or new.
        let rewrite = {
            let (project, file) = (project.path().to_owned(), file.clone());
            std::thread::spawn(move || write_prom(&project, &file))
        };
        let (status, text) = get(&exporter.url("/metrics"));
        assert_eq!(status, 200);
        assert_eq!(
            metric(&text, "node_textfile_scrape_error"),
            Some(0.0),
            "{text}"
        );
        let seen = metric(&text, "gatecheck_functions{language=\"python\"}")
            .expect("gatecheck's metrics in node_exporter's");
        let rust = metric(&text, "gatecheck_functions{language=\"rust\"}").expect("rust");
        assert!(
            seen + rust == on_disk || seen + rust == functions,
            "round {round}: {seen} + {rust} functions, expected {on_disk} or {functions}"
        );
        assert!(
            text.contains("gatecheck_gate_passed{gate=\"max_complexity\"} 0"),
            "{text}"
        );
        assert!(text.contains("gatecheck_function_cyclomatic_complexity_bucket{"));
        rewrite.join().expect("rewrite");
        on_disk = functions;
        let source = project.path().join(format!("src/added_{round}.py"));
        std::fs::write(source, "def added():\n    return 1\n").expect("add a function");
        functions += 1.0;
    }
    write_prom(project.path(), &file);
    let (_, text) = get(&exporter.url("/metrics"));
    let total = metric(&text, "gatecheck_functions{language=\"python\"}").expect("python")
        + metric(&text, "gatecheck_functions{language=\"rust\"}").expect("rust");
    assert_eq!(total, functions, "the last file written is the one read");
    let leftovers: Vec<_> = std::fs::read_dir(textfiles.path())
        .expect("read dir")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(leftovers, ["gatecheck.prom"], "no temporary file left");
}
