//! `gatecheck init`: writes the default configuration, never over an existing file unless
//! `--force` is given.

use std::io::ErrorKind;

use anyhow::{Context, bail};

use super::{Exit, InitArgs};
use gatecheck::atomic_file;
use gatecheck::config::template;

pub(super) fn run(args: &InitArgs) -> anyhow::Result<Exit> {
    let text = template::render();
    let path = if args.path.is_dir() {
        args.path.join("gatecheck.toml")
    } else {
        args.path.clone()
    };
    let written = if args.force {
        atomic_file::write(&path, text.as_bytes())
    } else {
        atomic_file::create_new(&path, text.as_bytes())
    };
    match written {
        Ok(()) => {
            #[expect(clippy::print_stderr, reason = "the command's one line of output")]
            {
                eprintln!("wrote {} with the default gates", path.display());
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
