//! The pager for answers longer than the screen: `$PAGER`, else `less`, run through the
//! shell so that `PAGER="less -S"` works, with `LESS=FRX` when `LESS` is unset (quit if the
//! text fits, keep colours, leave the text on the screen), as git does. Only an interactive
//! session pages, and `:pager off` stops it.

use std::io::{self, Write};
use std::process::{Command, Stdio};

/// The pager to run: `$PAGER` if set (`PAGER=` or `PAGER=cat` means none), else `less`.
pub fn command_from_env() -> Option<String> {
    match std::env::var("PAGER") {
        Ok(p) if p.trim().is_empty() || p.trim() == "cat" => None,
        Ok(p) => Some(p),
        Err(_) => Some("less".to_owned()),
    }
}

/// How many rows `text` takes on a screen `width` columns wide (a longer line wraps).
pub fn rows(text: &str, width: Option<usize>) -> usize {
    text.lines()
        .map(|line| match width {
            Some(w) if w > 0 => line.chars().count().div_ceil(w).max(1),
            _ => 1,
        })
        .sum()
}

/// Shows `text` through `command`. `Ok(false)` if the pager could not be started (the caller
/// prints the text itself); a pager the user quits early (closing its input) is not an error.
pub fn page(command: &str, text: &str) -> io::Result<bool> {
    let mut cmd = if cfg!(unix) {
        let mut c = Command::new("sh");
        c.arg("-c").arg(command);
        c
    } else {
        Command::new(command)
    };
    if std::env::var_os("LESS").is_none() {
        cmd.env("LESS", "FRX");
    }
    let Ok(mut child) = cmd.stdin(Stdio::piped()).spawn() else {
        return Ok(false);
    };
    if let Some(mut stdin) = child.stdin.take() {
        match stdin.write_all(text.as_bytes()) {
            Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
                let _ = child.wait();
                return Err(e);
            }
            _ => {}
        }
    }
    let status = child.wait()?;
    // `sh -c` says 127 when the pager's program is missing: the text has not been shown.
    Ok(status.code() != Some(127))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_count_wrapped_lines() {
        assert_eq!(rows("a\nb\n", None), 2);
        assert_eq!(rows(&"x".repeat(25), Some(10)), 3);
        assert_eq!(rows("\n\n", Some(10)), 2);
    }

    #[cfg(unix)]
    #[test]
    fn a_missing_pager_is_reported_so_the_text_is_printed_instead() {
        assert!(!page("no-such-pager-anywhere-xyz", "text\n").unwrap());
    }

    #[cfg(unix)]
    #[test]
    fn the_pager_receives_the_text() {
        let dir = std::env::temp_dir().join(format!("bonegraph-pager-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("paged.txt");
        assert!(page(&format!("cat > '{}'", file.display()), "one\ntwo\n").unwrap());
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "one\ntwo\n");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
