//! The server's integration tests, one module per capability.
//!
//! They share one binary: each test binary links the whole app, so one binary instead of ten
//! saves gigabytes of disk and minutes of linking on every CI run.

mod support;

mod accounts;
mod cases;
mod guides;
mod lunch;
mod map;
mod numbers;
mod open311;
mod platform;
mod points;
mod requests;
