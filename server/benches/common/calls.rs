//! Timed calls of a server function, and their report line: shared by the benchmarks that
//! time one call after another.

use reqwest::Client;
use std::time::{Duration, Instant};

/// Calls `/api/{function}` with `fields` `warm_up + calls` times; returns the times of the
/// last `calls` and the body of the last answer. Panics on an answer that is not a success.
pub async fn timed(
    client: &Client,
    url: &str,
    fields: &[(&str, &str)],
    warm_up: usize,
    calls: usize,
) -> (Vec<Duration>, Vec<u8>) {
    timed_requests(|| client.post(url).form(fields), url, warm_up, calls).await
}

/// `GET url` timed as `timed` does, for plain HTTP resources (Open311, CSV). Not every
/// benchmark that includes this file reads one.
#[allow(dead_code)]
pub async fn timed_get(
    client: &Client,
    url: &str,
    warm_up: usize,
    calls: usize,
) -> (Vec<Duration>, Vec<u8>) {
    timed_requests(|| client.get(url), url, warm_up, calls).await
}

async fn timed_requests(
    request: impl Fn() -> reqwest::RequestBuilder,
    url: &str,
    warm_up: usize,
    calls: usize,
) -> (Vec<Duration>, Vec<u8>) {
    let mut times = Vec::with_capacity(calls);
    let mut last = Vec::new();
    for i in 0..warm_up + calls {
        let started = Instant::now();
        let response = request().send().await.expect("call");
        assert!(
            response.status().is_success(),
            "{url}: {}",
            response.status()
        );
        last = response.bytes().await.expect("body").to_vec();
        if i >= warm_up {
            times.push(started.elapsed());
        }
    }
    (times, last)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// One line: the label, p50, p95 and max in milliseconds, and how many items came back.
pub fn report(label: &str, times: &mut [Duration], items: usize) {
    times.sort();
    let at = |q: f64| ms(times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)]);
    println!(
        "{label:<52} {:>8.2} {:>8.2} {:>8.2} {items:>7}",
        at(0.50),
        at(0.95),
        ms(*times.last().unwrap())
    );
}
