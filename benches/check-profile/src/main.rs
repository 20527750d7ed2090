//! Where rustc's check of a crate spends its time, from a self-profile
//! written with `-Zself-profile=DIR -Zself-profile-events=default,query-keys`:
//!
//! - the self time of each query (its time less the queries it called), the
//!   25 largest;
//! - the self time of `typeck`, `mir_borrowck` and `check_well_formed` per
//!   kind of item: the item's module under the crate root (`models`,
//!   `operations`, `router`, ...) and its own name (`fmt` for `Debug`, `eq`,
//!   `clone`, `serialize`, `read`, ...), with the number of items of that
//!   kind. A name that only one item has counts by its first word
//!   (`with_*` for the builders, `handle_*` for the router's handlers).
//!
//! ```text
//! check-profile DIR/CRATE-PID [--within LABEL]
//! ```
//!
//! `--within LABEL` counts only the queries run inside the activity LABEL
//! (`coherence_checking`, say, which `-Ztime-passes` reports whole although
//! most of it is type checking that coherence asked for first).

use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, SystemTime};

use analyzeme::ProfilingData;

/// An interval event of one thread: start, end, query label, query key.
struct Interval {
    start: SystemTime,
    end: SystemTime,
    label: String,
    key: String,
}

/// The queries counted per kind of item.
const PER_ITEM: [&str; 3] = ["typeck", "mir_borrowck", "check_well_formed"];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (stem, within) = match args.as_slice() {
        [stem] => (stem, None),
        [stem, flag, label] if flag == "--within" => (stem, Some(label.as_str())),
        _ => {
            eprintln!("usage: check-profile DIR/CRATE-PID [--within LABEL]");
            std::process::exit(2);
        }
    };
    let data = match ProfilingData::new(Path::new(stem)) {
        Ok(data) => data,
        Err(error) => {
            eprintln!("check-profile: cannot read the profile {stem}: {error}");
            std::process::exit(1);
        }
    };
    let mut threads: HashMap<u32, Vec<Interval>> = HashMap::new();
    for event in data.iter_full() {
        let Some(time) = event.payload.timestamp() else {
            continue;
        };
        if time.is_instant() {
            continue;
        }
        threads.entry(event.thread_id).or_default().push(Interval {
            start: time.start(),
            end: time.end(),
            label: event.label.to_string(),
            key: event
                .additional_data
                .first()
                .map(|key| key.to_string())
                .unwrap_or_default(),
        });
    }
    let mut per_label: HashMap<String, Duration> = HashMap::new();
    let mut per_kind: HashMap<(String, String, String), (Duration, usize)> = HashMap::new();
    for mut intervals in threads.into_values() {
        intervals.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
        let own = self_times(&intervals);
        let windows: Vec<(SystemTime, SystemTime)> = intervals
            .iter()
            .filter(|interval| Some(interval.label.as_str()) == within)
            .map(|interval| (interval.start, interval.end))
            .collect();
        for (interval, own) in intervals.iter().zip(own) {
            let inside = within.is_none()
                || windows
                    .iter()
                    .any(|(start, end)| *start <= interval.start && interval.end <= *end);
            if !inside {
                continue;
            }
            *per_label.entry(interval.label.clone()).or_default() += own;
            if PER_ITEM.contains(&interval.label.as_str()) {
                let (module, name) = item_kind(&interval.key);
                let entry = per_kind
                    .entry((interval.label.clone(), module, name))
                    .or_default();
                entry.0 += own;
                entry.1 += 1;
            }
        }
    }
    let total: Duration = per_label.values().sum();
    println!("self time of every query: {:.2} s", total.as_secs_f64());
    let mut labels: Vec<_> = per_label.into_iter().collect();
    labels.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    for (label, time) in labels.iter().take(25) {
        println!("{:9.3} s  {label}", time.as_secs_f64());
    }
    println!();
    println!(
        "{} per kind of item (module, name): self time, items",
        PER_ITEM.join(", ")
    );
    let mut kinds = HashMap::<_, (Duration, usize)>::new();
    for ((label, module, name), (time, count)) in per_kind {
        let name = match name.split_once('_') {
            Some((first, _)) if count == 1 => format!("{first}_*"),
            _ => name,
        };
        let entry = kinds.entry((label, module, name)).or_default();
        entry.0 += time;
        entry.1 += count;
    }
    let mut kinds: Vec<_> = kinds.into_iter().collect();
    kinds.sort_by(|a, b| b.1 .0.cmp(&a.1 .0).then(a.0.cmp(&b.0)));
    for ((label, module, name), (time, count)) in kinds.iter().take(40) {
        println!(
            "{:9.3} s {count:7}  {label:12} {module} {name}",
            time.as_secs_f64()
        );
    }
}

/// The self time of each interval (sorted by start, the longer first at a
/// tie): its length less that of the intervals directly inside it.
fn self_times(intervals: &[Interval]) -> Vec<Duration> {
    let mut own = vec![Duration::ZERO; intervals.len()];
    // Open intervals: index, and the time of those directly inside.
    let mut open: Vec<(usize, Duration)> = Vec::new();
    let close = |open: &mut Vec<(usize, Duration)>, own: &mut Vec<Duration>| {
        if let Some((index, inside)) = open.pop() {
            let interval = &intervals[index];
            let length = interval
                .end
                .duration_since(interval.start)
                .unwrap_or_default();
            own[index] = length.saturating_sub(inside);
            if let Some(parent) = open.last_mut() {
                parent.1 += length;
            }
        }
    };
    for (index, interval) in intervals.iter().enumerate() {
        while open
            .last()
            .is_some_and(|(last, _)| intervals[*last].end <= interval.start)
        {
            close(&mut open, &mut own);
        }
        open.push((index, Duration::ZERO));
    }
    while !open.is_empty() {
        close(&mut open, &mut own);
    }
    own
}

/// The kind of the item a query key names (`github_types::models::{{impl}}[12]::fmt`):
/// its module under the crate root and its own name, the builders'
/// `with_*` as one.
fn item_kind(key: &str) -> (String, String) {
    let segments: Vec<&str> = key.split("::").collect();
    let module = segments.get(1).copied().unwrap_or("").to_owned();
    let name = segments.last().copied().unwrap_or("");
    let name = if name.starts_with("with_") {
        "with_*"
    } else {
        name
    };
    let module = if segments.len() <= 2 {
        String::new()
    } else {
        module
    };
    (module, name.to_owned())
}
