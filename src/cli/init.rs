//! `gatecheck init`: writes the default configuration, never over an existing file unless
//! `--force` is given.

use std::io::ErrorKind;
use std::path::Path;

use anyhow::{Context, bail};

use super::{Exit, InitArgs};
use gatecheck::atomic_file;
use gatecheck::config::Config;
use gatecheck::config::template;

pub(super) fn run(args: &InitArgs) -> anyhow::Result<Exit> {
    let text = template::render();
    let path = if args.path.is_dir() {
        args.path.join("gatecheck.toml")
    } else {
        args.path.clone()
    };
    if !args.force
        && let Some(existing) = existing_table(path.parent().unwrap_or(Path::new(".")))
    {
        bail!(
            "{existing} already holds a gatecheck configuration, and a gatecheck.toml beside it \
             would take precedence and shadow it silently; edit that one, or use --force to \
             write {} anyway",
            path.display()
        );
    }
    let written = if args.force {
        atomic_file::write(&path, text.as_bytes())
    } else {
        atomic_file::create_new(&path, text.as_bytes())
    };
    match written {
        Ok(()) => {
            {
                gatecheck::note!("wrote {} with the default gates", path.display());
            }
            Ok(Exit::Passed)
        }
        Err(e) if e.kind() == ErrorKind::AlreadyExists => {
            bail!(
                "{} already exists; use --force to overwrite it",
                path.display()
            )
        }
        Err(e) => Err(e).with_context(|| format!("writing {}", path.display())),
    }
}

/// The manifest of `dir` that already has a gatecheck table (`[tool.gatecheck]` in
/// pyproject.toml, `[package.metadata.gatecheck]` or `[workspace.metadata.gatecheck]` in
/// Cargo.toml), named with its table.
fn existing_table(dir: &Path) -> Option<String> {
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    [
        ("pyproject.toml", "[tool.gatecheck]"),
        ("Cargo.toml", "[package.metadata.gatecheck]"),
    ]
    .into_iter()
    .map(|(name, table)| (dir.join(name), table))
    .find(|(file, _)| file.is_file() && Config::load(file).is_ok())
    .map(|(file, table)| format!("{} ({table})", file.display()))
}
