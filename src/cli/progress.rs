//! A spinner on standard error for loads and checks that take more than a moment: the phase
//! and its counts (`⠙ graph.ron: checking: 1,245,184 of 5,461,222 entities and relations,
//! 6 s`), drawn only when standard error is a terminal, from the first third of a second on,
//! and wiped when the work ends. Quiet otherwise: scripts and pipes see nothing.

use bonegraph::load::Progress;
use std::io::{IsTerminal, Write};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long work may take before the spinner appears, unless `BONEGRAPH_PROGRESS_DELAY_MS`
/// says otherwise (the terminal tests set it to 0, so that they see the spinner however fast
/// the machine is).
const DELAY: Duration = Duration::from_millis(300);

fn delay() -> Duration {
    std::env::var("BONEGRAPH_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(DELAY, Duration::from_millis)
}
/// How often the spinner is redrawn.
const TICK: Duration = Duration::from_millis(100);
const FRAMES: [&str; 10] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"];

#[derive(Default)]
struct State {
    /// What is being done now.
    message: Option<String>,
    /// Set when the work is over.
    done: bool,
}

/// A running spinner; dropping it stops it and clears its line.
pub struct Spinner {
    state: Arc<(Mutex<State>, Condvar)>,
    thread: Option<JoinHandle<()>>,
}

impl Spinner {
    /// A spinner for work on `label` (a file name), drawn on standard error if that is a
    /// terminal; otherwise one that draws nothing.
    pub fn start(label: &str) -> Spinner {
        let state = Arc::new((Mutex::new(State::default()), Condvar::new()));
        let thread = std::io::stderr().is_terminal().then(|| {
            let state = Arc::clone(&state);
            let label = bonegraph::text::escape_control(label).into_owned();
            std::thread::spawn(move || draw(&state, &label))
        });
        Spinner { state, thread }
    }

    /// Says where the work is (the callback given to the loader).
    pub fn report(&self, progress: Progress) {
        if self.thread.is_some()
            && let Ok(mut state) = self.state.0.lock()
        {
            state.message = Some(progress.to_string());
        }
    }
}

impl Drop for Spinner {
    fn drop(&mut self) {
        if let Ok(mut state) = self.state.0.lock() {
            state.done = true;
        }
        self.state.1.notify_all();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The spinner's thread: waits out the delay, then redraws every tick until the work ends.
fn draw(state: &(Mutex<State>, Condvar), label: &str) {
    let started = Instant::now();
    let delay = delay();
    let mut drawn = false;
    let mut frame = 0;
    let Ok(mut guard) = state.0.lock() else {
        return;
    };
    loop {
        let wait = if drawn {
            TICK
        } else {
            delay.saturating_sub(started.elapsed())
        };
        guard = match state.1.wait_timeout(guard, wait) {
            Ok((g, _)) => g,
            Err(_) => return,
        };
        if guard.done {
            break;
        }
        if started.elapsed() < delay {
            continue;
        }
        let message = guard
            .message
            .clone()
            .unwrap_or_else(|| "loading".to_owned());
        let line = format!(
            "\r\x1b[2K{} {label}: {message}, {} s",
            FRAMES[frame % FRAMES.len()],
            started.elapsed().as_secs()
        );
        frame += 1;
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(line.as_bytes()).and_then(|()| err.flush());
        drawn = true;
    }
    if drawn {
        let mut err = std::io::stderr().lock();
        let _ = err.write_all(b"\r\x1b[2K").and_then(|()| err.flush());
    }
}
