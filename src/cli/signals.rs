//! SIGINT, SIGTERM and SIGHUP. In the interactive shell SIGINT stops the running query (at
//! the prompt the line editor takes Ctrl-C itself); otherwise each one deletes the
//! temporaries of any file being written, stops Graphviz, and ends the process as the signal
//! would have, so that the shell that started it sees why.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// In the interactive shell, the flag SIGINT sets to stop the running query.
static SHELL_CANCEL: OnceLock<Arc<AtomicBool>> = OnceLock::new();

/// From now on SIGINT stops the running query instead of the process: the flag it sets.
pub fn cancel_queries_on_sigint() -> Arc<AtomicBool> {
    SHELL_CANCEL.get_or_init(Arc::default).clone()
}

/// Starts the thread that handles the signals (if the operating system lets it).
pub fn install() {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        return;
    };
    let _ = std::thread::Builder::new()
        .name("signals".to_owned())
        .spawn(move || {
            for signal in signals.forever() {
                if signal == SIGINT
                    && let Some(flag) = SHELL_CANCEL.get()
                {
                    flag.store(true, Ordering::SeqCst);
                    continue;
                }
                crate::fsutil::remove_temporaries();
                crate::commands::graphviz::stop();
                let _ = signal_hook::low_level::emulate_default_handler(signal);
                std::process::exit(128 + signal);
            }
        });
}
