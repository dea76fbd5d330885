//! What the benchmarks (`bench-load`, `bench-inspect`) share: the corpus they read by
//! default, reading this process's memory from `/proc`, running a measuring child
//! process and reading the `key=value` figures it prints, and summarising timings.

use crate::error::{Context as _, Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

/// `../shared/corpus/real-world/cases.jsonl` beside the workspace, as on CI and on the
/// developers' machines.
pub fn default_real_world_cases() -> PathBuf {
    workspace_root().join("../shared/corpus/real-world/cases.jsonl")
}

/// The workspace's root folder.
pub fn workspace_root() -> PathBuf {
    let xtask = Path::new(env!("CARGO_MANIFEST_DIR"));
    xtask.parent().unwrap_or(xtask).to_path_buf()
}

/// A `kB` figure of `/proc/self/status` (Linux only), such as `VmRSS` or `VmHWM`.
pub fn proc_status_kib(key: &str) -> Result<u64> {
    let status =
        std::fs::read_to_string("/proc/self/status").context("reading /proc/self/status")?;
    status
        .split('\n')
        .find_map(|line| line.strip_prefix(key)?.strip_prefix(':'))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| Error::new(format!("no {key} in /proc/self/status")))
}

/// What a measuring child process (a hidden `measure-*` task) printed: `key=value`
/// pairs separated by whitespace.
pub struct ChildReport {
    task: String,
    stdout: String,
}

impl ChildReport {
    /// Runs the command, which runs the hidden `task`; fails with the child's stderr
    /// when it fails.
    pub fn run(task: &str, command: &mut Command) -> Result<Self> {
        let output = command
            .output()
            .with_context(|| format!("running {task}"))?;
        if !output.status.success() {
            return Err(Error::new(format!(
                "{task} failed ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            )));
        }
        Ok(ChildReport {
            task: task.to_owned(),
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        })
    }

    /// The number printed as `key=…`.
    pub fn field(&self, key: &str) -> Result<u64> {
        let task = &self.task;
        self.stdout
            .split_whitespace()
            .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
            .ok_or_else(|| Error::new(format!("{task} printed no {key}: {}", self.stdout)))?
            .parse::<u64>()
            .with_context(|| format!("{task}'s {key}"))
    }
}

/// The median of some durations (zero for none).
pub fn median(durations: &[Duration]) -> Duration {
    let mut sorted = durations.to_vec();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// `ok` or `MISSED`, for a target's line.
pub fn verdict(ok: bool) -> &'static str {
    if ok { "ok" } else { "MISSED" }
}

/// `1234567` as `1,234,567`.
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands() {
        assert_eq!(group(0), "0");
        assert_eq!(group(999), "999");
        assert_eq!(group(1000), "1,000");
        assert_eq!(group(8_870_251), "8,870,251");
    }

    #[test]
    fn reads_this_process_memory() -> Result<()> {
        assert!(proc_status_kib("VmRSS")? > 0);
        assert!(proc_status_kib("VmHWM")? >= proc_status_kib("VmRSS")? / 2);
        Ok(())
    }

    #[test]
    fn medians_take_the_middle() {
        let ms = Duration::from_millis;
        assert_eq!(median(&[ms(3), ms(1), ms(2)]), ms(2));
        assert_eq!(median(&[]), Duration::ZERO);
    }
}
