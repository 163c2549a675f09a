//! The interactive shell on a terminal: rustyline with the graph's helper, a prompt, and
//! history kept in a file that is checked before it is read and saved atomically.

use super::error::ShellError;
use super::{Broken, Ended, Flow, Session, helper};
use anstyle::{AnsiColor, Style};
use std::io;
use std::path::{Path, PathBuf};

/// Lines longer than this are not kept in history (no query may be longer than 4 KiB anyway).
pub const MAX_HISTORY_ENTRY_BYTES: usize = 64 * 1024;

/// The largest history file that is read: room for the 1,000 entries kept, each at the
/// longest kept, escaped. A larger file is left alone (neither read nor replaced).
pub const MAX_HISTORY_FILE_BYTES: u64 = 128 << 20;

/// Where history is kept: `$BONEGRAPH_HISTORY`, else `$XDG_DATA_HOME/bonegraph/history`,
/// else `~/.local/share/bonegraph/history`.
pub fn history_path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BONEGRAPH_HISTORY") {
        return Some(PathBuf::from(p));
    }
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("bonegraph").join("history"))
}

/// Whether history can be kept at `path`: `Ok(true)` if the file exists and can be read,
/// `Ok(false)` if it does not exist yet, and why not otherwise (a warning to show; `None` to
/// turn history off without one, for a character device such as `/dev/null`).
pub fn check_history_file(path: &Path) -> Result<bool, Option<ShellError>> {
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(source) => {
            return Err(Some(ShellError::HistoryUnreadable {
                path: path.to_owned(),
                source,
            }));
        }
    };
    if meta.is_file() {
        if meta.len() > MAX_HISTORY_FILE_BYTES {
            return Err(Some(ShellError::HistoryTooLarge {
                path: path.to_owned(),
                size: meta.len(),
                max: MAX_HISTORY_FILE_BYTES,
            }));
        }
        return Ok(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        // `BONEGRAPH_HISTORY=/dev/null` is how history is turned off.
        if meta.file_type().is_char_device() {
            return Err(None);
        }
    }
    Err(Some(ShellError::HistoryNotAFile(path.to_owned())))
}

type Editor = rustyline::Editor<helper::ReplHelper, rustyline::history::DefaultHistory>;

/// The prompt's style, when the terminal takes colour.
const PROMPT: Style = Style::new()
    .bold()
    .fg_color(Some(anstyle::Color::Ansi(AnsiColor::Green)));

/// Runs the interactive shell on the terminal; `color` colours the prompt and highlights the
/// line (errors are coloured as the session was told). A session made
/// [`cancellable`](Session::cancellable) lets a SIGINT handler stop the running query (at the
/// prompt, Ctrl-C is the line editor's, and cancels the line).
pub fn run(session: Session<io::Stdout, io::Stderr>, color: bool) -> Ended {
    // Only answers shown on the terminal are paged, not those written to a file.
    let pager = io::IsTerminal::is_terminal(&io::stdout())
        .then(super::pager::command_from_env)
        .flatten();
    let mut session = session.interactive().paged(pager);
    let broken = interact(&mut session, color).err();
    Ended {
        failures: session.failures,
        broken,
    }
}

fn interact(session: &mut Session<io::Stdout, io::Stderr>, color: bool) -> Result<(), Broken> {
    use rustyline::error::ReadlineError;
    let config = rustyline::Config::builder()
        .auto_add_history(false)
        .max_history_size(1000)
        .map_err(|e| Broken::Input(io::Error::other(e)))?
        .completion_type(rustyline::CompletionType::List)
        .build();
    let mut rl: Editor =
        rustyline::Editor::with_config(config).map_err(|e| Broken::Input(io::Error::other(e)))?;
    rl.set_helper(Some(helper::ReplHelper::new(
        session.graph().clone(),
        color,
    )));
    let mut history = history_path();
    if let Some(h) = history.clone() {
        match check_history_file(&h) {
            Ok(true) => {
                let _ = rl.load_history(&h);
            }
            Ok(false) => {}
            Err(warning) => {
                history = None;
                if let Some(w) = warning {
                    session.error(&w)?;
                }
            }
        }
    }
    session.print_banner()?;
    let mut generation = session.generation();
    let (prompt, more) = if color {
        (
            format!("{PROMPT}bonegraph>{PROMPT:#} "),
            format!("{PROMPT}       ...>{PROMPT:#} "),
        )
    } else {
        ("bonegraph> ".to_owned(), "       ...> ".to_owned())
    };
    // A statement left open (an unclosed parenthesis or quote) goes on on the next line,
    // under a continuation prompt, until it closes; Ctrl-C drops it, Ctrl-D runs it.
    let mut pending = String::new();
    loop {
        let read = rl.readline(if pending.is_empty() { &prompt } else { &more });
        let ended = matches!(read, Err(ReadlineError::Eof));
        let read = match read {
            Ok(line) if !pending.is_empty() => {
                pending.push(' ');
                pending.push_str(&line);
                Ok(std::mem::take(&mut pending))
            }
            Err(ReadlineError::Eof) if !pending.is_empty() => Ok(std::mem::take(&mut pending)),
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                continue;
            }
            other => other,
        };
        if let Ok(line) = &read
            && !ended
            && !helper::ReplHelper::is_complete(line)
            && line.len() <= MAX_HISTORY_ENTRY_BYTES
        {
            pending = line.clone();
            continue;
        }
        match read {
            Ok(line) => {
                // Huge pastes are answered (with an error) but not kept: history stays small.
                if !line.trim().is_empty() && line.len() <= MAX_HISTORY_ENTRY_BYTES {
                    let _ = rl.add_history_entry(line.as_str());
                    if let Some(h) = &history
                        && let Err(warning) = save_history(&mut rl, h)
                    {
                        // Said once; the session goes on without saving.
                        history = None;
                        session.error(&warning)?;
                    }
                }
                session.set_size(
                    rl.dimensions()
                        .map(|(columns, rows)| (columns as usize, rows as usize)),
                );
                let (flow, _) = session.handle(&line)?;
                if session.generation() != generation {
                    generation = session.generation();
                    rl.set_helper(Some(helper::ReplHelper::new(
                        session.graph().clone(),
                        color,
                    )));
                }
                if flow == Flow::Quit || ended {
                    return Ok(());
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => return Ok(()),
            Err(ReadlineError::Io(e)) => return Err(Broken::Input(e)),
            Err(e) => return Err(Broken::Input(io::Error::other(e))),
        }
    }
}

/// Saves history atomically (through a symlink, keeping the file's permissions), so a crash
/// or a signal mid-write never loses the previous file or leaves a temporary behind.
fn save_history(rl: &mut Editor, path: &Path) -> Result<(), ShellError> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        let _ = std::fs::create_dir_all(dir);
    }
    crate::fsutil::write_atomic_with(path, |_, tmp| {
        rl.save_history(tmp).map_err(io::Error::other)?;
        // The editor writes nothing when it has nothing new: then the file stays as it is.
        Ok(std::fs::metadata(tmp)?.len() > 0)
    })
    .map_err(ShellError::HistoryNotSaved)
}
